package io.microgrid.dispatch.api;

import static io.microgrid.dispatch.api.ScheduleFixtures.at;
import static io.microgrid.dispatch.api.ScheduleFixtures.dispatch;
import static io.microgrid.dispatch.api.ScheduleFixtures.firstOccurrences;
import static io.microgrid.dispatch.api.ScheduleFixtures.instants;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * One test per row of shared/spec/recurrence-cases.md: the first six occurrences (or all, when
 * fewer), as python-dateutil's rrule computes them in UTC.
 */
class RecurrenceCasesTest {

  /**
   * Asserts the first six occurrences (all, when fewer are given: then the rule must end there),
   * found with nextRunAfter, and that occurrencesBetween and until agree with them.
   */
  private static void assertOccurrences(Dispatch d, String... expected) {
    List<Instant> want = instants(expected);
    List<Instant> got = firstOccurrences(d, 6);
    assertEquals(want, got);
    Instant last = got.get(got.size() - 1);
    if (want.size() < 6) {
      assertEquals(Optional.empty(), d.nextRunAfter(last.plusNanos(1)), "the rule ends");
    }
    assertEquals(got, d.occurrencesBetween(Instant.MIN, last.plusNanos(1), 6));
    Duration duration = d.duration().orElseThrow();
    for (Instant o : got) {
      assertEquals(Optional.of(o.plus(duration)), d.until(o), "until at " + o);
    }
  }

  private static RecurrenceRule.Builder rule(Frequency f) {
    return RecurrenceRule.builder(f);
  }

  @Test
  void minutelyCount3() {
    assertOccurrences(
        dispatch("2024-01-01T00:00:00Z", rule(Frequency.MINUTELY).count(3)),
        "2024-01-01T00:00:00Z",
        "2024-01-01T00:01:00Z",
        "2024-01-01T00:02:00Z");
  }

  @Test
  void hourlyInterval2UntilIsInclusive() {
    assertOccurrences(
        dispatch(
            "2024-01-01T00:00:00Z",
            rule(Frequency.HOURLY).interval(2).until(at("2024-01-01T08:00:00Z"))),
        "2024-01-01T00:00:00Z",
        "2024-01-01T02:00:00Z",
        "2024-01-01T04:00:00Z",
        "2024-01-01T06:00:00Z",
        "2024-01-01T08:00:00Z");
  }

  @Test
  void dailyByHours8And20ByMinutes0StartIsNotAnOccurrence() {
    assertOccurrences(
        dispatch("2024-01-01T00:00:00Z", rule(Frequency.DAILY).byHours(8, 20).byMinutes(0)),
        "2024-01-01T08:00:00Z",
        "2024-01-01T20:00:00Z",
        "2024-01-02T08:00:00Z",
        "2024-01-02T20:00:00Z",
        "2024-01-03T08:00:00Z",
        "2024-01-03T20:00:00Z");
  }

  @Test
  void dailyByHours8TakesTheMinuteFromTheStart() {
    assertOccurrences(
        dispatch("2024-01-01T00:30:00Z", rule(Frequency.DAILY).byHours(8)),
        "2024-01-01T08:30:00Z",
        "2024-01-02T08:30:00Z",
        "2024-01-03T08:30:00Z",
        "2024-01-04T08:30:00Z",
        "2024-01-05T08:30:00Z",
        "2024-01-06T08:30:00Z");
  }

  @Test
  void weeklyInterval2MondayAndWednesdayCount5() {
    assertOccurrences(
        dispatch(
            "2024-01-01T00:00:00Z",
            rule(Frequency.WEEKLY)
                .interval(2)
                .byWeekdays(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY)
                .count(5)),
        "2024-01-01T00:00:00Z",
        "2024-01-03T00:00:00Z",
        "2024-01-15T00:00:00Z",
        "2024-01-17T00:00:00Z",
        "2024-01-29T00:00:00Z");
  }

  @Test
  void weeklySaturdayAndSundayCount4StartDoesNotCount() {
    assertOccurrences(
        dispatch(
            "2024-01-01T00:00:00Z",
            rule(Frequency.WEEKLY).byWeekdays(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY).count(4)),
        "2024-01-06T00:00:00Z",
        "2024-01-07T00:00:00Z",
        "2024-01-13T00:00:00Z",
        "2024-01-14T00:00:00Z");
  }

  @Test
  void weeklyByMonthDaysIsEvaluatedAsDateutilDoes() {
    // Not RFC 5545; dateutil yields the days of the interval's weeks that are one of the month
    // days (expected values computed with python-dateutil's rrule).
    assertOccurrences(
        dispatch("2024-01-08T10:00:00Z", rule(Frequency.WEEKLY).interval(2).byMonthDays(1, 15)),
        "2024-04-01T10:00:00Z",
        "2024-04-15T10:00:00Z",
        "2024-05-01T10:00:00Z",
        "2024-05-15T10:00:00Z",
        "2024-06-01T10:00:00Z",
        "2024-06-15T10:00:00Z");
    assertOccurrences(
        dispatch(
            "2024-01-02T10:30:00Z",
            rule(Frequency.WEEKLY).byMonthDays(1).byWeekdays(DayOfWeek.MONDAY).count(3)),
        "2024-04-01T10:30:00Z",
        "2024-07-01T10:30:00Z",
        "2025-09-01T10:30:00Z");
  }

  @Test
  void monthlyByMonthDaysMinus1IsTheLastDayOfEachMonth() {
    assertOccurrences(
        dispatch("2024-01-15T10:00:00Z", rule(Frequency.MONTHLY).byMonthDays(-1)),
        "2024-01-31T10:00:00Z",
        "2024-02-29T10:00:00Z",
        "2024-03-31T10:00:00Z",
        "2024-04-30T10:00:00Z",
        "2024-05-31T10:00:00Z",
        "2024-06-30T10:00:00Z");
  }

  @Test
  void monthlyByMonthDaysMinus10CountsFromTheMonthEnd() {
    assertOccurrences(
        dispatch("2024-01-01T00:00:00Z", rule(Frequency.MONTHLY).byMonthDays(-10)),
        "2024-01-22T00:00:00Z",
        "2024-02-20T00:00:00Z",
        "2024-03-22T00:00:00Z",
        "2024-04-21T00:00:00Z",
        "2024-05-22T00:00:00Z",
        "2024-06-21T00:00:00Z");
  }

  @Test
  void monthlyFromThe31stSkipsMonthsWithoutOne() {
    assertOccurrences(
        dispatch("2024-01-31T00:00:00Z", rule(Frequency.MONTHLY)),
        "2024-01-31T00:00:00Z",
        "2024-03-31T00:00:00Z",
        "2024-05-31T00:00:00Z",
        "2024-07-31T00:00:00Z",
        "2024-08-31T00:00:00Z",
        "2024-10-31T00:00:00Z");
  }

  @Test
  void monthlyInterval6() {
    assertOccurrences(
        dispatch("2024-01-01T00:00:00Z", rule(Frequency.MONTHLY).interval(6)),
        "2024-01-01T00:00:00Z",
        "2024-07-01T00:00:00Z",
        "2025-01-01T00:00:00Z",
        "2025-07-01T00:00:00Z",
        "2026-01-01T00:00:00Z",
        "2026-07-01T00:00:00Z");
  }

  @Test
  void yearlyFromFebruary29RunsInLeapYearsOnly() {
    assertOccurrences(
        dispatch("2024-02-29T00:00:00Z", rule(Frequency.YEARLY)),
        "2024-02-29T00:00:00Z",
        "2028-02-29T00:00:00Z",
        "2032-02-29T00:00:00Z",
        "2036-02-29T00:00:00Z",
        "2040-02-29T00:00:00Z",
        "2044-02-29T00:00:00Z");
  }

  @Test
  void yearlyByMonths1And6And12Count4() {
    assertOccurrences(
        dispatch("2024-01-01T00:00:00Z", rule(Frequency.YEARLY).byMonths(1, 6, 12).count(4)),
        "2024-01-01T00:00:00Z",
        "2024-06-01T00:00:00Z",
        "2024-12-01T00:00:00Z",
        "2025-01-01T00:00:00Z");
  }

  @Test
  void hourlyByMinutes15And45Count4() {
    assertOccurrences(
        dispatch("2024-01-01T00:00:00Z", rule(Frequency.HOURLY).byMinutes(15, 45).count(4)),
        "2024-01-01T00:15:00Z",
        "2024-01-01T00:45:00Z",
        "2024-01-01T01:15:00Z",
        "2024-01-01T01:45:00Z");
  }

  @Test
  void dailyUntilIsInclusive() {
    assertOccurrences(
        dispatch("2024-01-01T00:00:00Z", rule(Frequency.DAILY).until(at("2024-01-03T00:00:00Z"))),
        "2024-01-01T00:00:00Z",
        "2024-01-02T00:00:00Z",
        "2024-01-03T00:00:00Z");
  }

  @Test
  void interval0IsTheSameAsInterval1() {
    assertOccurrences(
        dispatch("2024-01-01T00:00:00Z", rule(Frequency.DAILY).interval(0)),
        "2024-01-01T00:00:00Z",
        "2024-01-02T00:00:00Z",
        "2024-01-03T00:00:00Z",
        "2024-01-04T00:00:00Z",
        "2024-01-05T00:00:00Z",
        "2024-01-06T00:00:00Z");
    // "any": every frequency, from a start that no field lines up with, with and without by-lists.
    for (Frequency f : Frequency.values()) {
      for (String start : List.of("2024-01-31T10:20:30Z", "2023-11-05T23:59:59Z")) {
        List<Instant> one = firstOccurrences(dispatch(start, rule(f).interval(1)), 6);
        List<Instant> zero = firstOccurrences(dispatch(start, rule(f).interval(0)), 6);
        assertEquals(6, one.size(), f + " from " + start);
        assertEquals(one, zero, f + " from " + start);
        one = firstOccurrences(dispatch(start, rule(f).interval(1).byHours(3).count(4)), 6);
        zero = firstOccurrences(dispatch(start, rule(f).interval(0).byHours(3).count(4)), 6);
        assertEquals(4, one.size(), f + " from " + start);
        assertEquals(one, zero, f + " by hour from " + start);
      }
    }
  }

  @Test
  void byWeekdaysWithWeekdayUnspecifiedIsInvalidNeverRunsOneWarning() {
    // WEEKDAY_UNSPECIFIED cannot reach a RecurrenceRule: DayOfWeek has no such value (the client's
    // conversion refuses the wire value 0, naming recurrence.byweekdays), and a missing weekday is
    // refused here.
    assertThrows(
        NullPointerException.class,
        () -> rule(Frequency.WEEKLY).byWeekdays(DayOfWeek.MONDAY, null).build());
    assertThrows(
        NullPointerException.class,
        () ->
            new RecurrenceRule(
                Frequency.WEEKLY,
                1,
                java.util.OptionalInt.empty(),
                Optional.empty(),
                List.of(),
                List.of(),
                java.util.Arrays.asList(DayOfWeek.MONDAY, null),
                List.of(),
                List.of()));

    // A rule that does reach the schedule but cannot be evaluated is invalid in the same way:
    // HOURLY every 2 hours from 00:00 never reaches 03:00 (dateutil: "Invalid rrule byxxx
    // generates an empty set"). The dispatch never runs; one warning names it.
    try (ScheduleFixtures.CapturedLog log = new ScheduleFixtures.CapturedLog()) {
      Dispatch d = dispatch("2024-01-01T00:00:00Z", rule(Frequency.HOURLY).interval(2).byHours(3));
      for (int i = 0; i < 3; i++) {
        assertEquals(Optional.empty(), d.nextRunAfter(at("2024-01-01T00:00:00Z")));
        assertEquals(RunningState.STOPPED, d.runningState("T", at("2024-01-01T03:00:00Z")));
        assertEquals(Optional.empty(), d.until(at("2024-01-01T03:00:30Z")));
        assertEquals(List.of(), d.occurrencesBetween(Instant.MIN, at("2030-01-01T00:00:00Z"), 100));
      }
      List<String> warnings = log.warnings();
      assertEquals(1, warnings.size(), warnings.toString());
      String w = warnings.get(0);
      assertTrue(w.contains("Dispatch " + d.id() + " "), w);
      assertTrue(w.contains("microgrid 42"), w);
      assertTrue(w.contains("too many empty recurrence sets"), w);
    }
  }
}
