package io.microgrid.dispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.ComponentCategory;
import io.microgrid.dispatch.api.DispatchQuery.SortField;
import io.microgrid.dispatch.api.DispatchQuery.SortOrder;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.TargetComponents;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** What a user may type, parsed without a server. */
class InputsTest {
  private static final Instant NOW = Instant.parse("2026-05-04T10:20:30.456Z");
  private static final Instant NOW_S = Instant.parse("2026-05-04T10:20:30Z");

  @ParameterizedTest
  @CsvSource({
    "15m, 900",
    "1h30m, 5400",
    "90s, 90",
    "900, 900",
    "0, 0",
    "2 hours, 7200",
    "1 day, 86400",
    "1h 30m, 5400",
    "'1 hour, 30 minutes', 5400",
    "1 hour and 30 minutes, 5400",
    "1w, 604800",
    "10 MIN, 600",
    "PT15M, 900",
    "1d2h3m4s, 93784"
  })
  void durations(String text, long seconds) {
    assertEquals(Duration.ofSeconds(seconds), Inputs.parseDuration(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "15x", "-5", "1.5h", "h", "15m foo", "PT0.5S", "ten minutes",
      "99999999999999999999", "9999999999999999w"})
  void malformedDurationsAreRefusedWithTheExpectedForms(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Inputs.parseDuration(text));
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void durationsFormatCompactly() {
    assertEquals("0s", Inputs.formatDuration(Duration.ZERO));
    assertEquals("15m", Inputs.formatDuration(Duration.ofMinutes(15)));
    assertEquals("1h30m", Inputs.formatDuration(Duration.ofMinutes(90)));
    assertEquals("1m30s", Inputs.formatDuration(Duration.ofSeconds(90)));
    assertEquals("1d2h3m4s", Inputs.formatDuration(Duration.ofSeconds(93784)));
    for (long s : new long[] {1, 59, 61, 3600, 86_399, 86_401, 1_000_000}) {
      Duration d = Duration.ofSeconds(s);
      assertEquals(d, Inputs.parseDuration(Inputs.formatDuration(d)), "round trip of " + s);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "2026-12-01T08:00:00Z, 2026-12-01T08:00:00Z",
    "2026-12-01T08:00:00, 2026-12-01T08:00:00Z",
    "2026-12-01T08:00, 2026-12-01T08:00:00Z",
    "2026-12-01 08:00:00, 2026-12-01T08:00:00Z",
    "2026-12-01T09:00:00+01:00, 2026-12-01T08:00:00Z",
    "2026-12-01T09:00:00+01:00[Europe/Berlin], 2026-12-01T08:00:00Z",
    "2026-12-01, 2026-12-01T00:00:00Z",
    "2026-12-01T08:00:00.250Z, 2026-12-01T08:00:00.250Z"
  })
  void isoTimes(String text, String expected) {
    Inputs.Time t = Inputs.parseTime(text, NOW);
    assertEquals(Instant.parse(expected), t.instant());
    assertFalse(t.now());
  }

  @ParameterizedTest
  @CsvSource({
    "now, 0",
    "NOW, 0",
    "in 10 minutes, 600",
    "in 2 hours, 7200",
    "in 1 day, 86400",
    "in  1h30m, 5400",
    "+10m, 600",
    "+90, 90",
    "-1d, -86400",
    "2 hours ago, -7200",
    "10m ago, -600"
  })
  void relativeTimesCountFromNowInWholeSeconds(String text, long offsetSeconds) {
    Inputs.Time t = Inputs.parseTime(text, NOW);
    assertEquals(NOW_S.plusSeconds(offsetSeconds), t.instant());
    assertEquals(text.trim().equalsIgnoreCase("now"), t.now());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "tomorrowish", "in", "in ten minutes", "+", "+10x", "2026-13-01",
      "2026-12-01T25:00:00Z", "ago", "12:00"})
  void malformedTimesAreRefused(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Inputs.parseTime(text, NOW));
    assertTrue(e.getMessage().contains("ISO-8601"), e.getMessage());
  }

  @Test
  void idRanges() {
    assertEquals(List.of(1L, 2L, 5L, 6L, 7L), Inputs.parseIdRanges("1,2,5-7"));
    assertEquals(List.of(3L), Inputs.parseIdRanges("3"));
    assertEquals(List.of(1L, 2L, 3L), Inputs.parseIdRanges("1..3"));
    assertEquals(List.of(4L, 4L), Inputs.parseIdRanges("4-4, 4"));
    for (String bad : new String[] {"", "1,,2", "7-5", "a", "0", "-3", "1-", "1-2-3", "1-20000"}) {
      assertThrows(IllegalArgumentException.class, () -> Inputs.parseIdRanges(bad), bad);
    }
  }

  @Test
  void targets() {
    assertEquals(TargetComponents.ids(1, 2, 3), Inputs.parseTarget("1,2,3"));
    assertEquals(TargetComponents.ids(7), Inputs.parseTarget(" 7 "));
    assertEquals(
        TargetComponents.categories(ComponentCategory.BATTERY, ComponentCategory.INVERTER),
        Inputs.parseTarget("BATTERY,inverter"));
    assertEquals(
        TargetComponents.categories(ComponentCategory.EV_CHARGER), Inputs.parseTarget("ev-charger"));
    assertEquals(
        TargetComponents.categories(new ComponentCategory(42)), Inputs.parseTarget("CATEGORY_42"));
    IllegalArgumentException mixed =
        assertThrows(IllegalArgumentException.class, () -> Inputs.parseTarget("BATTERY,1"));
    assertTrue(mixed.getMessage().contains("mixes"), mixed.getMessage());
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> Inputs.parseTarget("BATTERIES"));
    assertTrue(unknown.getMessage().contains("BATTERY"), "lists the categories: " + unknown);
    for (String bad : new String[] {"", "1,,2", "UNSPECIFIED", "99999999999999999999"}) {
      assertThrows(IllegalArgumentException.class, () -> Inputs.parseTarget(bad), bad);
    }
  }

  @Test
  void payloads() {
    Payload p = Inputs.parsePayload("{\"power_w\": 5000, \"mode\": \"fast\", \"a\": [1, true, null]}");
    assertEquals(
        Payload.of(
            Map.of("power_w", 5000, "mode", "fast", "a", java.util.Arrays.asList(1, true, null))),
        p);
    assertEquals(Payload.EMPTY, Inputs.parsePayload("{}"));
    for (String bad : new String[] {"", "{", "[1]", "5", "{'a': 1}", "{\"a\": 1} x", "{a: 1}",
        "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{}}}}}}"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> Inputs.parsePayload(bad), bad);
      assertTrue(e.getMessage().startsWith("payload"), e.getMessage());
    }
  }

  @Test
  void recurrenceValuesAndSorting() {
    assertEquals(DayOfWeek.MONDAY, Inputs.parseWeekday("mon"));
    assertEquals(DayOfWeek.THURSDAY, Inputs.parseWeekday("THURSDAY"));
    assertEquals(DayOfWeek.TUESDAY, Inputs.parseWeekday("tu"));
    assertThrows(IllegalArgumentException.class, () -> Inputs.parseWeekday("T"));
    assertThrows(IllegalArgumentException.class, () -> Inputs.parseWeekday("funday"));
    assertEquals(12, Inputs.parseMonth("dec"));
    assertEquals(3, Inputs.parseMonth("3"));
    assertThrows(IllegalArgumentException.class, () -> Inputs.parseMonth("13"));
    assertEquals(SortField.START_TIME, Inputs.parseSortField("start-time"));
    assertEquals(SortField.LAST_UPDATE_TIME, Inputs.parseSortField("UPDATE_TIME"));
    assertEquals(SortField.CREATE_TIME, Inputs.parseSortField("create"));
    assertEquals(SortOrder.DESCENDING, Inputs.parseSortOrder("desc"));
    assertThrows(IllegalArgumentException.class, () -> Inputs.parseSortOrder("up"));
  }
}
