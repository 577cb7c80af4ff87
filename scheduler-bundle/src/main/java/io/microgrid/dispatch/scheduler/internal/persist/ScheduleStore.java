package io.microgrid.dispatch.scheduler.internal.persist;

import io.microgrid.dispatch.scheduler.internal.core.DispatchSchedule.HeldState;
import io.microgrid.dispatch.support.file.DurableFile;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import java.util.function.LongPredicate;

/**
 * Keeps a scheduler's copy on disk: one {@link ScheduleFile} per microgrid, so that a change of
 * microgrid switches files and each microgrid resumes from its own copy. It writes the immutable
 * snapshots the runner hands it and gives back what a file holds; it holds no state of the
 * scheduler's. Called on one thread at a time: the runner's save thread writes, and the scheduler
 * thread reads only once that thread has written what it was handed.
 *
 * <p>A save that would write what the file already holds is skipped, so a burst of changes that
 * end where they started costs no write. A failed save is logged and the scheduler goes on: the
 * copy in memory is still right, and the next change tries again.
 */
public final class ScheduleStore {
  private static final System.Logger LOG = System.getLogger(ScheduleStore.class.getName());

  private final LongFunction<Path> fileOf;
  private final Clock clock;
  private long lastSavedMicrogrid;
  // A digest of the bytes last written, not the bytes: a file of a million dispatches is 120 MB.
  private byte[] lastSaved;
  private volatile long writes;

  /**
   * @param fileOf where the file of a microgrid lives
   * @param clock dates the name of a file moved aside
   */
  public ScheduleStore(LongFunction<Path> fileOf, Clock clock) {
    this.fileOf = fileOf;
    this.clock = clock;
  }

  /**
   * Returns where the file of a microgrid lives.
   *
   * @param microgridId the microgrid
   * @return the path
   */
  public Path fileOf(long microgridId) {
    return fileOf.apply(microgridId);
  }

  /**
   * Returns how many times a file was rewritten, for the figures of the coalescing test.
   *
   * @return the count since construction
   */
  public long writes() {
    return writes;
  }

  /**
   * Reads what the microgrid's file holds. Never fails: a file that cannot be read is logged (and
   * moved aside by {@link ScheduleFile#load()} when it is damaged) and reads as none.
   *
   * @param microgridId the microgrid
   * @return the content, empty without a readable file
   */
  public Optional<ScheduleFile.Content> load(long microgridId) {
    ScheduleFile file = new ScheduleFile(fileOf(microgridId), microgridId, clock);
    try {
      return file.load();
    } catch (IOException e) {
      LOG.log(
          Level.WARNING,
          "dispatch scheduler of microgrid {0}: cannot read or move aside {1} ({2}); starting empty",
          microgridId,
          file.path(),
          e.toString());
      return Optional.empty();
    }
  }

  /**
   * Saves a microgrid's copy as the runner took it.
   *
   * @param microgridId the microgrid
   * @param snapshot its dispatches, what its listeners were told and when it was last in step
   */
  public void save(long microgridId, ScheduleFile.Content snapshot) {
    write(microgridId, ScheduleFile.encode(microgridId, snapshot));
  }

  /**
   * Saves a microgrid's copy whose dispatches are encoded already, streamed to the file: no array
   * of the whole file is made.
   *
   * @param microgridId the microgrid
   * @param rest what its listeners were told and when it was last in step (its dispatches are
   *     ignored)
   * @param encodedDispatches {@link ScheduleFile#encodeHeld} of each of its dispatches, in the
   *     order of their ids
   * @param held whether a dispatch of that id is among them
   */
  public void save(
      long microgridId, ScheduleFile.Content rest, Iterable<byte[]> encodedDispatches, LongPredicate held) {
    write(microgridId, out -> ScheduleFile.writeTo(out, microgridId, rest, encodedDispatches, held));
  }

  private void write(long microgridId, byte[] bytes) {
    write(microgridId, out -> out.write(bytes));
  }

  // The content is written twice when it changed: once into the digest, once into the file. The
  // first pass costs CPU only, and spares the flash a rewrite of what it already holds.
  private void write(long microgridId, DurableFile.Writer content) {
    byte[] digest;
    try {
      digest = digest(content);
    } catch (IOException e) {
      throw new IllegalStateException("a digest's stream does not fail", e);
    }
    if (microgridId == lastSavedMicrogrid && Arrays.equals(digest, lastSaved)) {
      return;
    }
    ScheduleFile file = new ScheduleFile(fileOf(microgridId), microgridId, clock);
    try {
      file.save(content);
      writes++;
      lastSavedMicrogrid = microgridId;
      lastSaved = digest;
    } catch (IOException e) {
      LOG.log(
          Level.WARNING,
          "dispatch scheduler of microgrid {0}: cannot save its schedule to {1} ({2}); it keeps"
              + " running and tries again at the next change",
          microgridId,
          file.path(),
          e.toString());
    }
  }

  /**
   * Saves a microgrid's copy as it is left when the scheduler moves to another microgrid: every
   * dispatch was told STOPPED, and no listener holds anything of it.
   *
   * @param microgridId the microgrid left
   * @param states its dispatches before they were stopped
   * @param lastSync when it was last in step with the server
   */
  public void saveLeft(long microgridId, List<HeldState> states, Optional<Instant> lastSync) {
    List<HeldState> stopped =
        states.stream()
            .map(s -> new HeldState(s.dispatch(), false, s.lastRunningAt(), s.missed()))
            .toList();
    save(microgridId, new ScheduleFile.Content(lastSync, stopped, Map.of()));
  }

  private static byte[] digest(DurableFile.Writer content) throws IOException {
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
    try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), sha)) {
      content.writeTo(out);
    }
    return sha.digest();
  }
}
