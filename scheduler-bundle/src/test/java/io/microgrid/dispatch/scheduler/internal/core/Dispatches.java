package io.microgrid.dispatch.scheduler.internal.core;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.TargetComponents;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** Builds dispatches for tests, each change a new immutable copy. */
public final class Dispatches {
  public static final long MICROGRID = 1;
  public static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  private Dispatches() {}

  public static Instant at(String hhmm) {
    return Instant.parse("2024-01-01T" + hhmm + ":00Z");
  }

  public static Dispatch dispatch(long id, Instant start, Duration duration) {
    return new Dispatch(
        id, MICROGRID, "TYPE", start, Optional.ofNullable(duration), TargetComponents.ids(1),
        true, false, Payload.EMPTY, Optional.empty(), T0.minusSeconds(3600), T0.minusSeconds(3600),
        Optional.empty());
  }

  public static Dispatch withRule(Dispatch d, RecurrenceRule rule) {
    return copy(d, d.type(), d.startTime(), d.duration(), d.target(), d.active(), d.payload(),
        Optional.of(rule), d.updateTime());
  }

  public static Dispatch modifiedAt(Dispatch d, Instant updateTime) {
    return copy(d, d.type(), d.startTime(), d.duration(), d.target(), d.active(), d.payload(),
        d.recurrence(), updateTime);
  }

  public static Dispatch withActive(Dispatch d, boolean active, Instant updateTime) {
    return copy(d, d.type(), d.startTime(), d.duration(), d.target(), active, d.payload(),
        d.recurrence(), updateTime);
  }

  public static Dispatch withPayload(Dispatch d, Payload payload, Instant updateTime) {
    return copy(d, d.type(), d.startTime(), d.duration(), d.target(), d.active(), payload,
        d.recurrence(), updateTime);
  }

  public static Dispatch withStart(Dispatch d, Instant start, Instant updateTime) {
    return copy(d, d.type(), start, d.duration(), d.target(), d.active(), d.payload(),
        d.recurrence(), updateTime);
  }

  public static Dispatch withDuration(Dispatch d, Duration duration, Instant updateTime) {
    return copy(d, d.type(), d.startTime(), Optional.ofNullable(duration), d.target(), d.active(),
        d.payload(), d.recurrence(), updateTime);
  }

  private static Dispatch copy(
      Dispatch d, String type, Instant start, Optional<Duration> duration, TargetComponents target,
      boolean active, Payload payload, Optional<RecurrenceRule> rule, Instant updateTime) {
    return new Dispatch(
        d.id(), d.microgridId(), type, start, duration, target, active, d.dryRun(), payload, rule,
        d.createTime(), updateTime, d.endTime());
  }
}
