package io.microgrid.dispatch.server;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.microgrid.dispatch.protocol.Dispatch;
import io.microgrid.dispatch.protocol.DispatchData;
import io.microgrid.dispatch.protocol.DispatchMetadata;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import io.microgrid.dispatch.protocol.common.Event;
import io.microgrid.dispatch.protocol.UpdateMicrogridDispatchRequest.DispatchUpdate;
import io.microgrid.dispatch.support.log.BundleLoggers;
import io.microgrid.dispatch.protocol.codec.UpdateMaskPaths;
import io.microgrid.dispatch.protocol.types.Timestamps;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The dispatches of every microgrid, with the server-side rules of the real API: ids, times, the
 * refusal of past start times, the checks of every field and the computed end time.
 *
 * <p>Every change is first saved (when the store has a {@link Saver}), then made visible and
 * published to the open streams of its microgrid, all while the lock is held: streams see changes
 * in the order they happened, and a change that cannot be saved is refused and not made at all.
 */
public final class DispatchStore {
  private static final Logger LOG = BundleLoggers.get(DispatchStore.class);

  private final Object lock = new Object();
  // Guarded by lock: per microgrid, the list handed out since its last change (see list()).
  private final Map<Long, List<Dispatch>> snapshots = new HashMap<>();
  // Guarded by lock. Ids are uint64 on the wire: unsigned order, in microgrids and dispatches.
  private final NavigableMap<Long, NavigableMap<Long, Dispatch>> byMicrogrid =
      new TreeMap<>(Long::compareUnsigned);
  // One counter for all microgrids: the real API's dispatch ids are unique, not per microgrid.
  private long lastId;

  private final Clock clock;
  private final StreamHub streams;
  private final Saver saver;

  /**
   * What a store holds, as it is saved and restored.
   *
   * @param lastId the newest dispatch id handed out (ids are never reused)
   * @param dispatches per microgrid, its dispatches by ascending id
   */
  public record Contents(long lastId, Map<Long, List<Dispatch>> dispatches) {
    public static final Contents EMPTY = new Contents(0, Map.of());

    public Contents {
      dispatches = Map.copyOf(dispatches);
    }
  }

  /** Keeps the store somewhere (the simulator: a file), called with every change. */
  public interface Saver {
    /**
     * Saves the whole store as it is after a change.
     *
     * @throws IOException when it cannot be saved; the change is then refused
     */
    void save(Contents contents) throws IOException;
  }

  /** A store in memory only, empty. */
  public DispatchStore(Clock clock, StreamHub streams) {
    this(clock, streams, Contents.EMPTY, null);
  }

  /**
   * @param clock sets create and modification times and judges "in the past"
   * @param streams where changes are published
   * @param restored what the store holds at first (taken as it is, unchecked)
   * @param saver where every change is saved, or null to keep the store in memory only
   */
  public DispatchStore(Clock clock, StreamHub streams, Contents restored, Saver saver) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.streams = Objects.requireNonNull(streams, "streams");
    this.saver = saver;
    lastId = restored.lastId();
    restored.dispatches().forEach(
        (microgridId, dispatches) -> dispatches.forEach(d -> restore(microgridId, d)));
  }

  private void restore(long microgridId, Dispatch dispatch) {
    long id = dispatch.getMetadata().getDispatchId();
    dispatches(microgridId).put(id, dispatch);
    // Later creations must never take an id the restored store already holds.
    if (Long.compareUnsigned(id, lastId) > 0) {
      lastId = id;
    }
  }

  /** Creates a dispatch that starts at its own start time. */
  public Dispatch create(long microgridId, DispatchData data) {
    return create(microgridId, data, false);
  }

  /**
   * Creates a dispatch.
   *
   * @param startImmediately the request's {@code start_immediately}: the start is this server's
   *     now, whatever the data says
   */
  public Dispatch create(long microgridId, DispatchData data, boolean startImmediately) {
    if (microgridId == 0) {
      throw DispatchRules.invalid("microgrid_id is required (> 0)");
    }
    Instant now = clock.instant();
    if (startImmediately) {
      data = data.toBuilder().setStartTime(Timestamps.of(now)).build();
    }
    DispatchRules.requireStartNotPast(data.hasStartTime(), data.getStartTime(), now);
    DispatchRules.refuseWeeklyMonthDays(data.getRecurrence());
    // As the real service stores it: whole seconds.
    data = data.toBuilder().setStartTime(DispatchRules.wholeSeconds(data.getStartTime())).build();
    Timestamp nowTs = Timestamps.of(now);
    synchronized (lock) {
      Dispatch dispatch =
          DispatchRules.checkedWithEndTime(
              microgridId,
              Dispatch.newBuilder()
                  .setMetadata(
                      DispatchMetadata.newBuilder()
                          .setDispatchId(lastId + 1)
                          .setCreateTime(nowTs)
                          .setUpdateTime(nowTs))
                  .setData(data)
                  .build());
      lastId++;
      commit(microgridId, Event.EVENT_CREATED, dispatch);
      return dispatch;
    }
  }

  public Dispatch get(long microgridId, long dispatchId) {
    synchronized (lock) {
      return existing(microgridId, dispatchId);
    }
  }

  public Dispatch update(long microgridId, long dispatchId, FieldMask mask, DispatchUpdate update) {
    List<String> paths = mask.getPathsList();
    DispatchUpdates.validate(paths);
    Instant now = clock.instant();
    if (paths.contains(UpdateMaskPaths.START_TIME)) {
      // The API documents the same rule for a new start time as for creation.
      DispatchRules.requireStartNotPast(update.hasStartTime(), update.getStartTime(), now);
      // As the real service stores it: whole seconds.
      update =
          update.toBuilder()
              .setStartTime(DispatchRules.wholeSeconds(update.getStartTime()))
              .build();
    }
    boolean changesRecurrence =
        paths.stream().anyMatch(p -> p.startsWith(UpdateMaskPaths.RECURRENCE));
    synchronized (lock) {
      Dispatch current = existing(microgridId, dispatchId);
      DispatchData data = DispatchUpdates.apply(current.getData(), paths, update);
      if (changesRecurrence) {
        // A rule the server holds from before is left alone unless the update changes it.
        DispatchRules.refuseWeeklyMonthDays(data.getRecurrence());
      }
      Dispatch updated =
          DispatchRules.checkedWithEndTime(
              microgridId,
              current.toBuilder()
                  .setData(data)
                  .setMetadata(current.getMetadata().toBuilder().setUpdateTime(Timestamps.of(now)))
                  .build());
      commit(microgridId, Event.EVENT_UPDATED, updated);
      return updated;
    }
  }

  public Dispatch delete(long microgridId, long dispatchId) {
    synchronized (lock) {
      Dispatch removed = existing(microgridId, dispatchId);
      commit(microgridId, Event.EVENT_DELETED, removed);
      return removed;
    }
  }

  /**
   * The dispatches of a microgrid, by ascending id. The same list instance comes back until the
   * microgrid's dispatches change, so callers may recognise an unchanged store by identity.
   */
  public List<Dispatch> list(long microgridId) {
    synchronized (lock) {
      return snapshots.computeIfAbsent(
          microgridId,
          id -> List.copyOf(byMicrogrid.getOrDefault(id, new TreeMap<>()).values()));
    }
  }

  /** How many dispatches the store holds, over all microgrids. */
  public int size() {
    synchronized (lock) {
      return byMicrogrid.values().stream().mapToInt(Map::size).sum();
    }
  }

  /**
   * Stores {@code dispatch} exactly as given (no rule checked, no field computed) under its own
   * id, replacing one with that id, and publishes it to the open streams as CREATED (or UPDATED
   * when it replaced one). For tests that need a server holding what the real one never would.
   */
  public void putUnchecked(long microgridId, Dispatch dispatch) {
    Objects.requireNonNull(dispatch, "dispatch");
    synchronized (lock) {
      long id = dispatch.getMetadata().getDispatchId();
      boolean replaces = dispatches(microgridId).containsKey(id);
      // Later creations must not take an id a dispatch put here already holds.
      if (Long.compareUnsigned(id, lastId) > 0) {
        lastId = id;
      }
      commit(microgridId, replaces ? Event.EVENT_UPDATED : Event.EVENT_CREATED, dispatch);
    }
  }

  /**
   * Makes a change: saves the store as it is with the change, then applies and publishes it. When
   * the store cannot be saved, nothing changes and the call fails.
   */
  private void commit(long microgridId, Event event, Dispatch dispatch) {
    snapshots.remove(microgridId);
    long id = dispatch.getMetadata().getDispatchId();
    NavigableMap<Long, Dispatch> dispatches = dispatches(microgridId);
    Dispatch previous =
        event == Event.EVENT_DELETED ? dispatches.remove(id) : dispatches.put(id, dispatch);
    try {
      save();
    } catch (IOException e) {
      // Undo, so that memory keeps matching what was saved.
      if (previous == null) {
        dispatches.remove(id);
      } else {
        dispatches.put(id, previous);
      }
      if (dispatches.isEmpty()) {
        byMicrogrid.remove(microgridId);
      }
      LOG.log(Level.ERROR, "Dispatch server: cannot save its store; the change is refused", e);
      throw Status.INTERNAL
          .withDescription("the server cannot save its store; the change was not made")
          .asRuntimeException();
    }
    if (dispatches.isEmpty()) {
      byMicrogrid.remove(microgridId);
    }
    streams.publish(
        microgridId,
        StreamMicrogridDispatchesResponse.newBuilder().setEvent(event).setDispatch(dispatch).build());
  }

  private void save() throws IOException {
    if (saver == null) {
      return;
    }
    Map<Long, List<Dispatch>> contents = new LinkedHashMap<>();
    byMicrogrid.forEach((microgridId, dispatches) ->
        contents.put(microgridId, new ArrayList<>(dispatches.values())));
    saver.save(new Contents(lastId, contents));
  }

  private NavigableMap<Long, Dispatch> dispatches(long microgridId) {
    return byMicrogrid.computeIfAbsent(microgridId, id -> new TreeMap<>(Long::compareUnsigned));
  }

  private Dispatch existing(long microgridId, long dispatchId) {
    NavigableMap<Long, Dispatch> dispatches = byMicrogrid.get(microgridId);
    Dispatch dispatch = dispatches == null ? null : dispatches.get(dispatchId);
    if (dispatch == null) {
      throw Status.NOT_FOUND
          .withDescription("no dispatch " + Long.toUnsignedString(dispatchId)
              + " in microgrid " + Long.toUnsignedString(microgridId))
          .asRuntimeException();
    }
    return dispatch;
  }
}
