package io.microgrid.dispatch.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.TargetComponents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import io.microgrid.dispatch.shell.text.StrictJson;

class EventLinesTest {
  /** The contract's fields, in the order the lines give them. */
  static final List<String> FIELDS =
      List.of(
          "kind",
          "state",
          "dispatch_id",
          "microgrid_id",
          "type",
          "at",
          "notified_at",
          "until",
          "dry_run",
          "payload",
          "missed_runs");

  static final Instant START = Instant.parse("2026-11-23T10:00:00Z");
  static final Instant NOTIFIED = Instant.parse("2026-11-23T10:00:00.012345Z");

  static Dispatch dispatch(Payload payload, boolean dryRun) {
    return new Dispatch(
        42,
        7,
        "BATTERY_CHARGE",
        START,
        Optional.of(Duration.ofMinutes(15)),
        TargetComponents.ids(3, 4),
        true,
        dryRun,
        payload,
        Optional.empty(),
        START.minusSeconds(3600),
        START.minusSeconds(1800),
        Optional.of(START.plusSeconds(900)));
  }

  static Map<String, Object> json(String line) {
    assertTrue(line.startsWith("dispatch-event {"), line);
    assertFalse(line.contains("\n") || line.contains("\r"), line);
    @SuppressWarnings("unchecked")
    Map<String, Object> fields =
        (Map<String, Object>) StrictJson.parse(line.substring("dispatch-event ".length()));
    assertEquals(FIELDS, List.copyOf(fields.keySet()), "exactly the contract's fields, in order");
    return fields;
  }

  @Test
  void runningLineIsExactlyTheContractFormat() {
    RunningStateChange change =
        new RunningStateChange(
            dispatch(Payload.of(Map.of("power_w", 5000)), false),
            RunningState.RUNNING,
            START,
            Optional.of(START.plusSeconds(900)),
            List.of(START.minusSeconds(86400), START.minusMillis(3_600_123)));

    assertEquals(
        "dispatch-event {\"kind\":\"running\",\"state\":\"RUNNING\",\"dispatch_id\":42,"
            + "\"microgrid_id\":7,\"type\":\"BATTERY_CHARGE\",\"at\":\"2026-11-23T10:00:00.000Z\","
            + "\"notified_at\":\"2026-11-23T10:00:00.012Z\",\"until\":\"2026-11-23T10:15:00.000Z\","
            + "\"dry_run\":false,\"payload\":{\"power_w\":5000},\"missed_runs\":"
            + "[\"2026-11-22T10:00:00.000Z\",\"2026-11-23T08:59:59.877Z\"]}",
        EventLines.running(change, NOTIFIED));
  }

  @Test
  void runningLineParsesBackToTheChange() {
    RunningStateChange change =
        new RunningStateChange(
            dispatch(Payload.of(Map.of("mode", "eco", "levels", List.of(1, 2.5))), true),
            RunningState.RUNNING,
            START,
            Optional.of(START.plusSeconds(900)),
            List.of(START.minusSeconds(60)));

    Map<String, Object> f = json(EventLines.running(change, NOTIFIED));

    assertEquals("running", f.get("kind"));
    assertEquals("RUNNING", f.get("state"));
    assertEquals(42.0, f.get("dispatch_id"));
    assertEquals(7.0, f.get("microgrid_id"));
    assertEquals("BATTERY_CHARGE", f.get("type"));
    assertEquals("2026-11-23T10:00:00.000Z", f.get("at"));
    assertEquals("2026-11-23T10:00:00.012Z", f.get("notified_at"));
    assertEquals("2026-11-23T10:15:00.000Z", f.get("until"));
    assertEquals(Boolean.TRUE, f.get("dry_run"));
    assertEquals(Map.of("mode", "eco", "levels", List.of(1.0, 2.5)), f.get("payload"));
    assertEquals(List.of("2026-11-23T09:59:00.000Z"), f.get("missed_runs"));
  }

  @Test
  void stopHasNoUntilAndAnEmptyPayloadIsAnEmptyObject() {
    RunningStateChange change =
        new RunningStateChange(
            dispatch(Payload.EMPTY, false),
            RunningState.STOPPED,
            START.plusSeconds(900),
            Optional.empty(),
            List.of());

    Map<String, Object> f = json(EventLines.running(change, NOTIFIED));

    assertEquals("STOPPED", f.get("state"));
    assertEquals("2026-11-23T10:15:00.000Z", f.get("at"));
    assertTrue(f.containsKey("until"));
    assertNull(f.get("until"));
    assertEquals(Map.of(), f.get("payload"));
    assertEquals(List.of(), f.get("missed_runs"));
  }

  @Test
  void lifecycleLinesHaveTheirKindNoStateAndTheTimeReceived() {
    Dispatch d = dispatch(Payload.EMPTY, false);
    List<DispatchEvent> events =
        List.of(new DispatchEvent.Created(d), new DispatchEvent.Updated(d), new DispatchEvent.Deleted(d));
    List<String> kinds = List.of("created", "updated", "deleted");

    for (int i = 0; i < events.size(); i++) {
      Map<String, Object> f = json(EventLines.lifecycle(events.get(i), NOTIFIED));
      assertEquals(kinds.get(i), f.get("kind"));
      assertTrue(f.containsKey("state"));
      assertNull(f.get("state"));
      assertEquals("2026-11-23T10:00:00.012Z", f.get("at"));
      assertEquals(f.get("at"), f.get("notified_at"));
      assertNull(f.get("until"));
      assertEquals(List.of(), f.get("missed_runs"));
      assertEquals(42.0, f.get("dispatch_id"));
    }
  }

  @Test
  void textOutsidePrintableAsciiIsEscapedAndReadsBackTheSame() {
    String tricky = "Grüße \"quoted\" back\\slash\nnew line \u2028 \uD83D\uDD0B";
    Dispatch d =
        new Dispatch(
            1,
            1,
            "TYPE \u00e9",
            START,
            Optional.empty(),
            TargetComponents.ids(1),
            true,
            false,
            Payload.of(Map.of("note", tricky)),
            Optional.empty(),
            START,
            START,
            Optional.empty());

    String line = EventLines.lifecycle(new DispatchEvent.Created(d), NOTIFIED);

    assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f), line);
    Map<String, Object> f = json(line);
    assertEquals("TYPE \u00e9", f.get("type"));
    assertEquals(Map.of("note", tricky), f.get("payload"));
  }

  @Test
  void instantsAreUtcWithMilliseconds() {
    assertEquals("2026-11-23T10:00:00.000Z", EventLines.instant(START));
    assertEquals("1970-01-01T00:00:00.001Z", EventLines.instant(Instant.ofEpochMilli(1)));
    assertEquals(
        "2026-03-29T01:30:00.999Z", EventLines.instant(Instant.parse("2026-03-29T01:30:00.999999Z")));
  }
}
