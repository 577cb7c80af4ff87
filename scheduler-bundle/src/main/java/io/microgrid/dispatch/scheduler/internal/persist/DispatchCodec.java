package io.microgrid.dispatch.scheduler.internal.persist;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.microgrid.dispatch.api.ComponentCategory;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.JsonValue;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.scheduler.internal.proto.CategorySet;
import io.microgrid.dispatch.scheduler.internal.proto.IdSet;
import io.microgrid.dispatch.scheduler.internal.proto.Recurrence;
import io.microgrid.dispatch.scheduler.internal.proto.StoredDispatch;
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
 * Writes the API's {@link Dispatch} into the persisted schedule's {@link StoredDispatch} and reads it
 * back, field for field. Reading goes through the API constructors, which check every value, so a
 * damaged file fails with the name of the bad field instead of producing a wrong dispatch.
 */
final class DispatchCodec {
  private DispatchCodec() {}

  static StoredDispatch write(Dispatch d) {
    StoredDispatch.Builder b =
        StoredDispatch.newBuilder()
            .setId(d.id())
            .setType(d.type())
            .setStartTime(timestamp(d.startTime()))
            .setActive(d.active())
            .setDryRun(d.dryRun())
            .setPayload(struct(d.payload().asJson()))
            .setCreateTime(timestamp(d.createTime()))
            .setUpdateTime(timestamp(d.updateTime()));
    d.duration()
        .ifPresent(
            x -> b.setDuration(
                com.google.protobuf.Duration.newBuilder().setSeconds(x.getSeconds()).setNanos(x.getNano())));
    if (d.target() instanceof TargetComponents.Ids ids) {
      b.setComponentIds(IdSet.newBuilder().addAllIds(ids.ids()));
    } else if (d.target() instanceof TargetComponents.Categories cats) {
      CategorySet.Builder set = CategorySet.newBuilder();
      cats.categories().forEach(c -> set.addCategories(c.number()));
      b.setComponentCategories(set);
    }
    d.recurrence().ifPresent(r -> b.setRecurrence(write(r)));
    d.endTime().ifPresent(t -> b.setEndTime(timestamp(t)));
    return b.build();
  }

  /**
   * Reads a dispatch back.
   *
   * @throws IllegalArgumentException or NullPointerException naming what is wrong
   */
  static Dispatch read(StoredDispatch s, long microgridId) {
    TargetComponents target =
        switch (s.getTargetCase()) {
          case COMPONENT_IDS -> new TargetComponents.Ids(s.getComponentIds().getIdsList());
          case COMPONENT_CATEGORIES ->
              new TargetComponents.Categories(
                  s.getComponentCategories().getCategoriesList().stream()
                      .map(ComponentCategory::new)
                      .toList());
          case TARGET_NOT_SET -> throw new IllegalArgumentException("dispatch " + s.getId() + " has no target");
        };
    return new Dispatch(
        s.getId(),
        microgridId,
        s.getType(),
        instant(s.getStartTime()),
        s.hasDuration()
            ? Optional.of(Duration.ofSeconds(s.getDuration().getSeconds(), s.getDuration().getNanos()))
            : Optional.empty(),
        target,
        s.getActive(),
        s.getDryRun(),
        Payload.of(json(s.getPayload())),
        s.hasRecurrence() ? Optional.of(read(s.getRecurrence())) : Optional.empty(),
        instant(s.getCreateTime()),
        instant(s.getUpdateTime()),
        s.hasEndTime() ? Optional.of(instant(s.getEndTime())) : Optional.empty());
  }

  private static Recurrence write(RecurrenceRule r) {
    Recurrence.Builder b =
        Recurrence.newBuilder()
            .setFrequency(r.frequency().name())
            .setInterval(r.interval())
            .addAllByMinutes(r.byMinutes())
            .addAllByHours(r.byHours())
            .addAllByMonthDays(r.byMonthDays())
            .addAllByMonths(r.byMonths());
    r.byWeekdays().forEach(day -> b.addByWeekdays(day.getValue()));
    r.count().ifPresent(b::setCount);
    r.until().ifPresent(t -> b.setUntil(timestamp(t)));
    return b.build();
  }

  private static RecurrenceRule read(Recurrence r) {
    List<DayOfWeek> weekdays = r.getByWeekdaysList().stream().map(DayOfWeek::of).toList();
    return new RecurrenceRule(
        Frequency.valueOf(r.getFrequency()),
        r.getInterval(),
        r.getCount() == 0 ? OptionalInt.empty() : OptionalInt.of(r.getCount()),
        r.hasUntil() ? Optional.of(instant(r.getUntil())) : Optional.empty(),
        r.getByMinutesList(),
        r.getByHoursList(),
        weekdays,
        r.getByMonthDaysList(),
        r.getByMonthsList());
  }

  static Timestamp timestamp(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  static Instant instant(Timestamp t) {
    return Instant.ofEpochSecond(t.getSeconds(), t.getNanos());
  }

  // The payload as a protobuf Struct, the JSON shape protobuf already knows.

  private static Struct struct(JsonValue.JsonObject o) {
    Struct.Builder b = Struct.newBuilder();
    o.fields().forEach((k, v) -> b.putFields(k, value(v)));
    return b.build();
  }

  private static Value value(JsonValue v) {
    Value.Builder b = Value.newBuilder();
    if (v instanceof JsonValue.JsonBoolean x) {
      b.setBoolValue(x.value());
    } else if (v instanceof JsonValue.JsonNumber x) {
      b.setNumberValue(x.value());
    } else if (v instanceof JsonValue.JsonString x) {
      b.setStringValue(x.value());
    } else if (v instanceof JsonValue.JsonArray x) {
      ListValue.Builder list = ListValue.newBuilder();
      x.values().forEach(e -> list.addValues(value(e)));
      b.setListValue(list);
    } else if (v instanceof JsonValue.JsonObject x) {
      b.setStructValue(struct(x));
    } else {
      b.setNullValue(NullValue.NULL_VALUE);
    }
    return b.build();
  }

  private static JsonValue.JsonObject json(Struct s) {
    Map<String, JsonValue> fields = new LinkedHashMap<>();
    s.getFieldsMap().forEach((k, v) -> fields.put(k, json(v)));
    return new JsonValue.JsonObject(fields);
  }

  private static JsonValue json(Value v) {
    return switch (v.getKindCase()) {
      case BOOL_VALUE -> new JsonValue.JsonBoolean(v.getBoolValue());
      case NUMBER_VALUE -> new JsonValue.JsonNumber(v.getNumberValue());
      case STRING_VALUE -> new JsonValue.JsonString(v.getStringValue());
      case STRUCT_VALUE -> json(v.getStructValue());
      case LIST_VALUE -> {
        List<JsonValue> values = new ArrayList<>();
        v.getListValue().getValuesList().forEach(e -> values.add(json(e)));
        yield new JsonValue.JsonArray(values);
      }
      case NULL_VALUE, KIND_NOT_SET -> JsonValue.JsonNull.INSTANCE;
    };
  }
}
