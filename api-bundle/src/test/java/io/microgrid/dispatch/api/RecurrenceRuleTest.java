package io.microgrid.dispatch.api;

import static io.microgrid.dispatch.api.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class RecurrenceRuleTest {
  private static final Instant UNTIL = Instant.parse("2024-06-01T00:00:00Z");

  private static RecurrenceRule rule(
      Frequency frequency,
      int interval,
      OptionalInt count,
      Optional<Instant> until,
      List<Integer> byMinutes,
      List<Integer> byHours,
      List<DayOfWeek> byWeekdays,
      List<Integer> byMonthDays,
      List<Integer> byMonths) {
    return new RecurrenceRule(
        frequency, interval, count, until, byMinutes, byHours, byWeekdays, byMonthDays, byMonths);
  }

  @Test
  void builderDefaultsToEveryPeriodForEverUnconstrained() {
    RecurrenceRule r = RecurrenceRule.builder(Frequency.DAILY).build();
    assertEquals(Frequency.DAILY, r.frequency());
    assertEquals(1, r.interval());
    assertEquals(OptionalInt.empty(), r.count());
    assertEquals(Optional.empty(), r.until());
    assertEquals(List.of(), r.byMinutes());
    assertEquals(List.of(), r.byHours());
    assertEquals(List.of(), r.byWeekdays());
    assertEquals(List.of(), r.byMonthDays());
    assertEquals(List.of(), r.byMonths());
  }

  @Test
  void builderPutsEveryValueInItsField() {
    RecurrenceRule r =
        RecurrenceRule.builder(Frequency.MONTHLY)
            .interval(3)
            .count(7)
            .byMinutes(5, 10)
            .byHours(8, 20)
            .byWeekdays(DayOfWeek.MONDAY, DayOfWeek.FRIDAY)
            .byMonthDays(2, -3)
            .byMonths(4, 11)
            .build();
    assertEquals(Frequency.MONTHLY, r.frequency());
    assertEquals(3, r.interval());
    assertEquals(OptionalInt.of(7), r.count());
    assertEquals(Optional.empty(), r.until());
    assertEquals(List.of(5, 10), r.byMinutes());
    assertEquals(List.of(8, 20), r.byHours());
    assertEquals(List.of(DayOfWeek.MONDAY, DayOfWeek.FRIDAY), r.byWeekdays());
    assertEquals(List.of(2, -3), r.byMonthDays());
    assertEquals(List.of(4, 11), r.byMonths());
  }

  @Test
  void builderUntilIsKept() {
    RecurrenceRule r = RecurrenceRule.builder(Frequency.HOURLY).until(UNTIL).build();
    assertEquals(Optional.of(UNTIL), r.until());
    assertEquals(OptionalInt.empty(), r.count());
  }

  @Test
  void builderLastEndCriterionWins() {
    RecurrenceRule untilLast =
        RecurrenceRule.builder(Frequency.DAILY).count(4).until(UNTIL).build();
    assertEquals(Optional.of(UNTIL), untilLast.until());
    assertEquals(OptionalInt.empty(), untilLast.count());

    RecurrenceRule countLast =
        RecurrenceRule.builder(Frequency.DAILY).until(UNTIL).count(4).build();
    assertEquals(OptionalInt.of(4), countLast.count());
    assertEquals(Optional.empty(), countLast.until());
  }

  @Test
  void constructorRefusesCountAndUntilTogether() {
    IllegalArgumentException e =
        assertRefused(
            IllegalArgumentException.class,
            "count",
            () ->
                rule(
                    Frequency.DAILY, 1, OptionalInt.of(3), Optional.of(UNTIL),
                    List.of(), List.of(), List.of(), List.of(), List.of()));
    Refusals.assertNames(e.getMessage(), "until");
  }

  @Test
  void countMustBeAtLeastOne() {
    assertRefused(
        IllegalArgumentException.class,
        "recurrence.count",
        () -> RecurrenceRule.builder(Frequency.DAILY).count(0).build());
    assertRefused(
        IllegalArgumentException.class,
        "recurrence.count",
        () -> RecurrenceRule.builder(Frequency.DAILY).count(-1).build());
    assertEquals(
        OptionalInt.of(1), RecurrenceRule.builder(Frequency.DAILY).count(1).build().count());
  }

  @Test
  void intervalZeroIsAcceptedAndMeansOne() {
    RecurrenceRule zero = RecurrenceRule.builder(Frequency.HOURLY).interval(0).build();
    assertEquals(0, zero.interval());
    assertEquals(1, zero.effectiveInterval());
    assertEquals(1, RecurrenceRule.builder(Frequency.HOURLY).interval(1).build().effectiveInterval());
    assertEquals(5, RecurrenceRule.builder(Frequency.HOURLY).interval(5).build().effectiveInterval());
  }

  @Test
  void negativeIntervalIsRefused() {
    assertRefused(
        IllegalArgumentException.class,
        "recurrence.interval",
        () -> RecurrenceRule.builder(Frequency.HOURLY).interval(-1).build());
  }

  @Test
  void byMinutesAcceptsZeroToFiftyNine() {
    assertEquals(
        List.of(0, 59),
        RecurrenceRule.builder(Frequency.HOURLY).byMinutes(0, 59).build().byMinutes());
  }

  @Test
  void byMinutesOutOfRangeIsRefused() {
    assertRefused(
        IllegalArgumentException.class,
        "recurrence.byMinutes",
        () -> RecurrenceRule.builder(Frequency.HOURLY).byMinutes(60).build());
    assertRefused(
        IllegalArgumentException.class,
        "recurrence.byMinutes",
        () -> RecurrenceRule.builder(Frequency.HOURLY).byMinutes(0, -1).build());
  }

  @Test
  void byHoursAcceptsZeroToTwentyThree() {
    assertEquals(
        List.of(0, 23), RecurrenceRule.builder(Frequency.DAILY).byHours(0, 23).build().byHours());
  }

  @Test
  void byHoursOutOfRangeIsRefused() {
    assertRefused(
        IllegalArgumentException.class,
        "recurrence.byHours",
        () -> RecurrenceRule.builder(Frequency.DAILY).byHours(24).build());
    assertRefused(
        IllegalArgumentException.class,
        "recurrence.byHours",
        () -> RecurrenceRule.builder(Frequency.DAILY).byHours(-1).build());
  }

  @Test
  void byMonthDaysAcceptsBothEndsOfBothRanges() {
    assertEquals(
        List.of(-31, -1, 1, 31),
        RecurrenceRule.builder(Frequency.MONTHLY).byMonthDays(-31, -1, 1, 31).build().byMonthDays());
  }

  @Test
  void byMonthDaysOutOfRangeOrZeroIsRefused() {
    for (int bad : new int[] {0, 32, -32}) {
      assertRefused(
          IllegalArgumentException.class,
          "recurrence.byMonthDays",
          () -> RecurrenceRule.builder(Frequency.MONTHLY).byMonthDays(1, bad).build());
    }
  }

  @Test
  void byMonthDaysWithWeeklyIsKept() {
    // RFC 5545 does not allow it and the server refuses it on create, but a server may still send
    // one: the client must read and schedule it rather than skip it.
    assertEquals(
        List.of(1, 15),
        RecurrenceRule.builder(Frequency.WEEKLY).byMonthDays(1, 15).build().byMonthDays());
  }

  @Test
  void weeklyWithWeekdaysAndOtherFrequenciesWithMonthDaysAreAccepted() {
    assertEquals(
        List.of(DayOfWeek.SATURDAY),
        RecurrenceRule.builder(Frequency.WEEKLY).byWeekdays(DayOfWeek.SATURDAY).build().byWeekdays());
    for (Frequency f : Frequency.values()) {
      assertEquals(List.of(15), RecurrenceRule.builder(f).byMonthDays(15).build().byMonthDays(), f.name());
    }
  }

  @Test
  void byMonthsAcceptsOneToTwelve() {
    assertEquals(
        List.of(1, 12), RecurrenceRule.builder(Frequency.YEARLY).byMonths(1, 12).build().byMonths());
  }

  @Test
  void byMonthsOutOfRangeIsRefused() {
    assertRefused(
        IllegalArgumentException.class,
        "recurrence.byMonths",
        () -> RecurrenceRule.builder(Frequency.YEARLY).byMonths(0).build());
    assertRefused(
        IllegalArgumentException.class,
        "recurrence.byMonths",
        () -> RecurrenceRule.builder(Frequency.YEARLY).byMonths(13).build());
  }

  @Test
  void nullsAreRefusedNamingTheField() {
    assertRefused(
        NullPointerException.class,
        "recurrence.frequency",
        () -> RecurrenceRule.builder(null).build());
    assertRefused(
        NullPointerException.class,
        "recurrence.count",
        () ->
            rule(Frequency.DAILY, 1, null, Optional.empty(),
                List.of(), List.of(), List.of(), List.of(), List.of()));
    assertRefused(
        NullPointerException.class,
        "recurrence.until",
        () ->
            rule(Frequency.DAILY, 1, OptionalInt.empty(), null,
                List.of(), List.of(), List.of(), List.of(), List.of()));
  }

  @Test
  void listsGivenToTheConstructorAreCopied() {
    List<Integer> minutes = new ArrayList<>(List.of(1));
    List<Integer> hours = new ArrayList<>(List.of(2));
    List<DayOfWeek> weekdays = new ArrayList<>(List.of(DayOfWeek.TUESDAY));
    List<Integer> monthDays = new ArrayList<>(List.of(3));
    List<Integer> months = new ArrayList<>(List.of(4));
    RecurrenceRule r =
        rule(Frequency.MONTHLY, 1, OptionalInt.empty(), Optional.empty(),
            minutes, hours, weekdays, monthDays, months);

    minutes.add(30);
    hours.set(0, 99);
    weekdays.clear();
    monthDays.add(0);
    months.add(13);

    assertEquals(List.of(1), r.byMinutes());
    assertEquals(List.of(2), r.byHours());
    assertEquals(List.of(DayOfWeek.TUESDAY), r.byWeekdays());
    assertEquals(List.of(3), r.byMonthDays());
    assertEquals(List.of(4), r.byMonths());
  }

  @Test
  void arraysGivenToTheBuilderAreCopied() {
    Integer[] hours = {8, 20};
    DayOfWeek[] days = {DayOfWeek.MONDAY};
    RecurrenceRule.Builder b = RecurrenceRule.builder(Frequency.DAILY).byHours(hours).byWeekdays(days);
    hours[0] = 99;
    days[0] = DayOfWeek.SUNDAY;
    RecurrenceRule r = b.build();
    assertEquals(List.of(8, 20), r.byHours());
    assertEquals(List.of(DayOfWeek.MONDAY), r.byWeekdays());
  }

  @Test
  void returnedListsAreUnmodifiable() {
    RecurrenceRule r =
        rule(Frequency.MONTHLY, 1, OptionalInt.empty(), Optional.empty(),
            new ArrayList<>(List.of(1)), new ArrayList<>(List.of(2)),
            new ArrayList<>(List.of(DayOfWeek.MONDAY)), new ArrayList<>(List.of(3)),
            new ArrayList<>(List.of(4)));
    assertThrows(UnsupportedOperationException.class, () -> r.byMinutes().add(5));
    assertThrows(UnsupportedOperationException.class, () -> r.byHours().set(0, 5));
    assertThrows(UnsupportedOperationException.class, () -> r.byWeekdays().clear());
    assertThrows(UnsupportedOperationException.class, () -> r.byMonthDays().add(0));
    assertThrows(UnsupportedOperationException.class, () -> r.byMonths().remove(0));
  }

  @Test
  void equalRulesAreEqual() {
    RecurrenceRule a = RecurrenceRule.builder(Frequency.DAILY).byHours(8).count(3).build();
    RecurrenceRule b =
        rule(Frequency.DAILY, 1, OptionalInt.of(3), Optional.empty(),
            List.of(), new ArrayList<>(List.of(8)), List.of(), List.of(), List.of());
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
  }
}
