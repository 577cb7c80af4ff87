package io.microgrid.dispatch.api;

import static io.microgrid.dispatch.api.ScheduleFixtures.at;
import static io.microgrid.dispatch.api.ScheduleFixtures.dispatch;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Semantics §2 on {@link Dispatch}: runningState, until and nextRunAfter. */
class DispatchScheduleTest {
  private static final Instant START = at("2024-01-01T10:00:00Z");
  private static final Optional<Duration> ONE_HOUR = Optional.of(Duration.ofHours(1));
  private static final Optional<Duration> FOREVER = Optional.empty();

  private static Optional<RecurrenceRule> daily(int count) {
    return Optional.of(RecurrenceRule.builder(Frequency.DAILY).count(count).build());
  }

  private static Optional<RecurrenceRule> hourly() {
    return Optional.of(RecurrenceRule.builder(Frequency.HOURLY).build());
  }

  // ---- runningState ----

  @Test
  void runningStateIsDifferentTypeForAnotherConsumerWhateverTheSchedule() {
    Dispatch d = dispatch(START, ONE_HOUR, true, daily(3));
    assertEquals(RunningState.DIFFERENT_TYPE, d.runningState("OTHER", START));
    assertEquals(RunningState.DIFFERENT_TYPE, d.runningState("OTHER", START.minusSeconds(1)));
    assertEquals(RunningState.DIFFERENT_TYPE, d.runningState("t", START));
    Dispatch inactive = dispatch(START, ONE_HOUR, false, daily(3));
    assertEquals(RunningState.DIFFERENT_TYPE, inactive.runningState("OTHER", START));
    assertEquals(RunningState.RUNNING, d.runningState("T", START));
  }

  @Test
  void runningStateRunsFromEachOccurrenceForItsDuration() {
    Dispatch d = dispatch(START, ONE_HOUR, true, daily(3));
    for (int day = 0; day < 3; day++) {
      Instant o = START.plus(Duration.ofDays(day));
      assertEquals(RunningState.STOPPED, d.runningState("T", o.minusNanos(1)), "before " + o);
      assertEquals(RunningState.RUNNING, d.runningState("T", o), "at " + o);
      assertEquals(RunningState.RUNNING, d.runningState("T", o.plusSeconds(1800)));
      assertEquals(
          RunningState.RUNNING, d.runningState("T", o.plus(Duration.ofHours(1)).minusNanos(1)));
      assertEquals(RunningState.STOPPED, d.runningState("T", o.plus(Duration.ofHours(1))), "end");
    }
    // After the last occurrence (count 3), never again.
    assertEquals(RunningState.STOPPED, d.runningState("T", at("2024-01-04T10:00:00Z")));
    assertEquals(RunningState.STOPPED, d.runningState("T", at("2024-01-04T10:30:00Z")));
  }

  @Test
  void runningStateOfAOneOffDispatch() {
    Dispatch d = dispatch(START, ONE_HOUR, true, Optional.empty());
    assertEquals(RunningState.STOPPED, d.runningState("T", START.minusNanos(1)));
    assertEquals(RunningState.RUNNING, d.runningState("T", START));
    assertEquals(RunningState.RUNNING, d.runningState("T", START.plusSeconds(3599)));
    assertEquals(RunningState.STOPPED, d.runningState("T", START.plusSeconds(3600)));
  }

  @Test
  void inactiveDispatchNeverRuns() {
    for (Optional<Duration> duration : List.of(ONE_HOUR, FOREVER)) {
      for (Optional<RecurrenceRule> rule : List.of(Optional.<RecurrenceRule>empty(), daily(3))) {
        Dispatch d = dispatch(START, duration, false, rule);
        for (Instant t : List.of(START, START.plusSeconds(60), at("2024-01-02T10:30:00Z"))) {
          assertEquals(
              RunningState.STOPPED, d.runningState("T", t), duration + " " + rule + " " + t);
        }
      }
    }
  }

  @Test
  void zeroDurationNeverRuns() {
    Dispatch d = dispatch(START, Optional.of(Duration.ZERO), true, daily(3));
    assertEquals(RunningState.STOPPED, d.runningState("T", START));
    assertEquals(RunningState.STOPPED, d.runningState("T", START.plusNanos(1)));
    assertEquals(RunningState.STOPPED, d.runningState("T", at("2024-01-02T10:00:00Z")));
    assertEquals(Optional.empty(), d.until(START));
    // It still has its occurrences.
    assertEquals(Optional.of(START), d.nextRunAfter(START));
    assertEquals(Optional.of(at("2024-01-02T10:00:00Z")), d.nextRunAfter(START.plusNanos(1)));
  }

  @Test
  void infiniteDurationRunsFromTheStartForEverIgnoringTheRecurrence() {
    // The rule would make 08:00 the first occurrence and end after one: ignored.
    Optional<RecurrenceRule> rule =
        Optional.of(RecurrenceRule.builder(Frequency.DAILY).byHours(8).count(1).build());
    Dispatch d = dispatch(START, FOREVER, true, rule);
    assertEquals(RunningState.STOPPED, d.runningState("T", START.minusNanos(1)));
    assertEquals(RunningState.RUNNING, d.runningState("T", START));
    assertEquals(RunningState.RUNNING, d.runningState("T", at("2024-01-02T07:00:00Z")));
    assertEquals(RunningState.RUNNING, d.runningState("T", at("2054-06-01T00:00:00Z")));
    assertEquals(Optional.empty(), d.until(at("2024-01-02T08:30:00Z")));
    assertEquals(Optional.of(START), d.nextRunAfter(START.minusSeconds(5)));
    assertEquals(Optional.of(START), d.nextRunAfter(START));
    assertEquals(Optional.empty(), d.nextRunAfter(START.plusNanos(1)));
    assertEquals(List.of(START), d.occurrencesBetween(Instant.MIN, Instant.MAX, 10));
  }

  @Test
  void backToBackOccurrencesRunWithoutAGap() {
    Dispatch d = dispatch(START, ONE_HOUR, true, hourly());
    Instant next = START.plusSeconds(3600);
    assertEquals(RunningState.RUNNING, d.runningState("T", next.minusNanos(1)));
    assertEquals(RunningState.RUNNING, d.runningState("T", next));
    assertEquals(Optional.of(next), d.until(next.minusNanos(1)));
    assertEquals(Optional.of(next.plusSeconds(3600)), d.until(next));
  }

  // ---- until ----

  @Test
  void untilIsTheEndOfTheCoveringOccurrence() {
    Dispatch d = dispatch(START, ONE_HOUR, true, daily(3));
    assertEquals(Optional.of(at("2024-01-02T11:00:00Z")), d.until(at("2024-01-02T10:00:00Z")));
    assertEquals(Optional.of(at("2024-01-02T11:00:00Z")), d.until(at("2024-01-02T10:59:59Z")));
    assertEquals(Optional.empty(), d.until(at("2024-01-02T11:00:00Z")));
    assertEquals(Optional.empty(), d.until(at("2024-01-02T09:59:59Z")));
    assertEquals(Optional.empty(), d.until(at("2023-12-31T10:30:00Z")));
    assertEquals(Optional.empty(), d.until(at("2024-01-04T10:30:00Z")));
  }

  @Test
  void untilOfOverlappingOccurrencesIsTheEndOfTheLatest() {
    // Every hour for 90 minutes: at 11:10 both 10:00 (until 11:30) and 11:00 (until 12:30) run.
    Dispatch d = dispatch(START, Optional.of(Duration.ofMinutes(90)), true, hourly());
    assertEquals(Optional.of(at("2024-01-01T11:30:00Z")), d.until(at("2024-01-01T10:59:59Z")));
    assertEquals(Optional.of(at("2024-01-01T12:30:00Z")), d.until(at("2024-01-01T11:00:00Z")));
    assertEquals(Optional.of(at("2024-01-01T12:30:00Z")), d.until(at("2024-01-01T11:10:00Z")));
    assertEquals(RunningState.RUNNING, d.runningState("T", at("2024-01-01T11:29:00Z")));
    // Three days of every hour for 25 hours: the last occurrence ends 25 hours after it starts.
    Dispatch days =
        dispatch(
            START,
            Optional.of(Duration.ofHours(25)),
            true,
            Optional.of(RecurrenceRule.builder(Frequency.HOURLY).count(3).build()));
    assertEquals(Optional.of(at("2024-01-02T13:00:00Z")), days.until(at("2024-01-02T10:30:00Z")));
    assertEquals(Optional.of(at("2024-01-02T13:00:00Z")), days.until(at("2024-01-02T12:59:59Z")));
    assertEquals(Optional.empty(), days.until(at("2024-01-02T13:00:00Z")));
  }

  @Test
  void untilIsEmptyForAnInfiniteOrInactiveDispatch() {
    assertEquals(Optional.empty(), dispatch(START, FOREVER, true, hourly()).until(START));
    assertEquals(
        Optional.empty(),
        dispatch(START, FOREVER, true, Optional.empty()).until(START.plusSeconds(9)));
    assertEquals(Optional.empty(), dispatch(START, ONE_HOUR, false, hourly()).until(START));
  }

  // ---- nextRunAfter ----

  @Test
  void nextRunAfterIsTheFirstOccurrenceAtOrAfter() {
    Dispatch d = dispatch(START, ONE_HOUR, true, daily(3));
    assertEquals(Optional.of(START), d.nextRunAfter(Instant.MIN));
    assertEquals(Optional.of(START), d.nextRunAfter(START.minusNanos(1)));
    assertEquals(Optional.of(START), d.nextRunAfter(START), "inclusive at an occurrence");
    assertEquals(Optional.of(at("2024-01-02T10:00:00Z")), d.nextRunAfter(START.plusNanos(1)));
    assertEquals(
        Optional.of(at("2024-01-03T10:00:00Z")), d.nextRunAfter(at("2024-01-03T10:00:00Z")));
    assertEquals(
        Optional.empty(), d.nextRunAfter(at("2024-01-03T10:00:00.000000001Z")), "after the last");
    assertEquals(Optional.empty(), d.nextRunAfter(Instant.MAX));
  }

  @Test
  void nextRunAfterOfAOneOffDispatch() {
    Dispatch d = dispatch(START, ONE_HOUR, true, Optional.empty());
    assertEquals(Optional.of(START), d.nextRunAfter(START.minusSeconds(1)));
    assertEquals(Optional.of(START), d.nextRunAfter(START));
    assertEquals(Optional.empty(), d.nextRunAfter(START.plusNanos(1)));
  }

  @Test
  void nextRunAfterIsEmptyWhenInactive() {
    for (Optional<Duration> duration : List.of(ONE_HOUR, FOREVER)) {
      Dispatch d = dispatch(START, duration, false, hourly());
      assertEquals(Optional.empty(), d.nextRunAfter(START.minusSeconds(1)));
      assertEquals(Optional.empty(), d.nextRunAfter(START));
    }
  }

  @Test
  void nextRunAfterInfiniteRecurringRule() {
    Dispatch d = dispatch(START, ONE_HOUR, true, hourly());
    assertEquals(
        Optional.of(at("2031-05-17T13:00:00Z")), d.nextRunAfter(at("2031-05-17T12:00:00.5Z")));
  }

  // ---- occurrencesBetween ----

  @Test
  void occurrencesBetweenKeepsTheNewestOldestFirstWhetherActiveOrNot() {
    for (boolean active : new boolean[] {true, false}) {
      Dispatch d = dispatch(START, ONE_HOUR, active, daily(3));
      assertEquals(
          List.of(START, at("2024-01-02T10:00:00Z"), at("2024-01-03T10:00:00Z")),
          d.occurrencesBetween(Instant.MIN, Instant.MAX, 10));
      assertEquals(
          List.of(at("2024-01-02T10:00:00Z"), at("2024-01-03T10:00:00Z")),
          d.occurrencesBetween(Instant.MIN, Instant.MAX, 2));
      assertEquals(
          List.of(START),
          d.occurrencesBetween(START, at("2024-01-02T10:00:00Z"), 10),
          "to is exclusive");
      assertEquals(List.of(), d.occurrencesBetween(START, START, 10));
      assertEquals(List.of(), d.occurrencesBetween(Instant.MIN, Instant.MAX, 0));
    }
    Dispatch every = dispatch(START, ONE_HOUR, true, hourly());
    assertEquals(
        List.of(at("2030-01-01T08:00:00Z"), at("2030-01-01T09:00:00Z")),
        every.occurrencesBetween(START, at("2030-01-01T09:30:00Z"), 2));
  }
  @Test
  void beforeItsStartARuleWithoutByListsRunsFirstAtItsStartUnlessItsEndComesFirst() {
    // Awkward starts: the 31st, 29 February, the last second of a day, a fraction of a second.
    List<Instant> starts =
        List.of(
            at("2031-01-31T10:00:00Z"),
            at("2032-02-29T23:59:59Z"),
            at("2031-03-05T07:08:09.250Z"));
    for (Instant start : starts) {
      for (Frequency f : Frequency.values()) {
        for (int interval = 1; interval <= 3; interval++) {
          RecurrenceRule.Builder rule = RecurrenceRule.builder(f).interval(interval);
          String what = f + " every " + interval + " from " + start;
          Dispatch open = dispatch(start, ONE_HOUR, true, Optional.of(rule.build()));
          assertEquals(Optional.of(start), open.nextRunAfter(start.minusSeconds(3600)), what);
          assertEquals(Optional.of(start), open.nextRunAfter(start), what);
          // The next one is one interval later: the start counted as the first occurrence.
          Instant second = open.nextRunAfter(start.plusNanos(1)).orElseThrow();
          assertEquals(open.occurrencesBetween(start, second.plusNanos(1), 3), List.of(start, second), what);

          Dispatch once = dispatch(start, ONE_HOUR, true, Optional.of(rule.count(1).build()));
          assertEquals(Optional.of(start), once.nextRunAfter(start.minusSeconds(1)), what + ", count 1");
          assertEquals(Optional.empty(), once.nextRunAfter(start.plusNanos(1)), what + ", count 1");

          Dispatch ended =
              dispatch(start, ONE_HOUR, true,
                  Optional.of(RecurrenceRule.builder(f).interval(interval).until(start.minusNanos(1)).build()));
          assertEquals(Optional.empty(), ended.nextRunAfter(start.minusSeconds(1)), what + ", until before start");
        }
      }
    }
  }
}
