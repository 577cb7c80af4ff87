package io.microgrid.dispatch.scheduler.internal.persist;

import com.google.protobuf.Timestamp;
import io.microgrid.dispatch.api.ComponentCategory;
import io.microgrid.dispatch.api.ComponentType;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.protocol.legacy.LegacyCategories;
import io.microgrid.dispatch.protocol.types.JsonStructs;
import io.microgrid.dispatch.protocol.types.Timestamps;
import io.microgrid.dispatch.scheduler.internal.proto.CategorySet;
import io.microgrid.dispatch.scheduler.internal.proto.CategoryType;
import io.microgrid.dispatch.scheduler.internal.proto.IdSet;
import io.microgrid.dispatch.scheduler.internal.proto.Recurrence;
import io.microgrid.dispatch.scheduler.internal.proto.StoredDispatch;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
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
            .setPayload(JsonStructs.toStruct(d.payload().asJson()))
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
      cats.types()
          .forEach(
              t ->
                  set.addTypes(
                      CategoryType.newBuilder()
                          .setCategory(t.category().number())
                          .setType(t.number())));
      b.setComponentCategories(set);
    }
    d.recurrence().ifPresent(r -> b.setRecurrence(write(r)));
    d.endTime().ifPresent(t -> b.setEndTime(timestamp(t)));
    return b.build();
  }

  /**
   * Reads a dispatch back from a file of the current format.
   *
   * @throws IllegalArgumentException or NullPointerException naming what is wrong
   */
  static Dispatch read(StoredDispatch s, long microgridId) {
    return read(s, microgridId, ScheduleFile.FORMAT);
  }

  /**
   * Reads a dispatch back from a file of the given format.
   *
   * @throws IllegalArgumentException or NullPointerException naming what is wrong, also for a
   *     format 1 category that has no counterpart in the v1alpha8 numbering
   */
  static Dispatch read(StoredDispatch s, long microgridId, int format) {
    TargetComponents target =
        switch (s.getTargetCase()) {
          case COMPONENT_IDS -> new TargetComponents.Ids(s.getComponentIds().getIdsList());
          case COMPONENT_CATEGORIES ->
              new TargetComponents.Categories(
                  s.getComponentCategories().getCategoriesList().stream()
                      .map(n -> new ComponentCategory(format == 1 ? fromV1(s.getId(), n) : n))
                      .toList(),
                  s.getComponentCategories().getTypesList().stream()
                      .map(t -> new ComponentType(new ComponentCategory(t.getCategory()), t.getType()))
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
        Payload.of(JsonStructs.toJson("payload", s.getPayload())),
        s.hasRecurrence() ? Optional.of(read(s.getRecurrence())) : Optional.empty(),
        instant(s.getCreateTime()),
        instant(s.getUpdateTime()),
        s.hasEndTime() ? Optional.of(instant(s.getEndTime())) : Optional.empty());
  }

  /** Format 1 files hold category numbers from before API v1.1, which mean other categories now. */
  private static int fromV1(long id, int number) {
    return LegacyCategories.toV1alpha8(number)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "dispatch " + id + ": " + LegacyCategories.noCounterpart(number).getMessage()));
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
    return Timestamps.of(t);
  }

  static Instant instant(Timestamp t) {
    return Timestamps.toInstant("time", t);
  }
}
