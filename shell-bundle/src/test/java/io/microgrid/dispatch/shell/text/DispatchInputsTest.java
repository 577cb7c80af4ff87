package io.microgrid.dispatch.shell.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.ComponentCategory;
import io.microgrid.dispatch.api.ComponentType;
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
class DispatchInputsTest {
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
    assertEquals(Duration.ofSeconds(seconds), DispatchInputs.parseDuration(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "15x", "-5", "1.5h", "h", "15m foo", "PT0.5S", "ten minutes",
      "99999999999999999999", "9999999999999999w"})
  void malformedDurationsAreRefusedWithTheExpectedForms(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DispatchInputs.parseDuration(text));
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void durationsFormatCompactly() {
    assertEquals("0s", DispatchInputs.formatDuration(Duration.ZERO));
    assertEquals("15m", DispatchInputs.formatDuration(Duration.ofMinutes(15)));
    assertEquals("1h30m", DispatchInputs.formatDuration(Duration.ofMinutes(90)));
    assertEquals("1m30s", DispatchInputs.formatDuration(Duration.ofSeconds(90)));
    assertEquals("1d2h3m4s", DispatchInputs.formatDuration(Duration.ofSeconds(93784)));
    for (long s : new long[] {1, 59, 61, 3600, 86_399, 86_401, 1_000_000}) {
      Duration d = Duration.ofSeconds(s);
      assertEquals(d, DispatchInputs.parseDuration(DispatchInputs.formatDuration(d)), "round trip of " + s);
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
    DispatchInputs.Time t = DispatchInputs.parseTime(text, NOW);
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
    DispatchInputs.Time t = DispatchInputs.parseTime(text, NOW);
    assertEquals(NOW_S.plusSeconds(offsetSeconds), t.instant());
    assertEquals(text.trim().equalsIgnoreCase("now"), t.now());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "tomorrowish", "in", "in ten minutes", "+", "+10x", "2026-13-01",
      "2026-12-01T25:00:00Z", "ago", "12:00"})
  void malformedTimesAreRefused(String text) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> DispatchInputs.parseTime(text, NOW));
    assertTrue(e.getMessage().contains("ISO-8601"), e.getMessage());
  }

  @Test
  void idRanges() {
    assertEquals(List.of(1L, 2L, 5L, 6L, 7L), DispatchInputs.parseIdRanges("1,2,5-7"));
    assertEquals(List.of(3L), DispatchInputs.parseIdRanges("3"));
    assertEquals(List.of(1L, 2L, 3L), DispatchInputs.parseIdRanges("1..3"));
    assertEquals(List.of(4L, 4L), DispatchInputs.parseIdRanges("4-4, 4"));
    for (String bad : new String[] {"", "1,,2", "7-5", "a", "0", "-3", "1-", "1-2-3", "1-20000"}) {
      assertThrows(IllegalArgumentException.class, () -> DispatchInputs.parseIdRanges(bad), bad);
    }
  }

  @Test
  void idArgumentsMixIdsAndRangesAndGiveEachIdOnce() {
    assertEquals(
        List.of(1L, 4L, 5L, 6L, 8L, 9L, 2L),
        DispatchInputs.parseIdArguments(List.of("1", "4-6", "8..9", "5,2", "1-1")));
    IllegalArgumentException backwards =
        assertThrows(
            IllegalArgumentException.class,
            () -> DispatchInputs.parseIdArguments(List.of("1", "3-1")));
    assertEquals("range '3-1' ends before it starts; write 1-3", backwards.getMessage());
    IllegalArgumentException open =
        assertThrows(
            IllegalArgumentException.class, () -> DispatchInputs.parseIdArguments(List.of("1-")));
    assertTrue(open.getMessage().contains("'1-' is not a dispatch id or range"), open.getMessage());
    IllegalArgumentException huge =
        assertThrows(
            IllegalArgumentException.class,
            () -> DispatchInputs.parseIdArguments(List.of("1-1000000000")));
    assertEquals(
        "range '1-1000000000' has 1000000000 ids; at most " + DispatchInputs.MAX_IDS + " at once",
        huge.getMessage());
    // Ranges each within the cap, together over it.
    IllegalArgumentException many =
        assertThrows(
            IllegalArgumentException.class,
            () -> DispatchInputs.parseIdArguments(List.of("1-10000", "10001-10001")));
    assertTrue(many.getMessage().contains("more than 10000 ids at once"), many.getMessage());
    assertEquals(10_000, DispatchInputs.parseIdArguments(List.of("1-5000", "5001..10000", "7")).size());
    assertThrows(IllegalArgumentException.class, () -> DispatchInputs.parseIdArguments(List.of()));
  }

  @Test
  void targetsWithSubtypes() {
    assertEquals(
        new TargetComponents.Categories(
            List.of(ComponentCategory.STEAM_BOILER),
            List.of(ComponentType.BATTERY_LI_ION, ComponentType.INVERTER_PV, ComponentType.EV_CHARGER_DC)),
        DispatchInputs.parseTarget("BATTERY:LI_ION, inverter:pv,EV_CHARGER:DC,STEAM_BOILER"));
    assertEquals(
        TargetComponents.types(new ComponentType(ComponentCategory.BATTERY, 9)),
        DispatchInputs.parseTarget("BATTERY:TYPE_9"));
    IllegalArgumentException noSubtypes =
        assertThrows(IllegalArgumentException.class, () -> DispatchInputs.parseTarget("METER:AC"));
    assertTrue(noSubtypes.getMessage().contains("no subtypes"), noSubtypes.getMessage());
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> DispatchInputs.parseTarget("INVERTER:SOLAR"));
    assertTrue(unknown.getMessage().contains("PV, HYBRID"), "lists the subtypes: " + unknown);
    for (String bad : new String[] {"BATTERY:", "BATTERY:UNSPECIFIED", "1:LI_ION", "BATTERY:LI_ION,1"}) {
      assertThrows(IllegalArgumentException.class, () -> DispatchInputs.parseTarget(bad), bad);
    }
  }

  @Test
  void v1alpha8CategoriesAreTyped() {
    assertEquals(
        TargetComponents.categories(
            ComponentCategory.STEAM_BOILER, ComponentCategory.ELECTROLYZER, ComponentCategory.CHP),
        DispatchInputs.parseTarget("STEAM_BOILER,electrolyzer,CHP"));
    assertEquals(10, ComponentCategory.ELECTROLYZER.number());
    assertTrue(DispatchInputs.categoryNames().contains("WIND_TURBINE"));
  }

  @Test
  void targets() {
    assertEquals(TargetComponents.ids(1, 2, 3), DispatchInputs.parseTarget("1,2,3"));
    assertEquals(TargetComponents.ids(7), DispatchInputs.parseTarget(" 7 "));
    assertEquals(
        TargetComponents.categories(ComponentCategory.BATTERY, ComponentCategory.INVERTER),
        DispatchInputs.parseTarget("BATTERY,inverter"));
    assertEquals(
        TargetComponents.categories(ComponentCategory.EV_CHARGER), DispatchInputs.parseTarget("ev-charger"));
    assertEquals(
        TargetComponents.categories(new ComponentCategory(42)), DispatchInputs.parseTarget("CATEGORY_42"));
    IllegalArgumentException mixed =
        assertThrows(IllegalArgumentException.class, () -> DispatchInputs.parseTarget("BATTERY,1"));
    assertTrue(mixed.getMessage().contains("mixes"), mixed.getMessage());
    IllegalArgumentException unknown =
        assertThrows(IllegalArgumentException.class, () -> DispatchInputs.parseTarget("BATTERIES"));
    assertTrue(unknown.getMessage().contains("BATTERY"), "lists the categories: " + unknown);
    for (String bad : new String[] {"", "1,,2", "UNSPECIFIED", "99999999999999999999"}) {
      assertThrows(IllegalArgumentException.class, () -> DispatchInputs.parseTarget(bad), bad);
    }
  }

  @Test
  void payloads() {
    Payload p = DispatchInputs.parsePayload("{\"power_w\": 5000, \"mode\": \"fast\", \"a\": [1, true, null]}");
    assertEquals(
        Payload.of(
            Map.of("power_w", 5000, "mode", "fast", "a", java.util.Arrays.asList(1, true, null))),
        p);
    assertEquals(Payload.EMPTY, DispatchInputs.parsePayload("{}"));
    for (String bad : new String[] {"", "{", "[1]", "5", "{'a': 1}", "{\"a\": 1} x", "{a: 1}",
        "{\"a\":{\"b\":{\"c\":{\"d\":{\"e\":{}}}}}}"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> DispatchInputs.parsePayload(bad), bad);
      assertTrue(e.getMessage().startsWith("payload"), e.getMessage());
    }
  }

  @Test
  void recurrenceValuesAndSorting() {
    assertEquals(DayOfWeek.MONDAY, DispatchInputs.parseWeekday("mon"));
    assertEquals(DayOfWeek.THURSDAY, DispatchInputs.parseWeekday("THURSDAY"));
    assertEquals(DayOfWeek.TUESDAY, DispatchInputs.parseWeekday("tu"));
    assertThrows(IllegalArgumentException.class, () -> DispatchInputs.parseWeekday("T"));
    assertThrows(IllegalArgumentException.class, () -> DispatchInputs.parseWeekday("funday"));
    assertEquals(12, DispatchInputs.parseMonth("dec"));
    assertEquals(3, DispatchInputs.parseMonth("3"));
    assertThrows(IllegalArgumentException.class, () -> DispatchInputs.parseMonth("13"));
    assertEquals(SortField.START_TIME, DispatchInputs.parseSortField("start-time"));
    assertEquals(SortField.LAST_UPDATE_TIME, DispatchInputs.parseSortField("UPDATE_TIME"));
    assertEquals(SortField.CREATE_TIME, DispatchInputs.parseSortField("create"));
    assertEquals(SortOrder.DESCENDING, DispatchInputs.parseSortOrder("desc"));
    assertThrows(IllegalArgumentException.class, () -> DispatchInputs.parseSortOrder("up"));
  }

  @Test
  void payloadsAreReadStrictlyWithoutAJsonLibrary() {
    assertEquals(
        Payload.of(Map.of("s", "a\"b\\c/\n\u00e9", "n", -12.5e2, "z", 0, "o", Map.of("x", List.of()))),
        DispatchInputs.parsePayload(
            " {\"s\": \"a\\\"b\\\\c\\/\\n\\u00e9\", \"n\": -12.5E+2, \"z\": 0, \"o\": {\"x\": []}} "));
    for (String bad : new String[] {"{\"a\": 01}", "{\"a\": .5}", "{\"a\": 1.}", "{\"a\": +1}",
        "{\"a\": tru}", "{\"a\": 1,}", "[1,]", "{\"a\" 1}", "{\"a\": \"\\x\"}",
        "{\"a\": \"\\u12\"}", "{\"a\": \"x\ny\"}", "{\"a\": NaN}", "{\"a\": 1e999}",
        "{\"a\": 1} // c", "{\"a\": 1}}", "{\"a\": 1, \"a\": 2}"}) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> DispatchInputs.parsePayload(bad), bad);
      assertTrue(e.getMessage().startsWith("payload is not valid JSON: "), e.getMessage());
    }
  }
}
