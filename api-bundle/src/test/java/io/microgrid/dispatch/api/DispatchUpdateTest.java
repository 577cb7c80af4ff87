package io.microgrid.dispatch.api;

import static io.microgrid.dispatch.api.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.DispatchUpdate.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DispatchUpdateTest {
  private static final Instant START = Instant.parse("2030-05-01T12:00:00Z");
  private static final TargetComponents TARGET = TargetComponents.ids(9);
  private static final Payload PAYLOAD = Payload.of(Map.of("p", 1));
  private static final RecurrenceRule RULE = RecurrenceRule.builder(Frequency.DAILY).build();

  @Test
  void anEmptyUpdateIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> DispatchUpdate.builder().build());
  }

  @Test
  void startTimeOnly() {
    DispatchUpdate u = DispatchUpdate.builder().startTime(START).build();
    assertEquals(Set.of(Field.START_TIME), u.fields());
    assertTrue(u.changes(Field.START_TIME));
    assertFalse(u.changes(Field.DURATION));
    assertEquals(Optional.of(START), u.startTime());
    assertEquals(Optional.empty(), u.target());
    assertEquals(Optional.empty(), u.payload());
    assertEquals(Optional.empty(), u.type());
  }

  @Test
  void durationIsRecorded() {
    DispatchUpdate u = DispatchUpdate.builder().duration(Duration.ofSeconds(30)).build();
    assertEquals(Set.of(Field.DURATION), u.fields());
    assertEquals(Optional.of(Duration.ofSeconds(30)), u.duration());
  }

  @Test
  void infiniteDurationIsAChangeWithAnEmptyValue() {
    DispatchUpdate u = DispatchUpdate.builder().infiniteDuration().build();
    assertEquals(Set.of(Field.DURATION), u.fields());
    assertEquals(Optional.empty(), u.duration());

    DispatchUpdate overridden =
        DispatchUpdate.builder().duration(Duration.ofMinutes(5)).infiniteDuration().build();
    assertEquals(Set.of(Field.DURATION), overridden.fields());
    assertEquals(Optional.empty(), overridden.duration());
  }

  @Test
  void targetIsRecorded() {
    DispatchUpdate u = DispatchUpdate.builder().target(TARGET).build();
    assertEquals(Set.of(Field.TARGET), u.fields());
    assertEquals(Optional.of(TARGET), u.target());
  }

  @Test
  void activeIsRecordedWithItsValue() {
    DispatchUpdate off = DispatchUpdate.builder().active(false).build();
    assertEquals(Set.of(Field.ACTIVE), off.fields());
    assertFalse(off.active());
    DispatchUpdate on = DispatchUpdate.builder().active(true).build();
    assertEquals(Set.of(Field.ACTIVE), on.fields());
    assertTrue(on.active());
  }

  @Test
  void payloadIsRecorded() {
    DispatchUpdate u = DispatchUpdate.builder().payload(PAYLOAD).build();
    assertEquals(Set.of(Field.PAYLOAD), u.fields());
    assertEquals(Optional.of(PAYLOAD), u.payload());
    DispatchUpdate cleared = DispatchUpdate.builder().payload(Payload.EMPTY).build();
    assertEquals(Set.of(Field.PAYLOAD), cleared.fields());
    assertEquals(Optional.of(Payload.EMPTY), cleared.payload());
  }

  @Test
  void recurrenceIsRecorded() {
    DispatchUpdate u = DispatchUpdate.builder().recurrence(RULE).build();
    assertEquals(Set.of(Field.RECURRENCE), u.fields());
    assertEquals(Optional.of(RULE), u.recurrence());
  }

  @Test
  void noRecurrenceIsAChangeWithAnEmptyValue() {
    DispatchUpdate u = DispatchUpdate.builder().noRecurrence().build();
    assertEquals(Set.of(Field.RECURRENCE), u.fields());
    assertEquals(Optional.empty(), u.recurrence());

    DispatchUpdate overridden = DispatchUpdate.builder().recurrence(RULE).noRecurrence().build();
    assertEquals(Set.of(Field.RECURRENCE), overridden.fields());
    assertEquals(Optional.empty(), overridden.recurrence());
  }

  @Test
  void typeAndDryRunAreRecordedSoTheClientCanRefuseThem() {
    DispatchUpdate t = DispatchUpdate.builder().type("OTHER").build();
    assertEquals(Set.of(Field.TYPE), t.fields());
    assertEquals(Optional.of("OTHER"), t.type());

    DispatchUpdate dry = DispatchUpdate.builder().dryRun(true).build();
    assertEquals(Set.of(Field.DRY_RUN), dry.fields());
    assertTrue(dry.dryRun());
    assertFalse(DispatchUpdate.builder().dryRun(false).build().dryRun());
    assertEquals(Set.of(Field.DRY_RUN), DispatchUpdate.builder().dryRun(false).build().fields());
  }

  @Test
  void everyFieldTogether() {
    DispatchUpdate u =
        DispatchUpdate.builder()
            .startTime(START)
            .duration(Duration.ZERO)
            .target(TARGET)
            .active(true)
            .payload(PAYLOAD)
            .recurrence(RULE)
            .type("X")
            .dryRun(false)
            .build();
    assertEquals(EnumSet.allOf(Field.class), u.fields());
    for (Field f : Field.values()) {
      assertTrue(u.changes(f), f.name());
    }
  }

  @Test
  void fieldsAreUnmodifiable() {
    DispatchUpdate u = DispatchUpdate.builder().active(true).build();
    assertThrows(UnsupportedOperationException.class, () -> u.fields().add(Field.PAYLOAD));
    assertThrows(UnsupportedOperationException.class, () -> u.fields().clear());
  }

  @Test
  void usingTheBuilderAfterBuildDoesNotChangeTheUpdate() {
    DispatchUpdate.Builder b = DispatchUpdate.builder().duration(Duration.ofSeconds(10));
    DispatchUpdate u = b.build();
    b.startTime(START).payload(PAYLOAD).infiniteDuration().noRecurrence();
    assertEquals(Set.of(Field.DURATION), u.fields());
    assertEquals(Optional.of(Duration.ofSeconds(10)), u.duration());
    assertEquals(Optional.empty(), u.startTime());
    assertEquals(Optional.empty(), u.payload());
  }

  @Test
  void durationEdgesAreAccepted() {
    assertEquals(
        Optional.of(Duration.ZERO),
        DispatchUpdate.builder().duration(Duration.ZERO).build().duration());
    assertEquals(
        Optional.of(Dispatch.MAX_DURATION),
        DispatchUpdate.builder().duration(Dispatch.MAX_DURATION).build().duration());
  }

  @Test
  void durationOutOfRangeIsRefused() {
    for (Duration bad :
        new Duration[] {
          Duration.ofSeconds(-1), Duration.ofMillis(2500), Dispatch.MAX_DURATION.plusSeconds(1)
        }) {
      assertRefused(
          IllegalArgumentException.class,
          "duration",
          () -> DispatchUpdate.builder().duration(bad));
    }
    assertRefused(NullPointerException.class, "duration", () -> DispatchUpdate.builder().duration(null));
  }

  @Test
  void aRefusedDurationLeavesTheBuilderAsItWas() {
    DispatchUpdate.Builder b = DispatchUpdate.builder().duration(Duration.ofSeconds(30));
    assertThrows(IllegalArgumentException.class, () -> b.duration(Duration.ofSeconds(-5)));
    assertEquals(Optional.of(Duration.ofSeconds(30)), b.build().duration());

    DispatchUpdate.Builder fresh = DispatchUpdate.builder();
    assertThrows(IllegalArgumentException.class, () -> fresh.duration(Duration.ofMillis(1)));
    DispatchUpdate u = fresh.active(true).build();
    assertEquals(Set.of(Field.ACTIVE), u.fields());
    assertEquals(Optional.empty(), u.duration());
  }

  @Test
  void payloadOverTheLimitsIsRefusedAndNotRecorded() {
    DispatchUpdate.Builder b = DispatchUpdate.builder();
    assertRefused(
        IllegalArgumentException.class, "payload", () -> b.payload(PayloadTest.nestedObjects(6)));
    assertRefused(
        IllegalArgumentException.class,
        "payload",
        () -> b.payload(PayloadTest.ofJsonBytes(Payload.MAX_BYTES + 1)));
    assertThrows(IllegalArgumentException.class, b::build, "nothing was recorded");
    assertEquals(
        Optional.of(PayloadTest.nestedObjects(5)),
        DispatchUpdate.builder().payload(PayloadTest.nestedObjects(5)).build().payload());
  }

  @Test
  void nullsAreRefusedNamingTheField() {
    assertRefused(
        NullPointerException.class, "startTime", () -> DispatchUpdate.builder().startTime(null));
    assertRefused(NullPointerException.class, "target", () -> DispatchUpdate.builder().target(null));
    assertRefused(NullPointerException.class, "payload", () -> DispatchUpdate.builder().payload(null));
  }
}
