package io.microgrid.dispatch.scheduler.internal.persist;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.support.file.DurableFile;
import io.microgrid.dispatch.scheduler.internal.core.DispatchSchedule.HeldState;
import io.microgrid.dispatch.scheduler.internal.proto.HeldDispatch;
import io.microgrid.dispatch.scheduler.internal.proto.ListenerMemory;
import io.microgrid.dispatch.scheduler.internal.proto.PersistedSchedule;
import io.microgrid.dispatch.scheduler.internal.proto.ToldRunning;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;

/**
 * The file of one microgrid's persisted schedule: a {@link PersistedSchedule} message, rewritten
 * whole and atomically after each change through a {@link DurableFile}. A file that cannot be read
 * (damaged, of a newer format, of another microgrid) is moved aside with one warning, and the
 * scheduler starts empty.
 */
public final class ScheduleFile {
  /**
   * The format this version writes and the newest it reads: 2 since Dispatch API v1.1 renumbered
   * the component categories; format 1 files are read with their numbers mapped (DispatchCodec).
   */
  static final int FORMAT = 2;

  private final DurableFile file;
  private final long microgridId;

  /**
   * What the file holds.
   *
   * @param lastSync when the copy was last in step with a full list from the server
   * @param dispatches the dispatches and what the scheduler last told about each
   * @param listeners memory key -> the RUNNING snapshots that listener was told
   * @param unclaimedSince memory key -> since when no listener has claimed it; absent for the
   *     memories of listeners registered as the content was taken
   */
  public record Content(
      Optional<Instant> lastSync,
      List<HeldState> dispatches,
      Map<String, List<RunningStateChange>> listeners,
      Map<String, Instant> unclaimedSince) {
    /** Copies the collections, the lists of each listener too, so that a snapshot never changes. */
    public Content {
      dispatches = List.copyOf(dispatches);
      Map<String, List<RunningStateChange>> copy = new HashMap<>();
      listeners.forEach((key, told) -> copy.put(key, List.copyOf(told)));
      listeners = Map.copyOf(copy);
      unclaimedSince = Map.copyOf(unclaimedSince);
    }

    /** Content whose memories are all held by registered listeners. */
    public Content(
        Optional<Instant> lastSync,
        List<HeldState> dispatches,
        Map<String, List<RunningStateChange>> listeners) {
      this(lastSync, dispatches, listeners, Map.of());
    }
  }

  /**
   * @param file where the file lives
   * @param microgridId the microgrid whose schedule it holds
   * @param clock dates the name of a file moved aside
   */
  public ScheduleFile(Path file, long microgridId, Clock clock) {
    this.file = new DurableFile(file, clock, "Dispatch scheduler of microgrid " + microgridId);
    this.microgridId = microgridId;
  }

  /**
   * Returns where the file lives.
   *
   * @return the absolute path
   */
  public Path path() {
    return file.path();
  }

  /**
   * Reads the file; an unreadable one is moved aside with a warning.
   *
   * @return the content, empty when there is no file or it could not be read
   * @throws IOException when the file exists but can be neither read nor moved aside
   */
  public Optional<Content> load() throws IOException {
    return file.read(bytes -> decode(bytes, microgridId));
  }

  /**
   * Replaces the file, atomically, with what {@code content} writes.
   *
   * @param content writes what {@link #writeTo} or {@link #encode} makes
   * @throws IOException when it cannot be written; the previous file is then unchanged
   */
  public void save(DurableFile.Writer content) throws IOException {
    file.replace(content);
  }

  /**
   * Writes the content in the file's format.
   *
   * @param microgridId the microgrid
   * @param content the content
   * @return the bytes of the file
   */
  public static byte[] encode(long microgridId, Content content) {
    Set<Long> held = new HashSet<>();
    content.dispatches().forEach(s -> held.add(s.dispatch().id()));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      writeTo(
          bytes,
          microgridId,
          content,
          content.dispatches().stream().map(ScheduleFile::encodeHeld).toList(),
          held::contains);
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory cannot fail", e);
    }
    return bytes.toByteArray();
  }

  /**
   * Writes one held dispatch as the file holds it. A saver that keeps these for the dispatches
   * that did not change encodes only the changes: encoding every dispatch held at each save took
   * hundreds of milliseconds of CPU and of garbage per 100 000.
   *
   * @param s the held state
   * @return its bytes in the file
   */
  public static byte[] encodeHeld(HeldState s) {
    HeldDispatch.Builder h =
        HeldDispatch.newBuilder().setDispatch(DispatchCodec.write(s.dispatch())).setRunning(s.running());
    s.lastRunningAt().ifPresent(t -> h.setLastRunningAt(DispatchCodec.timestamp(t)));
    s.missed().forEach(t -> h.addMissed(DispatchCodec.timestamp(t)));
    return h.build().toByteArray();
  }

  /**
   * Writes the file's content to a stream, its dispatches already encoded: what a saver of many
   * dispatches uses, so that no array of the whole file (120 MB for a million) is made at each
   * save.
   *
   * @param out where the file's bytes go
   * @param microgridId the microgrid
   * @param rest the last sync and the listeners' memories (its dispatches are ignored)
   * @param encodedDispatches {@link #encodeHeld} of each dispatch held, in the order of their ids
   * @param held whether a dispatch of that id is among them
   * @throws IOException when {@code out} fails
   */
  public static void writeTo(
      OutputStream out,
      long microgridId,
      Content rest,
      Iterable<byte[]> encodedDispatches,
      LongPredicate held)
      throws IOException {
    PersistedSchedule.Builder head =
        PersistedSchedule.newBuilder().setFormat(FORMAT).setMicrogridId(microgridId);
    rest.lastSync().ifPresent(t -> head.setLastSync(DispatchCodec.timestamp(t)));
    PersistedSchedule.Builder tail = PersistedSchedule.newBuilder();
    rest.listeners().entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            e -> {
              ListenerMemory.Builder m = ListenerMemory.newBuilder().setKey(e.getKey());
              Instant since = rest.unclaimedSince().get(e.getKey());
              if (since != null) {
                m.setUnclaimedSince(DispatchCodec.timestamp(since));
              }
              for (RunningStateChange c : e.getValue()) {
                ToldRunning.Builder t =
                    ToldRunning.newBuilder()
                        .setDispatchId(c.dispatch().id())
                        .setAt(DispatchCodec.timestamp(c.at()));
                c.until().ifPresent(u -> t.setUntil(DispatchCodec.timestamp(u)));
                // A dispatch a listener was told of is written with its memory only when it is
                // not held.
                if (!held.test(c.dispatch().id())) {
                  t.setDispatch(DispatchCodec.write(c.dispatch()));
                }
                m.addTold(t);
              }
              tail.addListeners(m);
            });
    // A message's encoding is its fields' encodings in field order, so fields 1 to 3, then the
    // held dispatches (4), then the listeners (5) are the same bytes as the whole message built
    // at once.
    CodedOutputStream coded = CodedOutputStream.newInstance(out, 64 * 1024);
    head.build().writeTo(coded);
    for (byte[] d : encodedDispatches) {
      coded.writeByteArray(PersistedSchedule.DISPATCHES_FIELD_NUMBER, d);
    }
    tail.build().writeTo(coded);
    coded.flush();
  }

  /**
   * Reads the file's bytes.
   *
   * @param bytes the file
   * @param microgridId the microgrid it must belong to
   * @return the content
   * @throws DurableFile.Unreadable naming what is wrong
   */
  static Content decode(byte[] bytes, long microgridId) throws DurableFile.Unreadable {
    PersistedSchedule p;
    try {
      p = PersistedSchedule.parseFrom(bytes);
    } catch (InvalidProtocolBufferException e) {
      throw new DurableFile.Unreadable("it is not a persisted schedule (" + e.getMessage() + ")");
    }
    if (p.getFormat() == 0 || p.getFormat() > FORMAT) {
      throw new DurableFile.Unreadable(
          "it is in format " + p.getFormat() + "; this scheduler reads formats 1 to " + FORMAT);
    }
    if (p.getMicrogridId() != microgridId) {
      throw new DurableFile.Unreadable(
          "it holds microgrid " + Long.toUnsignedString(p.getMicrogridId()) + ", not " + microgridId);
    }
    try {
      List<HeldState> dispatches = new ArrayList<>();
      Map<Long, Dispatch> held = new HashMap<>();
      for (HeldDispatch h : p.getDispatchesList()) {
        Dispatch d = DispatchCodec.read(h.getDispatch(), microgridId, p.getFormat());
        if (held.put(d.id(), d) != null) {
          throw new IllegalArgumentException("it holds dispatch " + d.id() + " twice");
        }
        dispatches.add(
            new HeldState(
                d,
                h.getRunning(),
                h.hasLastRunningAt()
                    ? Optional.of(DispatchCodec.instant(h.getLastRunningAt()))
                    : Optional.empty(),
                h.getMissedList().stream().map(DispatchCodec::instant).toList()));
      }
      Map<String, List<RunningStateChange>> listeners = new LinkedHashMap<>();
      Map<String, Instant> unclaimedSince = new HashMap<>();
      for (ListenerMemory m : p.getListenersList()) {
        if (m.hasUnclaimedSince()) {
          unclaimedSince.put(m.getKey(), DispatchCodec.instant(m.getUnclaimedSince()));
        }
        List<RunningStateChange> told = new ArrayList<>();
        for (ToldRunning t : m.getToldList()) {
          Dispatch d =
              t.hasDispatch()
                  ? DispatchCodec.read(t.getDispatch(), microgridId, p.getFormat())
                  : held.get(t.getDispatchId());
          if (d == null) {
            throw new IllegalArgumentException(
                "listener " + m.getKey() + " was told about dispatch " + t.getDispatchId() + ", which it does not hold");
          }
          told.add(
              new RunningStateChange(
                  d,
                  RunningState.RUNNING,
                  DispatchCodec.instant(t.getAt()),
                  t.hasUntil() ? Optional.of(DispatchCodec.instant(t.getUntil())) : Optional.empty(),
                  List.of()));
        }
        listeners.put(m.getKey(), told);
      }
      return new Content(
          p.hasLastSync() ? Optional.of(DispatchCodec.instant(p.getLastSync())) : Optional.empty(),
          dispatches,
          listeners,
          unclaimedSince);
    } catch (RuntimeException e) {
      // A value out of range that the API types refuse: the file is damaged.
      throw new DurableFile.Unreadable("it holds a value that cannot be right (" + e.getMessage() + ")");
    }
  }
}
