package io.microgrid.dispatch.api;

import static io.microgrid.dispatch.api.ScheduleFixtures.at;
import static io.microgrid.dispatch.api.ScheduleFixtures.dispatch;
import static io.microgrid.dispatch.api.ScheduleFixtures.firstOccurrences;
import static io.microgrid.dispatch.api.ScheduleFixtures.instants;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule.Part;
import org.dmfs.rfc5545.recur.RecurrenceRule.RfcMode;
import org.dmfs.rfc5545.recurrenceset.OfRuleAndFirst;
import org.junit.jupiter.api.Test;

/**
 * Each place where lib-recur, used plainly, differs from python-dateutil's rrule (which the
 * schedule must equal), shown on lib-recur itself and then on the schedule, which adapts around it.
 * Expected values are dateutil's.
 */
class LibRecurDifferencesTest {

  private static org.dmfs.rfc5545.recur.RecurrenceRule libRecur(String rule)
      throws InvalidRecurrenceRuleException {
    return new org.dmfs.rfc5545.recur.RecurrenceRule(rule, RfcMode.RFC5545_STRICT);
  }

  private static DateTime utc(String iso) {
    return new DateTime(DateTime.UTC, Instant.parse(iso).toEpochMilli());
  }

  /** The first n instances of a lib-recur iterator, as instants. */
  private static List<Instant> first(Iterator<DateTime> it, int n) {
    List<Instant> result = new ArrayList<>();
    while (result.size() < n && it.hasNext()) {
      result.add(Instant.ofEpochMilli(it.next().getTimestamp()));
    }
    return result;
  }

  private static List<Instant> first(
      org.dmfs.rfc5545.recur.RecurrenceRule rule, String start, int n) {
    return first(rule.iterator(utc(start)), n);
  }

  @Test
  void interval0MeansEveryPeriod_DifferenceFromLibRecurRefusingIt() throws Exception {
    // lib-recur refuses INTERVAL=0, parsed or set.
    assertThrows(InvalidRecurrenceRuleException.class, () -> libRecur("FREQ=DAILY;INTERVAL=0"));
    org.dmfs.rfc5545.recur.RecurrenceRule daily = libRecur("FREQ=DAILY");
    assertThrows(IllegalArgumentException.class, () -> daily.setInterval(0));

    assertEquals(
        instants("2024-01-01T06:00:00Z", "2024-01-02T06:00:00Z", "2024-01-03T06:00:00Z"),
        firstOccurrences(
            dispatch("2024-01-01T06:00:00Z", RecurrenceRule.builder(Frequency.DAILY).interval(0)),
            3));
  }

  @Test
  void startNotMatchingTheRuleIsNoOccurrence_DifferenceFromLibRecurOfRuleAndFirst()
      throws Exception {
    // lib-recur's recurrence set of a rule "and first" yields the start first although it is a
    // Monday and the rule says Saturday and Sunday, and counts it: the fourth weekend day is lost.
    org.dmfs.rfc5545.recur.RecurrenceRule weekend = libRecur("FREQ=WEEKLY;BYDAY=SA,SU;COUNT=4");
    assertEquals(
        instants(
            "2024-01-01T00:00:00Z",
            "2024-01-06T00:00:00Z",
            "2024-01-07T00:00:00Z",
            "2024-01-13T00:00:00Z"),
        first(new OfRuleAndFirst(weekend, utc("2024-01-01T00:00:00Z")).iterator(), 10));

    // dateutil: the start is no occurrence, and COUNT counts the four real ones.
    Dispatch d =
        dispatch(
            "2024-01-01T00:00:00Z",
            RecurrenceRule.builder(Frequency.WEEKLY)
                .byWeekdays(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY)
                .count(4));
    assertEquals(
        instants(
            "2024-01-06T00:00:00Z",
            "2024-01-07T00:00:00Z",
            "2024-01-13T00:00:00Z",
            "2024-01-14T00:00:00Z"),
        firstOccurrences(d, 10));
    assertEquals(Optional.empty(), d.until(at("2024-01-01T00:00:30Z")));
  }

  @Test
  void yearlyByMonthDayWithoutByMonthIsEveryMonth_DifferenceFromLibRecur() throws Exception {
    // lib-recur expands YEARLY;BYMONTHDAY=5 in the start's month only.
    assertEquals(
        instants("2024-01-05T10:30:00Z", "2025-01-05T10:30:00Z", "2026-01-05T10:30:00Z"),
        first(libRecur("FREQ=YEARLY;BYMONTHDAY=5"), "2024-01-03T10:30:00Z", 3));

    // dateutil (and RFC 5545): day 5 of every month.
    assertEquals(
        instants("2024-01-05T10:30:00Z", "2024-02-05T10:30:00Z", "2024-03-05T10:30:00Z"),
        firstOccurrences(
            dispatch(
                "2024-01-03T10:30:00Z", RecurrenceRule.builder(Frequency.YEARLY).byMonthDays(5)),
            3));
    assertEquals(
        instants("2024-01-31T10:30:00Z", "2024-02-29T10:30:00Z", "2024-03-31T10:30:00Z"),
        firstOccurrences(
            dispatch(
                "2024-01-03T10:30:00Z", RecurrenceRule.builder(Frequency.YEARLY).byMonthDays(-1)),
            3));
  }

  @Test
  void everyMinuteOnMondays_DifferenceFromLibRecurGivingUpAfterThreeEmptyDays() throws Exception {
    // lib-recur gives up after 4320 empty periods in a row: three days of minutes.
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> first(libRecur("FREQ=MINUTELY;BYDAY=MO"), "2024-01-02T00:00:00Z", 3));
    assertEquals("too many empty recurrence sets", e.getMessage());

    Dispatch d =
        dispatch(
            "2024-01-02T00:00:00Z",
            RecurrenceRule.builder(Frequency.MINUTELY).byWeekdays(DayOfWeek.MONDAY));
    assertEquals(
        instants("2024-01-08T00:00:00Z", "2024-01-08T00:01:00Z", "2024-01-08T00:02:00Z"),
        firstOccurrences(d, 3));
    // From Monday 23:59 to the next Monday, and back.
    assertEquals(
        Optional.of(at("2024-01-15T00:00:00Z")), d.nextRunAfter(at("2024-01-08T23:59:00.001Z")));
    assertEquals(
        List.of(at("2024-01-08T23:58:00Z"), at("2024-01-08T23:59:00Z")),
        d.occurrencesBetween(at("2024-01-02T00:00:00Z"), at("2024-01-14T00:00:00Z"), 2));
    // Years later: the schedule fast-forwards.
    assertEquals(
        Optional.of(at("2030-01-07T00:00:00Z")), d.nextRunAfter(at("2030-01-01T00:00:00Z")));
    assertEquals(Optional.of(at("2030-01-07T00:01:00Z")), d.until(at("2030-01-07T00:00:30Z")));
  }

  @Test
  void everyHourInJune_DifferenceFromLibRecurGivingUpAfter180EmptyDays() throws Exception {
    // From July, the next June is more than 4320 hours away: lib-recur gives up.
    assertThrows(
        IllegalArgumentException.class,
        () -> first(libRecur("FREQ=HOURLY;BYMONTH=6"), "2024-07-03T10:30:00Z", 3));

    Dispatch d =
        dispatch("2024-07-03T10:30:00Z", RecurrenceRule.builder(Frequency.HOURLY).byMonths(6));
    assertEquals(
        instants("2025-06-01T00:30:00Z", "2025-06-01T01:30:00Z", "2025-06-01T02:30:00Z"),
        firstOccurrences(d, 3));
    assertEquals(
        Optional.of(at("2026-06-01T00:30:00Z")), d.nextRunAfter(at("2025-06-30T23:30:00.001Z")));
    assertEquals(
        List.of(at("2025-06-30T22:30:00Z"), at("2025-06-30T23:30:00Z")),
        d.occurrencesBetween(Instant.MIN, at("2026-01-01T00:00:00Z"), 2));
    assertEquals(Optional.of(at("2025-06-30T23:31:00Z")), d.until(at("2025-06-30T23:30:59Z")));
  }

  @Test
  void byMonthCountsFromOne_DifferenceFromLibRecurSetters() throws Exception {
    // lib-recur's setter takes months counted from 0: "1" is February.
    org.dmfs.rfc5545.recur.RecurrenceRule yearly = libRecur("FREQ=YEARLY");
    yearly.setByPart(Part.BYMONTH, 1);
    assertEquals(instants("2024-02-10T00:00:00Z"), first(yearly, "2024-01-10T00:00:00Z", 1));

    assertEquals(
        instants("2024-01-10T00:00:00Z", "2025-01-10T00:00:00Z"),
        firstOccurrences(
            dispatch("2024-01-10T00:00:00Z", RecurrenceRule.builder(Frequency.YEARLY).byMonths(1)),
            2));
  }

  @Test
  void monthsTooShortAreSkipped_DifferenceFromLibRecurSkipForward() throws Exception {
    // lib-recur can also roll over into the next month (RFC 7529 SKIP=FORWARD); dateutil skips.
    assertEquals(
        instants("2024-01-31T00:00:00Z", "2024-03-01T00:00:00Z", "2024-03-31T00:00:00Z"),
        first(libRecur("FREQ=MONTHLY;RSCALE=GREGORIAN;SKIP=FORWARD"), "2024-01-31T00:00:00Z", 3));

    assertEquals(
        instants("2024-01-31T00:00:00Z", "2024-03-31T00:00:00Z", "2024-05-31T00:00:00Z"),
        firstOccurrences(
            dispatch("2024-01-31T00:00:00Z", RecurrenceRule.builder(Frequency.MONTHLY)), 3));
  }

  @Test
  void startFractionIsKeptOnEveryOccurrence_DifferenceFromLibRecurWholeSeconds() throws Exception {
    // lib-recur works in whole seconds (and dateutil drops the start's microseconds); the
    // dispatch must not run before its start, so the fraction is kept on every occurrence.
    assertEquals(
        instants("2024-01-01T00:00:00Z", "2024-01-01T01:00:00Z"),
        first(libRecur("FREQ=HOURLY"), "2024-01-01T00:00:00.250Z", 2));

    Dispatch d =
        dispatch("2024-01-01T00:00:00.250Z", RecurrenceRule.builder(Frequency.HOURLY).count(3));
    assertEquals(
        instants(
            "2024-01-01T00:00:00.250Z", "2024-01-01T01:00:00.250Z", "2024-01-01T02:00:00.250Z"),
        firstOccurrences(d, 5));
    // Sub-second query instants around an occurrence.
    assertEquals(
        Optional.of(at("2024-01-01T01:00:00.250Z")),
        d.nextRunAfter(at("2024-01-01T01:00:00.250Z")));
    assertEquals(
        Optional.of(at("2024-01-01T02:00:00.250Z")),
        d.nextRunAfter(at("2024-01-01T01:00:00.250000001Z")));
    assertEquals(
        Optional.of(at("2024-01-01T01:00:00.250Z")),
        d.nextRunAfter(at("2024-01-01T01:00:00.100Z")));
    assertEquals(Optional.empty(), d.until(at("2024-01-01T01:00:00.249Z")));
    assertEquals(
        Optional.of(at("2024-01-01T01:01:00.250Z")), d.until(at("2024-01-01T01:00:00.250Z")));
    assertEquals(
        List.of(at("2024-01-01T01:00:00.250Z")),
        d.occurrencesBetween(at("2024-01-01T00:00:00.251Z"), at("2024-01-01T02:00:00.250Z"), 10));
    // UNTIL is inclusive to the nanosecond.
    Dispatch until =
        dispatch(
            "2024-01-01T00:00:00.250Z",
            RecurrenceRule.builder(Frequency.HOURLY).until(at("2024-01-01T01:00:00.250Z")));
    assertEquals(2, firstOccurrences(until, 5).size());
    until =
        dispatch(
            "2024-01-01T00:00:00.250Z",
            RecurrenceRule.builder(Frequency.HOURLY).until(at("2024-01-01T01:00:00.249Z")));
    assertEquals(1, firstOccurrences(until, 5).size());
  }

  @Test
  void countIsNotWalkedByEveryQuery_DifferenceFromLibRecurCountLimiter() {
    // lib-recur's COUNT cannot fast-forward: it walks every instance from the start. A plain rule's
    // last occurrence is computed; a rule with by-lists is counted once and the count is kept.
    Dispatch plain =
        dispatch(
            "2020-01-01T00:00:00Z", RecurrenceRule.builder(Frequency.MINUTELY).count(3_000_000));
    Instant end = at("2025-09-14T07:59:00Z"); // start + 2 999 999 minutes
    assertEquals(Optional.of(end), plain.nextRunAfter(at("2025-09-14T07:58:30Z")));
    assertEquals(Optional.empty(), plain.nextRunAfter(end.plusNanos(1)));
    assertEquals(List.of(end), plain.occurrencesBetween(Instant.MIN, Instant.MAX, 1));
    assertEquals(Optional.of(end.plusSeconds(60)), plain.until(end));
    assertEquals(
        Optional.of(at("2024-02-29T12:00:00Z")), plain.nextRunAfter(at("2024-02-29T11:59:01Z")));

    // 60 a day from 08:00 to 08:59: the 200 000th is on day 3333, at 08:19.
    Dispatch counted =
        dispatch(
            "2020-01-01T00:00:00Z",
            RecurrenceRule.builder(Frequency.MINUTELY).byHours(8).count(200_000));
    Instant last = at("2029-02-15T08:19:00Z");
    for (int i = 0; i < 3; i++) {
      assertEquals(Optional.of(last), counted.nextRunAfter(at("2029-02-15T08:18:30Z")));
      assertEquals(Optional.empty(), counted.nextRunAfter(at("2029-02-15T08:19:00.001Z")));
      assertEquals(
          List.of(at("2029-02-15T08:18:00Z"), last),
          counted.occurrencesBetween(Instant.MIN, Instant.MAX, 2));
    }
    assertEquals(Duration.ofMinutes(1), counted.duration().orElseThrow());
  }
}
