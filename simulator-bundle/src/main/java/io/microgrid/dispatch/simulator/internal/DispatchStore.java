package io.microgrid.dispatch.simulator.internal;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.microgrid.dispatch.protocol.Dispatch;
import io.microgrid.dispatch.protocol.DispatchData;
import io.microgrid.dispatch.protocol.DispatchMetadata;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse.Event;
import io.microgrid.dispatch.protocol.UpdateMicrogridDispatchRequest.DispatchUpdate;
import io.microgrid.dispatch.simulator.internal.proto.SimulatorStore;
import io.microgrid.dispatch.simulator.internal.proto.StoredDispatch;
import io.microgrid.dispatch.support.log.BundleLoggers;
import io.microgrid.dispatch.protocol.types.Timestamps;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import io.microgrid.dispatch.server.DispatchRules;
import io.microgrid.dispatch.server.DispatchUpdates;

/**
 * The dispatches of every microgrid, with the server-side rules of the real API: ids, times, the
 * refusal of past start times, the checks of every field and the computed end time.
 *
 * <p>Every change is first written to the store file (when there is one), then made visible and
 * published to the open streams of its microgrid, all while the lock is held: streams see changes
 * in the order they happened, and a change that cannot be saved is refused and not made at all.
 */
final class DispatchStore {
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
  private final StoreFile file;

  /**
   * @param clock sets create and modification times and judges "in the past"
   * @param streams where changes are published
   * @param file where the store is kept, or null to keep it in memory only
   * @throws IOException when the file exists but can be neither read nor moved aside
   */
  DispatchStore(Clock clock, StreamHub streams, StoreFile file) throws IOException {
    this.clock = clock;
    this.streams = streams;
    this.file = file;
    if (file != null) {
      SimulatorStore stored = file.load();
      lastId = stored.getLastId();
      for (StoredDispatch d : stored.getDispatchesList()) {
        long id = d.getDispatch().getMetadata().getDispatchId();
        dispatches(d.getMicrogridId()).put(id, d.getDispatch());
        // Later creations must never take an id the file already holds.
        if (Long.compareUnsigned(id, lastId) > 0) {
          lastId = id;
        }
      }
    }
  }

  Dispatch create(long microgridId, DispatchData data) {
    if (microgridId == 0) {
      throw DispatchRules.invalid("microgrid_id is required (> 0)");
    }
    Instant now = clock.instant();
    DispatchRules.requireStartNotPast(data.hasStartTime(), data.getStartTime(), now);
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
                          .setModificationTime(nowTs))
                  .setData(data)
                  .build());
      lastId++;
      commit(microgridId, Event.EVENT_CREATED, dispatch);
      return dispatch;
    }
  }

  Dispatch get(long microgridId, long dispatchId) {
    synchronized (lock) {
      return existing(microgridId, dispatchId);
    }
  }

  Dispatch update(long microgridId, long dispatchId, FieldMask mask, DispatchUpdate update) {
    List<String> paths = mask.getPathsList();
    DispatchUpdates.validate(paths);
    Instant now = clock.instant();
    if (paths.contains("start_time")) {
      // The API documents the same rule for a new start time as for creation.
      DispatchRules.requireStartNotPast(update.hasStartTime(), update.getStartTime(), now);
    }
    synchronized (lock) {
      Dispatch current = existing(microgridId, dispatchId);
      Dispatch updated =
          DispatchRules.checkedWithEndTime(
              microgridId,
              current.toBuilder()
                  .setData(DispatchUpdates.apply(current.getData(), paths, update))
                  .setMetadata(
                      current.getMetadata().toBuilder().setModificationTime(Timestamps.of(now)))
                  .build());
      commit(microgridId, Event.EVENT_UPDATED, updated);
      return updated;
    }
  }

  Dispatch delete(long microgridId, long dispatchId) {
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
  List<Dispatch> list(long microgridId) {
    synchronized (lock) {
      return snapshots.computeIfAbsent(
          microgridId,
          id -> List.copyOf(byMicrogrid.getOrDefault(id, new TreeMap<>()).values()));
    }
  }

  /** How many dispatches the store holds, over all microgrids. */
  int size() {
    synchronized (lock) {
      return byMicrogrid.values().stream().mapToInt(Map::size).sum();
    }
  }

  /** Where the store is kept, or null when only in memory. */
  StoreFile file() {
    return file;
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
      // Undo, so that memory keeps matching the file.
      if (previous == null) {
        dispatches.remove(id);
      } else {
        dispatches.put(id, previous);
      }
      if (dispatches.isEmpty()) {
        byMicrogrid.remove(microgridId);
      }
      LOG.log(Level.ERROR, "Dispatch simulator: cannot save the store " + file.path()
          + "; the change is refused", e);
      throw Status.INTERNAL
          .withDescription("the simulator cannot save its store; the change was not made")
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
    if (file == null) {
      return;
    }
    SimulatorStore.Builder store =
        SimulatorStore.newBuilder().setFormat(StoreFile.FORMAT).setLastId(lastId);
    byMicrogrid.forEach(
        (microgridId, dispatches) ->
            dispatches.values().forEach(
                d -> store.addDispatches(
                    StoredDispatch.newBuilder().setMicrogridId(microgridId).setDispatch(d))));
    file.save(store.build());
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
