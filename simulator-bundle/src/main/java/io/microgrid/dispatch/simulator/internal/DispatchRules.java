package io.microgrid.dispatch.simulator.internal;

import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.microgrid.dispatch.api.ComponentCategory;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.JsonValue;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.internal.proto.Dispatch;
import io.microgrid.dispatch.client.internal.proto.DispatchData;
import io.microgrid.dispatch.client.internal.proto.DispatchMetadata;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The server-side rules of the Dispatch API for what a dispatch may hold, and the end time the
 * server computes. A dispatch is checked by reading it into the API's own {@link
 * io.microgrid.dispatch.api.Dispatch}, whose constructor checks every field (type, payload
 * limits, recurrence ranges), so the simulator refuses exactly what the API types cannot hold;
 * the same object then evaluates the schedule for the end time.
 */
final class DispatchRules {

  /**
   * How far in the past a start time may lie and still be accepted: a request that starts "now"
   * was stamped by its client a moment before it arrived, on a clock that may be a little off.
   */
  static final Duration START_TOLERANCE = Duration.ofSeconds(5);

  /** Occurrences end with the year 9999, as the API bundle's schedule (and dateutil) do. */
  private static final Instant END_OF_TIME = Instant.parse("9999-12-31T23:59:59Z").plusSeconds(1);

  private DispatchRules() {}

  /**
   * Refuses a missing start time, or one more than {@link #START_TOLERANCE} before {@code now}.
   *
   * @throws StatusRuntimeException INVALID_ARGUMENT
   */
  static void requireStartNotPast(boolean present, Timestamp startTime, Instant now) {
    if (!present) {
      throw invalid("start_time is required");
    }
    Instant start = instant("start_time", startTime);
    if (start.isBefore(now.minus(START_TOLERANCE))) {
      throw invalid("start_time " + start + " is in the past (now is " + now + ")");
    }
  }

  /**
   * Checks a dispatch as it is about to be stored and sets its end time.
   *
   * @param microgridId the microgrid it belongs to
   * @param dispatch the dispatch with its metadata (id, create and modification time)
   * @return the dispatch with {@code metadata.end_time} computed
   * @throws StatusRuntimeException INVALID_ARGUMENT naming the first bad field
   */
  static Dispatch checkedWithEndTime(long microgridId, Dispatch dispatch) {
    io.microgrid.dispatch.api.Dispatch api = toApi(microgridId, dispatch);
    DispatchMetadata.Builder metadata = dispatch.getMetadata().toBuilder().clearEndTime();
    endTime(api).ifPresent(end -> metadata.setEndTime(ProtoTime.of(end)));
    return dispatch.toBuilder().setMetadata(metadata).build();
  }

  /**
   * When a dispatch stops for good: for a finite duration, the start of its last occurrence plus
   * the duration, when there is a last occurrence (no recurrence, or a rule that ends by count or
   * until); empty when the dispatch runs for ever (no duration, or a rule that never ends).
   *
   * <p>A rule that ends but has no occurrence at all (an {@code until} before the start, or a
   * rule that cannot be evaluated) is given the end of its start's run, as if it ran once.
   */
  static Optional<Instant> endTime(io.microgrid.dispatch.api.Dispatch d) {
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
    Instant lastStart = last.isEmpty() ? d.startTime() : last.get(last.size() - 1);
    return Optional.of(lastStart.plus(duration));
  }

  /**
   * Reads a dispatch into the API type, which checks every field.
   *
   * @throws StatusRuntimeException INVALID_ARGUMENT naming the first bad field
   */
  static io.microgrid.dispatch.api.Dispatch toApi(long microgridId, Dispatch dispatch) {
    DispatchMetadata meta = dispatch.getMetadata();
    DispatchData data = dispatch.getData();
    if (!data.hasStartTime()) {
      throw invalid("start_time is required");
    }
    try {
      return new io.microgrid.dispatch.api.Dispatch(
          meta.getDispatchId(),
          microgridId,
          data.getType(),
          ProtoTime.toInstant("start_time", data.getStartTime()),
          data.hasDuration()
              ? Optional.of(Duration.ofSeconds(Integer.toUnsignedLong(data.getDuration())))
              : Optional.empty(),
          target(data),
          data.getIsActive(),
          data.getIsDryRun(),
          data.hasPayload() ? Payload.of(struct("payload", data.getPayload())) : Payload.EMPTY,
          recurrence(data),
          ProtoTime.toInstant("create_time", meta.getCreateTime()),
          ProtoTime.toInstant("modification_time", meta.getModificationTime()),
          Optional.empty());
    } catch (IllegalArgumentException | NullPointerException e) {
      // The API types name the field in their message ("type must not be empty",
      // "recurrence.byHours must be between 0 and 23, got 24", "payload is nested 6 levels ...").
      throw invalid(e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  private static TargetComponents target(DispatchData data) {
    var t = data.getTarget();
    return switch (t.getComponentsCase()) {
      case COMPONENT_IDS -> new TargetComponents.Ids(t.getComponentIds().getIdsList());
      // Categories by number, so that a category unknown to this version is kept.
      case COMPONENT_CATEGORIES -> new TargetComponents.Categories(
          t.getComponentCategories().getCategoriesValueList().stream()
              .map(ComponentCategory::new)
              .toList());
      case COMPONENTS_NOT_SET -> new TargetComponents.Ids(List.of());
    };
  }

  private static Optional<RecurrenceRule> recurrence(DispatchData data) {
    if (!isRecurring(data)) {
      return Optional.empty();
    }
    var r = data.getRecurrence();
    OptionalInt count = OptionalInt.empty();
    Optional<Instant> until = Optional.empty();
    if (r.hasEndCriteria()) {
      var end = r.getEndCriteria();
      switch (end.getCountOrUntilCase()) {
        case COUNT -> count = OptionalInt.of(unsigned("recurrence.end_criteria.count", end.getCount()));
        case UNTIL -> until = Optional.of(
            ProtoTime.toInstant("recurrence.end_criteria.until", end.getUntil()));
        case COUNTORUNTIL_NOT_SET -> { }
      }
    }
    List<DayOfWeek> weekdays = new ArrayList<>();
    for (int w : r.getByweekdaysValueList()) {
      if (w < 1 || w > 7) {
        throw new IllegalArgumentException(
            "recurrence.byweekdays has "
                + (w == 0 ? "WEEKDAY_UNSPECIFIED" : "unknown value " + w));
      }
      weekdays.add(DayOfWeek.of(w));
    }
    return Optional.of(
        new RecurrenceRule(
            frequency(r.getFreqValue()),
            unsigned("recurrence.interval", r.getInterval()),
            count,
            until,
            unsigned("recurrence.byminutes", r.getByminutesList()),
            unsigned("recurrence.byhours", r.getByhoursList()),
            weekdays,
            r.getBymonthdaysList(),
            unsigned("recurrence.bymonths", r.getBymonthsList())));
  }

  /** A rule with frequency UNSPECIFIED (or no rule) means the dispatch runs once. */
  static boolean isRecurring(DispatchData data) {
    return data.hasRecurrence() && data.getRecurrence().getFreqValue() != 0;
  }

  private static Frequency frequency(int number) {
    return switch (number) {
      case 1 -> Frequency.MINUTELY;
      case 2 -> Frequency.HOURLY;
      case 3 -> Frequency.DAILY;
      case 4 -> Frequency.WEEKLY;
      case 5 -> Frequency.MONTHLY;
      case 6 -> Frequency.YEARLY;
      default -> throw new IllegalArgumentException("recurrence.freq has unknown value " + number);
    };
  }

  private static int unsigned(String field, int raw) {
    if (raw < 0) {
      throw new IllegalArgumentException(field + " is too large: " + Integer.toUnsignedString(raw));
    }
    return raw;
  }

  private static List<Integer> unsigned(String field, List<Integer> raw) {
    return raw.stream().map(v -> unsigned(field, v)).toList();
  }

  private static JsonValue.JsonObject struct(String field, Struct struct) {
    Map<String, JsonValue> fields = new LinkedHashMap<>();
    struct.getFieldsMap().forEach((k, v) -> fields.put(k, value(field + "." + k, v)));
    return new JsonValue.JsonObject(fields);
  }

  private static JsonValue value(String field, Value v) {
    return switch (v.getKindCase()) {
      case NULL_VALUE -> JsonValue.JsonNull.INSTANCE;
      case BOOL_VALUE -> new JsonValue.JsonBoolean(v.getBoolValue());
      case NUMBER_VALUE -> {
        if (!Double.isFinite(v.getNumberValue())) {
          throw new IllegalArgumentException(field + " is not a finite number");
        }
        yield new JsonValue.JsonNumber(v.getNumberValue());
      }
      case STRING_VALUE -> new JsonValue.JsonString(v.getStringValue());
      case STRUCT_VALUE -> struct(field, v.getStructValue());
      case LIST_VALUE -> {
        List<JsonValue> values = new ArrayList<>();
        List<Value> list = v.getListValue().getValuesList();
        for (int i = 0; i < list.size(); i++) {
          values.add(value(field + "[" + i + "]", list.get(i)));
        }
        yield new JsonValue.JsonArray(values);
      }
      case KIND_NOT_SET -> throw new IllegalArgumentException(field + " has no value");
    };
  }

  private static Instant instant(String field, Timestamp timestamp) {
    try {
      return ProtoTime.toInstant(field, timestamp);
    } catch (IllegalArgumentException e) {
      throw invalid(e.getMessage());
    }
  }

  static StatusRuntimeException invalid(String description) {
    return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
  }
}
