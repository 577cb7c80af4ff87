package io.microgrid.dispatch.scheduler.internal.core;

import static io.microgrid.dispatch.scheduler.internal.core.Dispatches.at;
import static io.microgrid.dispatch.scheduler.internal.core.Dispatches.dispatch;
import static io.microgrid.dispatch.scheduler.internal.core.Dispatches.withRule;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.scheduler.internal.core.DispatchSchedule.HeldState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Resuming from the persisted schedule after the gateway was down (semantics §3 and §6 across a
 * restart): nothing told before is told again, and what happened meanwhile is told at once, with
 * the runs that were missed.
 */
class ScheduleRestoreTest {
  // Every 10 minutes from 00:00, for 5 minutes.
  private static final Dispatch EVERY_TEN =
      withRule(
          dispatch(1, at("00:00"), Duration.ofMinutes(5)),
          RecurrenceRule.builder(Frequency.MINUTELY).interval(10).build());
  private static final Dispatch TWO_HOURS = dispatch(2, at("00:00"), Duration.ofHours(2));

  /** Runs a schedule until {@code downAt} and returns what it persisted then. */
  private static List<HeldState> runUntil(Instant downAt, Dispatch... dispatches) {
    Recorder before = new Recorder();
    DispatchSchedule schedule = new DispatchSchedule(Dispatches.MICROGRID, before);
    for (Dispatch d : dispatches) {
      schedule.apply(new DispatchEvent.Created(d), at("00:01"));
    }
    schedule.advance(downAt);
    return schedule.heldStates();
  }

  @Test
  void aRunThatGoesOnIsNotToldAgainAndStopsOnTime() {
    List<HeldState> saved = runUntil(at("00:30"), TWO_HOURS);
    Recorder after = new Recorder();
    DispatchSchedule schedule = new DispatchSchedule(Dispatches.MICROGRID, after);
    schedule.restore(saved, at("01:00"));
    assertEquals(List.of(), after.take(), "RUNNING was told before the restart");
    assertEquals(java.util.Optional.of(at("02:00")), schedule.nextDue());
    schedule.advance(at("02:00"));
    assertEquals(List.of("STOPPED 2 at " + at("02:00")), after.take());
  }

  @Test
  void aRunThatEndedWhileDownIsToldStoppedWithTheRunsMissed() {
    List<HeldState> saved = runUntil(at("00:02"), EVERY_TEN); // RUNNING told at 00:01
    Recorder after = new Recorder();
    DispatchSchedule schedule = new DispatchSchedule(Dispatches.MICROGRID, after);
    schedule.restore(saved, at("00:37"));
    assertEquals(
        List.of("STOPPED 1 at " + at("00:35") + " missed " + List.of(at("00:10"), at("00:20"), at("00:30"))),
        after.take(),
        "§9: at the instant it really ended, the end of its last occurrence, not the restart's");
    schedule.advance(at("00:40"));
    assertEquals(List.of("RUNNING 1 at " + at("00:40") + " until " + at("00:45")), after.take());
  }

  @Test
  void aLaterRunThanTheOneToldIsToldRunningWithTheRunsMissedBetween() {
    List<HeldState> saved = runUntil(at("00:02"), EVERY_TEN);
    Recorder after = new Recorder();
    DispatchSchedule schedule = new DispatchSchedule(Dispatches.MICROGRID, after);
    schedule.restore(saved, at("00:32"));
    assertEquals(
        List.of("RUNNING 1 at " + at("00:32") + " until " + at("00:35") + " missed " + List.of(at("00:10"), at("00:20"))),
        after.take());
    schedule.advance(at("00:35"));
    assertEquals(List.of("STOPPED 1 at " + at("00:35")), after.take());
  }

  @Test
  void runsMissedWhileDownAndNotRunningNowGoWithTheNextNotification() {
    List<HeldState> saved = runUntil(at("00:07"), EVERY_TEN); // told RUNNING 00:01, STOPPED 00:05
    Recorder after = new Recorder();
    DispatchSchedule schedule = new DispatchSchedule(Dispatches.MICROGRID, after);
    schedule.restore(saved, at("00:27"));
    assertEquals(List.of(), after.take(), "it was told STOPPED and is stopped");
    schedule.advance(at("00:30"));
    assertEquals(
        List.of("RUNNING 1 at " + at("00:30") + " until " + at("00:35") + " missed " + List.of(at("00:10"), at("00:20"))),
        after.take());
  }
}
