package io.microgrid.dispatch.client.testing;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.microgrid.dispatch.protocol.Dispatch;
import io.microgrid.dispatch.protocol.DispatchData;
import io.microgrid.dispatch.protocol.DispatchMetadata;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse.Event;
import io.microgrid.dispatch.protocol.UpdateMicrogridDispatchRequest.DispatchUpdate;
import io.microgrid.dispatch.protocol.types.Timestamps;
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
 * refusal of past start times and the computed end time. Every change is published to the open
 * streams of its microgrid while the lock is held, so streams see changes in the order they
 * happened.
 */
final class DispatchStore {

  private final Object lock = new Object();
  // Ids are uint64 on the wire: unsigned order keeps raw ids above Long.MAX_VALUE in place.
  private final Map<Long, NavigableMap<Long, Dispatch>> byMicrogrid = new HashMap<>();
  private final Clock clock;
  private final StreamHub streams;
  // One counter for all microgrids: the real API's dispatch ids are unique, not per microgrid.
  private long lastId;

  DispatchStore(Clock clock, StreamHub streams) {
    this.clock = clock;
    this.streams = streams;
  }

  Dispatch create(long microgridId, DispatchData data) {
    Instant now = clock.instant();
    requireStartNotPast(data.hasStartTime(), data.getStartTime(), now);
    synchronized (lock) {
      Timestamp nowTs = Timestamps.of(now);
      Dispatch dispatch =
          withEndTime(
              Dispatch.newBuilder()
                  .setMetadata(
                      DispatchMetadata.newBuilder()
                          .setDispatchId(++lastId)
                          .setCreateTime(nowTs)
                          .setModificationTime(nowTs))
                  .setData(data)
                  .build());
      dispatches(microgridId).put(dispatch.getMetadata().getDispatchId(), dispatch);
      publish(microgridId, Event.EVENT_CREATED, dispatch);
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
      requireStartNotPast(update.hasStartTime(), update.getStartTime(), now);
    }
    synchronized (lock) {
      Dispatch current = existing(microgridId, dispatchId);
      Dispatch updated =
          withEndTime(
              current.toBuilder()
                  .setData(DispatchUpdates.apply(current.getData(), paths, update))
                  .setMetadata(current.getMetadata().toBuilder().setModificationTime(Timestamps.of(now)))
                  .build());
      dispatches(microgridId).put(dispatchId, updated);
      publish(microgridId, Event.EVENT_UPDATED, updated);
      return updated;
    }
  }

  Dispatch delete(long microgridId, long dispatchId) {
    synchronized (lock) {
      Dispatch removed = existing(microgridId, dispatchId);
      dispatches(microgridId).remove(dispatchId);
      publish(microgridId, Event.EVENT_DELETED, removed);
      return removed;
    }
  }

  /** The dispatches of a microgrid, by ascending id. */
  List<Dispatch> list(long microgridId) {
    synchronized (lock) {
      return List.copyOf(dispatches(microgridId).values());
    }
  }

  /**
   * Stores a dispatch exactly as given (no validation, no computed fields) under its own id, and
   * tells the open streams as any other change would.
   */
  void putRaw(long microgridId, Dispatch raw) {
    synchronized (lock) {
      long id = raw.getMetadata().getDispatchId();
      Dispatch previous = dispatches(microgridId).put(id, raw);
      // Later creations must not take an id a raw dispatch already holds.
      if (Long.compareUnsigned(id, lastId) > 0) {
        lastId = id;
      }
      publish(microgridId, previous == null ? Event.EVENT_CREATED : Event.EVENT_UPDATED, raw);
    }
  }

  private NavigableMap<Long, Dispatch> dispatches(long microgridId) {
    return byMicrogrid.computeIfAbsent(microgridId, id -> new TreeMap<>(Long::compareUnsigned));
  }

  private Dispatch existing(long microgridId, long dispatchId) {
    Dispatch dispatch = dispatches(microgridId).get(dispatchId);
    if (dispatch == null) {
      throw Status.NOT_FOUND
          .withDescription("no dispatch " + Long.toUnsignedString(dispatchId)
              + " in microgrid " + Long.toUnsignedString(microgridId))
          .asRuntimeException();
    }
    return dispatch;
  }

  private void publish(long microgridId, Event event, Dispatch dispatch) {
    streams.publish(
        microgridId,
        StreamMicrogridDispatchesResponse.newBuilder().setEvent(event).setDispatch(dispatch).build());
  }

  private static final java.time.Duration START_TOLERANCE = java.time.Duration.ofSeconds(5);

  private static void requireStartNotPast(boolean present, Timestamp startTime, Instant now) {
    if (!present) {
      throw Status.INVALID_ARGUMENT.withDescription("start_time is required").asRuntimeException();
    }
    // A request that starts "now" was stamped by the client a moment before it arrived here; like
    // any server behind a network, tolerate that much.
    if (Timestamps.toInstant("start_time", startTime).isBefore(now.minus(START_TOLERANCE))) {
      throw Status.INVALID_ARGUMENT
          .withDescription("start_time is in the past")
          .asRuntimeException();
    }
  }

  /**
   * Sets end_time where it is simple to know: a one-off dispatch with a finite duration ends at
   * start + duration. Recurring or infinite dispatches get no end time; the real server computes
   * one for bounded recurrences, which this test server does not model.
   */
  private static Dispatch withEndTime(Dispatch dispatch) {
    DispatchData data = dispatch.getData();
    DispatchMetadata.Builder metadata = dispatch.getMetadata().toBuilder().clearEndTime();
    if (!DispatchRules.isRecurring(data) && data.hasDuration() && data.hasStartTime()) {
      Instant end =
          Timestamps.toInstant("start_time", data.getStartTime())
              .plusSeconds(Integer.toUnsignedLong(data.getDuration()));
      metadata.setEndTime(Timestamps.of(end));
    }
    return dispatch.toBuilder().setMetadata(metadata).build();
  }
}
