package io.microgrid.dispatch.api;

import static io.microgrid.dispatch.api.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NewDispatchTest {
  private static final TargetComponents TARGET =
      TargetComponents.categories(ComponentCategory.BATTERY);
  private static final Instant START = Instant.parse("2030-01-01T00:00:00Z");
  private static final RecurrenceRule RULE =
      RecurrenceRule.builder(Frequency.HOURLY).byMinutes(0, 30).build();

  @Test
  void builderDefaults() {
    NewDispatch d = NewDispatch.builder("T", TARGET).build();
    assertEquals("T", d.type());
    assertEquals(TARGET, d.target());
    assertEquals(Optional.empty(), d.startTime(), "starts now");
    assertEquals(Optional.empty(), d.duration(), "runs for ever");
    assertTrue(d.active());
    assertFalse(d.dryRun());
    assertEquals(Payload.EMPTY, d.payload());
    assertEquals(Optional.empty(), d.recurrence());
  }

  @Test
  void builderPutsEveryValueInItsField() {
    Payload payload = Payload.of(Map.of("k", "v"));
    NewDispatch d =
        NewDispatch.builder("T", TARGET)
            .startTime(START)
            .duration(Duration.ofMinutes(15))
            .active(false)
            .dryRun(true)
            .payload(payload)
            .recurrence(RULE)
            .build();
    assertEquals(Optional.of(START), d.startTime());
    assertEquals(Optional.of(Duration.ofMinutes(15)), d.duration());
    assertFalse(d.active());
    assertTrue(d.dryRun());
    assertEquals(payload, d.payload());
    assertEquals(Optional.of(RULE), d.recurrence());
  }

  @Test
  void startNowAndInfiniteDurationClearEarlierValues() {
    NewDispatch d =
        NewDispatch.builder("T", TARGET)
            .startTime(START)
            .startNow()
            .duration(Duration.ofMinutes(15))
            .infiniteDuration()
            .build();
    assertEquals(Optional.empty(), d.startTime());
    assertEquals(Optional.empty(), d.duration());
  }

  @Test
  void typeMustBeGivenAndNotBlank() {
    assertRefused(NullPointerException.class, "type", () -> NewDispatch.builder(null, TARGET).build());
    assertRefused(IllegalArgumentException.class, "type", () -> NewDispatch.builder("", TARGET).build());
    assertRefused(IllegalArgumentException.class, "type", () -> NewDispatch.builder(" ", TARGET).build());
  }

  @Test
  void targetAndPayloadMustBeGiven() {
    assertRefused(NullPointerException.class, "target", () -> NewDispatch.builder("T", null).build());
    assertRefused(
        NullPointerException.class,
        "payload",
        () -> NewDispatch.builder("T", TARGET).payload(null).build());
  }

  @Test
  void durationEdgesAreAccepted() {
    assertEquals(
        Optional.of(Duration.ZERO),
        NewDispatch.builder("T", TARGET).duration(Duration.ZERO).build().duration());
    assertEquals(
        Optional.of(Dispatch.MAX_DURATION),
        NewDispatch.builder("T", TARGET).duration(Dispatch.MAX_DURATION).build().duration());
  }

  @Test
  void durationOutOfRangeIsRefused() {
    for (Duration bad :
        new Duration[] {
          Duration.ofSeconds(-1), Duration.ofMillis(100), Dispatch.MAX_DURATION.plusSeconds(1)
        }) {
      assertRefused(
          IllegalArgumentException.class,
          "duration",
          () -> NewDispatch.builder("T", TARGET).duration(bad).build());
    }
  }

  @Test
  void payloadOverTheLimitsIsRefused() {
    assertRefused(
        IllegalArgumentException.class,
        "payload",
        () -> NewDispatch.builder("T", TARGET).payload(PayloadTest.nestedObjects(6)).build());
    assertRefused(
        IllegalArgumentException.class,
        "payload",
        () ->
            NewDispatch.builder("T", TARGET)
                .payload(PayloadTest.ofJsonBytes(Payload.MAX_BYTES + 1))
                .build());
    assertEquals(
        Payload.MAX_BYTES,
        NewDispatch.builder("T", TARGET)
            .payload(PayloadTest.ofJsonBytes(Payload.MAX_BYTES))
            .build()
            .payload()
            .toJson()
            .length());
  }

  @Test
  void constructorNullsAreRefusedNamingTheField() {
    assertRefused(
        NullPointerException.class,
        "startTime",
        () -> new NewDispatch("T", null, Optional.empty(), TARGET, true, false, Payload.EMPTY, Optional.empty()));
    assertRefused(
        NullPointerException.class,
        "duration",
        () -> new NewDispatch("T", Optional.empty(), null, TARGET, true, false, Payload.EMPTY, Optional.empty()));
    assertRefused(
        NullPointerException.class,
        "recurrence",
        () -> new NewDispatch("T", Optional.empty(), Optional.empty(), TARGET, true, false, Payload.EMPTY, null));
  }
}
