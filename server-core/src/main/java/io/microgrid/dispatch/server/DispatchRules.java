package io.microgrid.dispatch.server;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.protocol.Dispatch;
import io.microgrid.dispatch.protocol.DispatchData;
import io.microgrid.dispatch.protocol.DispatchMetadata;
import io.microgrid.dispatch.protocol.codec.ProtoConversion;
import io.microgrid.dispatch.protocol.types.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The server-side rules of the Dispatch API for what a dispatch may hold, and the end time the
 * server computes. A dispatch is checked by reading it into the API's own {@link
 * io.microgrid.dispatch.api.Dispatch}, whose constructor checks every field (type, payload
 * limits, recurrence ranges), so the simulator refuses exactly what the API types cannot hold;
 * the same object then evaluates the schedule for the end time.
 */
public final class DispatchRules {

  /**
   * How far in the past a start time may lie and still be accepted: a request that starts "now"
   * was stamped by its client a moment before it arrived, on a clock that may be a little off.
   */
  public static final Duration START_TOLERANCE = Duration.ofSeconds(5);

  /** Occurrences end with the year 9999, as the API bundle's schedule (and dateutil) do. */
  private static final Instant END_OF_TIME = Instant.parse("9999-12-31T23:59:59Z").plusSeconds(1);

  private DispatchRules() {}

  /**
   * Refuses a missing start time, or one more than {@link #START_TOLERANCE} before {@code now}.
   *
   * @throws StatusRuntimeException INVALID_ARGUMENT
   */
  public static void requireStartNotPast(boolean present, Timestamp startTime, Instant now) {
    if (!present) {
      throw invalid("start_time is required");
    }
    Instant start = instant("start_time", startTime);
    if (start.isBefore(now.minus(START_TOLERANCE))) {
      throw invalid("start_time " + start + " is in the past (now is " + now + ")");
    }
  }

  /**
   * Refuses a WEEKLY rule with month days, which RFC 5545 does not allow and the real service
   * refuses. A server rule, not one of the API's types: a client must still read such a dispatch
   * when a server sends it.
   *
   * @throws StatusRuntimeException INVALID_ARGUMENT naming recurrence.bymonthdays
   */
  public static void refuseWeeklyMonthDays(io.microgrid.dispatch.protocol.RecurrenceRule rule) {
    if (rule.getFreq() == io.microgrid.dispatch.protocol.RecurrenceRule.Frequency.FREQUENCY_WEEKLY
        && rule.getBymonthdaysCount() > 0) {
      throw invalid("recurrence.bymonthdays cannot be used with FREQUENCY_WEEKLY");
    }
  }

  /** A timestamp without its fraction of a second, as the real service stores start times. */
  public static Timestamp wholeSeconds(Timestamp t) {
    return t.toBuilder().setNanos(0).build();
  }

  /**
   * Checks a dispatch as it is about to be stored and sets its end time.
   *
   * @param microgridId the microgrid it belongs to
   * @param dispatch the dispatch with its metadata (id, create and update time)
   * @return the dispatch with {@code metadata.end_time} computed
   * @throws StatusRuntimeException INVALID_ARGUMENT naming the first bad field
   */
  public static Dispatch checkedWithEndTime(long microgridId, Dispatch dispatch) {
    io.microgrid.dispatch.api.Dispatch api = toApi(microgridId, dispatch);
    DispatchMetadata.Builder metadata = dispatch.getMetadata().toBuilder().clearEndTime();
    endTime(api).ifPresent(end -> metadata.setEndTime(Timestamps.of(end)));
    return dispatch.toBuilder().setMetadata(metadata).build();
  }

  /**
   * When a dispatch stops for good: for a finite duration, the start of its last occurrence plus
   * the duration, when there is a last occurrence (no recurrence, or a rule that ends by count or
   * until); empty when the dispatch runs for ever (no duration, or a rule that never ends).
   *
   * <p>A rule that ends but never occurs (an {@code until} before its first occurrence) has no
   * end time, as the real service sends none for it.
   */
  public static Optional<Instant> endTime(io.microgrid.dispatch.api.Dispatch d) {
    if (d.duration().isEmpty()) {
      return Optional.empty();
    }
    Duration duration = d.duration().get();
    Optional<RecurrenceRule> rule = d.recurrence();
    if (rule.isPresent() && rule.get().count().isEmpty() && rule.get().until().isEmpty()) {
      return Optional.empty();
    }
    // Without a rule this is the start itself; with one, the newest of all its occurrences.
    List<Instant> last = d.occurrencesBetween(d.startTime(), END_OF_TIME, 1);
    if (last.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(last.get(last.size() - 1).plus(duration));
  }

  /**
   * Reads a dispatch into the API type, which checks every field (the protocol's one reader).
   *
   * @throws StatusRuntimeException INVALID_ARGUMENT naming the first bad field
   */
  public static io.microgrid.dispatch.api.Dispatch toApi(long microgridId, Dispatch dispatch) {
    if (!dispatch.getData().hasStartTime()) {
      throw invalid("start_time is required");
    }
    // The end time is the server's to compute, from what is read here.
    Dispatch withoutEnd =
        dispatch.toBuilder().setMetadata(dispatch.getMetadata().toBuilder().clearEndTime()).build();
    try {
      return ProtoConversion.read(withoutEnd, microgridId);
    } catch (IllegalArgumentException | NullPointerException e) {
      // The API types name the field in their message ("type must not be empty",
      // "recurrence.byHours must be between 0 and 23, got 24", "payload is nested 6 levels ...").
      throw invalid(e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /** A rule with frequency UNSPECIFIED (or no rule) means the dispatch runs once. */
  public static boolean isRecurring(DispatchData data) {
    return data.hasRecurrence() && data.getRecurrence().getFreqValue() != 0;
  }

  private static Instant instant(String field, Timestamp timestamp) {
    try {
      return Timestamps.toInstant(field, timestamp);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  public static StatusRuntimeException invalid(String description) {
    return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
  }
}
