package io.microgrid.dispatch.scheduler.internal.core;

import static io.microgrid.dispatch.scheduler.internal.core.Dispatches.T0;
import static io.microgrid.dispatch.scheduler.internal.core.Dispatches.at;
import static io.microgrid.dispatch.scheduler.internal.core.Dispatches.dispatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rows of semantics.md §3 to §6, driven with virtual time: each test feeds changes and
 * instants to a {@link DispatchSchedule} and reads what listeners would have been told.
 */
class DispatchScheduleTest {
  private final Recorder out = new Recorder();
  private final DispatchSchedule schedule = new DispatchSchedule(Dispatches.MICROGRID, out);

  private static final Duration MIN15 = Duration.ofMinutes(15);

  private void created(Dispatch d, Instant now) {
    schedule.apply(new DispatchEvent.Created(d), now);
  }

  private void updated(Dispatch d, Instant now) {
    schedule.apply(new DispatchEvent.Updated(d), now);
  }

  private void deleted(Dispatch d, Instant now) {
    schedule.apply(new DispatchEvent.Deleted(d), now);
  }

  @Nested
  @DisplayName("§3 running-state notifications")
  class RunningStateRows {
    @Test
    @DisplayName("D becomes known (CREATED) and is running now: RUNNING, at once")
    void knownAndRunning() {
      created(dispatch(1, at("00:00"), MIN15), at("00:05"));
      assertEquals(
          List.of("RUNNING 1 at 2024-01-01T00:05:00Z until 2024-01-01T00:15:00Z", "Created 1"),
          out.take());
    }

    @Test
    @DisplayName("D becomes known and is not running: none; its next start is scheduled")
    void knownNotRunning() {
      created(dispatch(1, at("01:00"), MIN15), at("00:05"));
      assertEquals(List.of("Created 1"), out.take());
      assertEquals(Optional.of(at("01:00")), schedule.nextDue());
    }

    @Test
    @DisplayName("an occurrence of D starts: RUNNING at o; it stops: STOPPED at o + duration")
    void startsAndStops() {
      created(dispatch(1, at("01:00"), MIN15), at("00:00"));
      out.take();
      schedule.advance(at("00:59"));
      assertEquals(List.of(), out.take(), "nothing before the start");
      schedule.advance(at("01:00"));
      assertEquals(List.of("RUNNING 1 at 2024-01-01T01:00:00Z until 2024-01-01T01:15:00Z"), out.take());
      schedule.advance(at("01:15"));
      assertEquals(List.of("STOPPED 1 at 2024-01-01T01:15:00Z"), out.take());
      assertEquals(Optional.empty(), schedule.nextDue(), "a one-off dispatch is done");
    }

    @Test
    @DisplayName("an occurrence starts while the previous has not ended: RUNNING again, no stop")
    void overlappingOccurrences() {
      Dispatch d = Dispatches.withRule(dispatch(1, at("01:00"), Duration.ofMinutes(90)),
          RecurrenceRule.builder(Frequency.HOURLY).count(2).build());
      created(d, at("00:00"));
      out.take();
      schedule.advance(at("02:00"));
      assertEquals(
          List.of(
              "RUNNING 1 at 2024-01-01T01:00:00Z until 2024-01-01T02:30:00Z",
              "RUNNING 1 at 2024-01-01T02:00:00Z until 2024-01-01T03:30:00Z"),
          out.take());
      schedule.advance(at("03:30"));
      assertEquals(List.of("STOPPED 1 at 2024-01-01T03:30:00Z"), out.take());
    }

    @Test
    @DisplayName("back-to-back occurrences: only the RUNNING of the next, the dispatch never stopped")
    void backToBack() {
      Dispatch d = Dispatches.withRule(dispatch(1, at("01:00"), Duration.ofHours(1)),
          RecurrenceRule.builder(Frequency.HOURLY).count(2).build());
      created(d, at("00:00"));
      out.take();
      schedule.advance(at("03:00"));
      assertEquals(
          List.of(
              "RUNNING 1 at 2024-01-01T01:00:00Z until 2024-01-01T02:00:00Z",
              "RUNNING 1 at 2024-01-01T02:00:00Z until 2024-01-01T03:00:00Z",
              "STOPPED 1 at 2024-01-01T03:00:00Z"),
          out.take());
    }

    @Test
    @DisplayName("an occurrence with duration 0: RUNNING then STOPPED, both at o, in that order")
    void zeroDuration() {
      Dispatch d = Dispatches.withRule(dispatch(1, at("01:00"), Duration.ZERO),
          RecurrenceRule.builder(Frequency.HOURLY).count(2).build());
      created(d, at("00:00"));
      out.take();
      schedule.advance(at("02:00"));
      assertEquals(
          List.of(
              "RUNNING 1 at 2024-01-01T01:00:00Z until 2024-01-01T01:00:00Z",
              "STOPPED 1 at 2024-01-01T01:00:00Z",
              "RUNNING 1 at 2024-01-01T02:00:00Z until 2024-01-01T02:00:00Z",
              "STOPPED 1 at 2024-01-01T02:00:00Z"),
          out.take());
    }

    @Test
    @DisplayName("infinite duration: RUNNING at start, never STOPPED, recurrence ignored")
    void infinite() {
      Dispatch d = Dispatches.withRule(dispatch(1, at("01:00"), null),
          RecurrenceRule.builder(Frequency.MINUTELY).build());
      created(d, at("00:00"));
      out.take();
      schedule.advance(at("23:00"));
      assertEquals(List.of("RUNNING 1 at 2024-01-01T01:00:00Z"), out.take());
      assertEquals(Optional.empty(), schedule.nextDue());
    }

    @Test
    @DisplayName("UPDATED, and the running state changes: RUNNING or STOPPED, at once")
    void updateChangesRunningState() {
      Dispatch d = dispatch(1, at("01:00"), MIN15);
      created(d, at("00:00"));
      out.take();
      Dispatch moved = Dispatches.withStart(d, at("00:00"), at("00:10"));
      updated(moved, at("00:10"));
      assertEquals(
          List.of("RUNNING 1 at 2024-01-01T00:10:00Z until 2024-01-01T00:15:00Z", "Updated 1"),
          out.take());
      Dispatch away = Dispatches.withStart(moved, at("05:00"), at("00:12"));
      updated(away, at("00:12"));
      assertEquals(List.of("STOPPED 1 at 2024-01-01T00:12:00Z", "Updated 1"), out.take());
      assertEquals(Optional.of(at("05:00")), schedule.nextDue(), "the new start is scheduled");
      schedule.advance(at("00:15"));
      assertEquals(List.of(), out.take(), "the old stop is gone from the timeline");
    }

    @Test
    @DisplayName("UPDATED while running, payload changed: RUNNING with the new values, at once")
    void reconfigure() {
      Dispatch d = dispatch(1, at("00:00"), MIN15);
      created(d, at("00:01"));
      out.take();
      Dispatch changed = Dispatches.withPayload(d, Payload.of(Map.of("p", 1)), at("00:02"));
      updated(changed, at("00:02"));
      assertEquals(
          List.of("RUNNING 1 at 2024-01-01T00:02:00Z until 2024-01-01T00:15:00Z", "Updated 1"),
          out.take());
      assertEquals(changed.payload(), schedule.running(at("00:03")).get(0).dispatch().payload());
    }

    @Test
    @DisplayName("UPDATED while running, duration changed: RUNNING with the new until, at once")
    void reconfigureDuration() {
      Dispatch d = dispatch(1, at("00:00"), MIN15);
      created(d, at("00:01"));
      out.take();
      updated(Dispatches.withDuration(d, Duration.ofMinutes(30), at("00:02")), at("00:02"));
      assertEquals(
          List.of("RUNNING 1 at 2024-01-01T00:02:00Z until 2024-01-01T00:30:00Z", "Updated 1"),
          out.take());
      schedule.advance(at("00:15"));
      assertEquals(List.of(), out.take());
      schedule.advance(at("00:30"));
      assertEquals(List.of("STOPPED 1 at 2024-01-01T00:30:00Z"), out.take());
    }

    @Test
    @DisplayName("UPDATED while running, type, target or dry_run changed: RUNNING with the new values")
    void reconfigureOnTypeTargetDryRun() {
      Dispatch d = dispatch(1, at("00:00"), MIN15);
      created(d, at("00:01"));
      out.take();
      Dispatch retyped = new Dispatch(d.id(), d.microgridId(), "OTHER", d.startTime(), d.duration(),
          d.target(), true, false, d.payload(), d.recurrence(), d.createTime(), at("00:02"), d.endTime());
      updated(retyped, at("00:02"));
      Dispatch retargeted = new Dispatch(d.id(), d.microgridId(), "OTHER", d.startTime(), d.duration(),
          io.microgrid.dispatch.api.TargetComponents.ids(7), true, false, d.payload(), d.recurrence(),
          d.createTime(), at("00:03"), d.endTime());
      updated(retargeted, at("00:03"));
      Dispatch dry = new Dispatch(d.id(), d.microgridId(), "OTHER", d.startTime(), d.duration(),
          io.microgrid.dispatch.api.TargetComponents.ids(7), true, true, d.payload(), d.recurrence(),
          d.createTime(), at("00:04"), d.endTime());
      updated(dry, at("00:04"));
      assertEquals(
          List.of(
              "RUNNING 1 at 2024-01-01T00:02:00Z until 2024-01-01T00:15:00Z", "Updated 1",
              "RUNNING 1 at 2024-01-01T00:03:00Z until 2024-01-01T00:15:00Z", "Updated 1",
              "RUNNING 1 at 2024-01-01T00:04:00Z until 2024-01-01T00:15:00Z", "Updated 1"),
          out.take());
      assertEquals("OTHER", schedule.running(at("00:05")).get(0).dispatch().type());
      assertTrue(schedule.running(at("00:05")).get(0).dispatch().dryRun());
    }

    @Test
    @DisplayName("UPDATED and neither of the above: none, only the schedule is recomputed")
    void silentUpdate() {
      Dispatch d = dispatch(1, at("01:00"), MIN15);
      created(d, at("00:00"));
      out.take();
      updated(Dispatches.withStart(d, at("02:00"), at("00:01")), at("00:01"));
      assertEquals(List.of("Updated 1"), out.take());
      assertEquals(Optional.of(at("02:00")), schedule.nextDue());

      Dispatch running = dispatch(2, at("00:00"), Duration.ofHours(3));
      created(running, at("00:02"));
      out.take();
      // Moving the start while it still covers now changes nothing a consumer acts on.
      updated(Dispatches.withStart(running, at("00:01"), at("00:03")), at("00:03"));
      assertEquals(List.of("Updated 2"), out.take());
    }

    @Test
    @DisplayName("D deactivated while running: STOPPED at once; reactivated inside a window: RUNNING")
    void deactivateAndReactivate() {
      Dispatch d = dispatch(1, at("00:00"), Duration.ofHours(1));
      created(d, at("00:01"));
      out.take();
      Dispatch off = Dispatches.withActive(d, false, at("00:10"));
      updated(off, at("00:10"));
      assertEquals(List.of("STOPPED 1 at 2024-01-01T00:10:00Z", "Updated 1"), out.take());
      assertEquals(Optional.empty(), schedule.nextDue(), "an inactive dispatch has no transition");
      updated(Dispatches.withActive(off, true, at("00:20")), at("00:20"));
      assertEquals(
          List.of("RUNNING 1 at 2024-01-01T00:20:00Z until 2024-01-01T01:00:00Z", "Updated 1"),
          out.take());
    }

    @Test
    @DisplayName("DELETED while running: STOPPED at once; DELETED while not running: none")
    void deleted_() {
      Dispatch running = dispatch(1, at("00:00"), Duration.ofHours(1));
      Dispatch later = dispatch(2, at("05:00"), Duration.ofHours(1));
      created(running, at("00:01"));
      created(later, at("00:01"));
      out.take();
      deleted(running, at("00:02"));
      deleted(later, at("00:02"));
      assertEquals(
          List.of("STOPPED 1 at 2024-01-01T00:02:00Z", "Deleted 1", "Deleted 2"), out.take());
      assertEquals(Optional.empty(), schedule.nextDue());
      assertEquals(0, schedule.pendingTransitions());
    }

    @Test
    @DisplayName("an event for an unknown id, or older than what is held: ignored")
    void unknownOrOlderIgnored() {
      Dispatch d = dispatch(1, at("01:00"), MIN15);
      updated(dispatch(9, at("01:00"), MIN15), at("00:00"));
      deleted(dispatch(9, at("01:00"), MIN15), at("00:00"));
      assertEquals(List.of(), out.take());
      created(Dispatches.modifiedAt(d, at("00:05")), at("00:05"));
      out.take();
      updated(Dispatches.withStart(d, at("00:00"), at("00:04")), at("00:06"));
      created(Dispatches.modifiedAt(d, at("00:05")), at("00:06"));
      assertEquals(List.of(), out.take(), "not newer than what is held");
    }

    @Test
    @DisplayName("transitions at one instant: stops first, then starts, each in order of dispatch id")
    void stopsBeforeStarts() {
      created(dispatch(5, at("01:00"), MIN15), at("00:00"));
      created(dispatch(3, at("00:45"), MIN15), at("00:00"));
      created(dispatch(4, at("01:00"), MIN15), at("00:00"));
      created(dispatch(2, at("00:30"), Duration.ofMinutes(30)), at("00:00"));
      out.take();
      schedule.advance(at("00:59"));
      out.take();
      schedule.advance(at("01:00"));
      assertEquals(
          List.of(
              "STOPPED 2 at 2024-01-01T01:00:00Z",
              "STOPPED 3 at 2024-01-01T01:00:00Z",
              "RUNNING 4 at 2024-01-01T01:00:00Z until 2024-01-01T01:15:00Z",
              "RUNNING 5 at 2024-01-01T01:00:00Z until 2024-01-01T01:15:00Z"),
          out.take());
    }

    @Test
    @DisplayName("a notification carries an immutable snapshot of the dispatch at the transition")
    void snapshots() {
      Dispatch d = dispatch(1, at("00:00"), MIN15);
      created(d, at("00:01"));
      RunningStateChange first = out.changes.get(0);
      out.take();
      updated(Dispatches.withPayload(d, Payload.of(Map.of("v", 2)), at("00:02")), at("00:02"));
      assertEquals(Payload.EMPTY, first.dispatch().payload(), "the earlier snapshot is unchanged");
      assertNotSame(first.dispatch(), out.changes.get(0).dispatch());
      assertEquals(RunningState.RUNNING, first.state());
    }
  }

  @Nested
  @DisplayName("§4 lifecycle events")
  class LifecycleRows {
    @Test
    @DisplayName("Created, Updated and Deleted are delivered exactly once per change, after the running-state notification")
    void exactlyOnceAfterRunningState() {
      Dispatch d = dispatch(1, at("00:00"), Duration.ofHours(1));
      created(d, at("00:01"));
      schedule.sync(List.of(d), Set.of(), at("00:02"));
      Dispatch u = Dispatches.withPayload(d, Payload.of(Map.of("x", 1)), at("00:03"));
      updated(u, at("00:03"));
      schedule.sync(List.of(u), Set.of(), at("00:04"));
      deleted(u, at("00:05"));
      schedule.sync(List.of(), Set.of(), at("00:06"));
      assertEquals(
          List.of(
              "RUNNING 1 at 2024-01-01T00:01:00Z until 2024-01-01T01:00:00Z",
              "Created 1",
              "RUNNING 1 at 2024-01-01T00:03:00Z until 2024-01-01T01:00:00Z",
              "Updated 1",
              "STOPPED 1 at 2024-01-01T00:05:00Z",
              "Deleted 1"),
          out.take(),
          "a resync that finds nothing new repeats nothing");
    }
  }

  @Nested
  @DisplayName("§5 staying in sync")
  class SyncRows {
    @Test
    @DisplayName("the diff of a resync produces exactly the events the missed stream events would have")
    void diff() {
      Dispatch kept = dispatch(1, at("03:00"), MIN15);
      Dispatch changed = dispatch(2, at("00:00"), Duration.ofHours(1));
      Dispatch gone = dispatch(3, at("00:00"), Duration.ofHours(1));
      schedule.sync(List.of(kept, changed, gone), Set.of(), at("00:10"));
      assertEquals(
          List.of(
              "Created 1",
              "RUNNING 2 at 2024-01-01T00:10:00Z until 2024-01-01T01:00:00Z",
              "Created 2",
              "RUNNING 3 at 2024-01-01T00:10:00Z until 2024-01-01T01:00:00Z",
              "Created 3"),
          out.take());

      Dispatch fresh = dispatch(4, at("00:00"), Duration.ofHours(1));
      Dispatch changedOff = Dispatches.withActive(changed, false, at("00:15"));
      schedule.sync(List.of(kept, changedOff, fresh), Set.of(), at("00:20"));
      // §3: the changes of one resync happen at one instant, so the stops come first (found by
      // the simulated month: a deletion was told after a creation).
      assertEquals(
          List.of(
              "STOPPED 2 at 2024-01-01T00:20:00Z",
              "Updated 2",
              "STOPPED 3 at 2024-01-01T00:20:00Z",
              "Deleted 3",
              "RUNNING 4 at 2024-01-01T00:20:00Z until 2024-01-01T01:00:00Z",
              "Created 4"),
          out.take());
    }

    @Test
    @DisplayName("an update of a dispatch not known yet is ignored, and the list then adds it")
    void ignoredUpdateThenListed() {
      Dispatch d = dispatch(5, at("03:00"), MIN15);
      assertEquals(false, schedule.apply(new DispatchEvent.Updated(d), at("00:00")));
      assertEquals(List.of(), out.take());
      schedule.sync(List.of(d), Set.of(), at("00:01"));
      assertEquals(List.of("Created 5"), out.take());
    }

    @Test
    @DisplayName("events that arrive while the list is read are not lost nor undone by the list")
    void eventsDuringTheList() {
      Dispatch a = dispatch(1, at("03:00"), MIN15);
      Dispatch b = dispatch(2, at("03:00"), MIN15);
      schedule.sync(List.of(a, b), Set.of(), at("00:00"));
      out.take();
      // While a list is read: 3 is created and 2 deleted on the stream; the list is older.
      Dispatch c = dispatch(3, at("04:00"), MIN15);
      created(c, at("00:01"));
      deleted(b, at("00:01"));
      schedule.sync(List.of(a, b), Set.of(2L, 3L), at("00:02"));
      assertEquals(List.of("Created 3", "Deleted 2"), out.take());
      assertEquals(List.of(1L, 3L), schedule.dispatches().stream().map(Dispatch::id).toList());
    }
  }

  @Nested
  @DisplayName("§6 missed runs")
  class MissedRuns {
    @Test
    @DisplayName("occurrences after the last modification and before now are listed on the next notification, oldest first")
    void missedOnNextNotification() {
      Dispatch d = Dispatches.withRule(
          Dispatches.modifiedAt(dispatch(1, at("00:00"), MIN15), at("00:00")),
          RecurrenceRule.builder(Frequency.HOURLY).build());
      // Learned at 02:30: 00:00, 01:00 and 02:00 ran while nobody was told.
      created(d, at("02:30"));
      assertEquals(List.of("Created 1"), out.take());
      schedule.advance(at("03:00"));
      assertEquals(
          List.of("RUNNING 1 at 2024-01-01T03:00:00Z until 2024-01-01T03:15:00Z missed "
              + "[2024-01-01T00:00:00Z, 2024-01-01T01:00:00Z, 2024-01-01T02:00:00Z]"),
          out.take());
      schedule.advance(at("03:15"));
      assertEquals(List.of("STOPPED 1 at 2024-01-01T03:15:00Z"), out.take(), "listed once");
    }

    @Test
    @DisplayName("the occurrence running now is delivered, not missed")
    void runningNowIsNotMissed() {
      Dispatch d = Dispatches.withRule(
          Dispatches.modifiedAt(dispatch(1, at("00:00"), Duration.ofMinutes(30)), at("00:00")),
          RecurrenceRule.builder(Frequency.HOURLY).build());
      created(d, at("01:10"));
      assertEquals(
          List.of("RUNNING 1 at 2024-01-01T01:10:00Z until 2024-01-01T01:30:00Z missed "
              + "[2024-01-01T00:00:00Z]", "Created 1"),
          out.take());
    }

    @Test
    @DisplayName("occurrences before the last modification are never missed runs; at most the newest 100")
    void boundsOfMissedRuns() {
      Dispatch d = Dispatches.withRule(
          Dispatches.modifiedAt(dispatch(1, T0, Duration.ofSeconds(10)), at("01:00")),
          RecurrenceRule.builder(Frequency.MINUTELY).build());
      created(d, Instant.parse("2024-01-01T04:00:30Z"));
      out.take();
      schedule.advance(at("04:01"));
      RunningStateChange next = out.changes.get(0);
      assertEquals(100, next.missedRuns().size());
      assertEquals(at("04:00"), next.missedRuns().get(99), "the newest ones");
      assertTrue(next.missedRuns().get(0).isAfter(at("01:00")));
      assertTrue(next.missedRuns().stream().noneMatch(o -> o.isBefore(at("01:00"))));
    }
  }
}
