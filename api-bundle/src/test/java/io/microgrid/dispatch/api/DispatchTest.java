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

class DispatchTest {
  static final Instant START = Instant.parse("2024-01-01T10:00:00Z");
  static final Instant CREATED = Instant.parse("2023-12-01T09:00:00Z");
  static final Instant UPDATED = Instant.parse("2023-12-02T09:00:00Z");
  static final Instant END = Instant.parse("2024-01-01T11:00:00Z");
  static final TargetComponents TARGET = TargetComponents.ids(1, 2);
  static final RecurrenceRule DAILY = RecurrenceRule.builder(Frequency.DAILY).count(3).build();

  /** A mutable set of the constructor's arguments, so each test changes just one. */
  static final class Args {
    long id = 7;
    long microgridId = 42;
    String type = "BATTERY_CHARGE";
    Instant startTime = START;
    Optional<Duration> duration = Optional.of(Duration.ofHours(1));
    TargetComponents target = TARGET;
    boolean active = true;
    boolean dryRun = false;
    Payload payload = Payload.of(Map.of("power", 1000));
    Optional<RecurrenceRule> recurrence = Optional.empty();
    Instant createTime = CREATED;
    Instant updateTime = UPDATED;
    Optional<Instant> endTime = Optional.of(END);

    Dispatch build() {
      return new Dispatch(
          id, microgridId, type, startTime, duration, target, active, dryRun, payload, recurrence,
          createTime, updateTime, endTime);
    }
  }

  @Test
  void keepsEveryField() {
    Args a = new Args();
    a.recurrence = Optional.of(DAILY);
    a.active = false;
    a.dryRun = true;
    Dispatch d = a.build();
    assertEquals(7, d.id());
    assertEquals(42, d.microgridId());
    assertEquals("BATTERY_CHARGE", d.type());
    assertEquals(START, d.startTime());
    assertEquals(Optional.of(Duration.ofHours(1)), d.duration());
    assertEquals(TARGET, d.target());
    assertFalse(d.active());
    assertTrue(d.dryRun());
    assertEquals(Payload.of(Map.of("power", 1000)), d.payload());
    assertEquals(Optional.of(DAILY), d.recurrence());
    assertEquals(CREATED, d.createTime());
    assertEquals(UPDATED, d.updateTime());
    assertEquals(Optional.of(END), d.endTime());
  }

  @Test
  void isRecurringFollowsTheRecurrenceRule() {
    Args a = new Args();
    assertFalse(a.build().isRecurring());
    a.recurrence = Optional.of(DAILY);
    assertTrue(a.build().isRecurring());
  }

  @Test
  void idMustBePositive() {
    for (long bad : new long[] {0, -1, Long.MIN_VALUE}) {
      Args a = new Args();
      a.id = bad;
      assertRefused(IllegalArgumentException.class, "id", a::build);
    }
    Args one = new Args();
    one.id = 1;
    assertEquals(1, one.build().id());
  }

  @Test
  void microgridIdMustBePositive() {
    for (long bad : new long[] {0, -1}) {
      Args a = new Args();
      a.microgridId = bad;
      assertRefused(IllegalArgumentException.class, "microgridId", a::build);
    }
  }

  @Test
  void typeMustBeGivenAndNotBlank() {
    Args a = new Args();
    a.type = null;
    assertRefused(NullPointerException.class, "type", a::build);
    a.type = "";
    assertRefused(IllegalArgumentException.class, "type", a::build);
    a.type = "  \t";
    assertRefused(IllegalArgumentException.class, "type", a::build);
  }

  @Test
  void durationZeroAndMaximumAreAccepted() {
    Args a = new Args();
    a.duration = Optional.of(Duration.ZERO);
    assertEquals(Optional.of(Duration.ZERO), a.build().duration());
    a.duration = Optional.of(Dispatch.MAX_DURATION);
    assertEquals(Optional.of(Dispatch.MAX_DURATION), a.build().duration());
    a.duration = Optional.empty();
    assertEquals(Optional.empty(), a.build().duration());
  }

  @Test
  void maxDurationIsAnUnsigned32BitCountOfSeconds() {
    assertEquals(Duration.ofSeconds(4_294_967_295L), Dispatch.MAX_DURATION);
  }

  @Test
  void durationOutOfRangeIsRefused() {
    for (Duration bad :
        new Duration[] {
          Duration.ofSeconds(-1),
          Duration.ofMillis(1500),
          Duration.ofNanos(1),
          Dispatch.MAX_DURATION.plusSeconds(1)
        }) {
      Args a = new Args();
      a.duration = Optional.of(bad);
      assertRefused(IllegalArgumentException.class, "duration", a::build);
    }
  }

  @Test
  void payloadOverTheLimitsIsRefused() {
    Args a = new Args();
    a.payload = PayloadTest.nestedObjects(6);
    assertRefused(IllegalArgumentException.class, "payload", a::build);
    a.payload = PayloadTest.ofJsonBytes(Payload.MAX_BYTES + 1);
    assertRefused(IllegalArgumentException.class, "payload", a::build);
    a.payload = PayloadTest.nestedObjects(5);
    assertEquals(5, a.build().payload().depth());
  }

  @Test
  void nullsAreRefusedNamingTheField() {
    Args a;
    a = new Args();
    a.startTime = null;
    assertRefused(NullPointerException.class, "startTime", a::build);
    a = new Args();
    a.duration = null;
    assertRefused(NullPointerException.class, "duration", a::build);
    a = new Args();
    a.target = null;
    assertRefused(NullPointerException.class, "target", a::build);
    a = new Args();
    a.payload = null;
    assertRefused(NullPointerException.class, "payload", a::build);
    a = new Args();
    a.recurrence = null;
    assertRefused(NullPointerException.class, "recurrence", a::build);
    a = new Args();
    a.createTime = null;
    assertRefused(NullPointerException.class, "createTime", a::build);
    a = new Args();
    a.updateTime = null;
    assertRefused(NullPointerException.class, "updateTime", a::build);
    a = new Args();
    a.endTime = null;
    assertRefused(NullPointerException.class, "endTime", a::build);
  }

  @Test
  void equalDispatchesAreEqual() {
    assertEquals(new Args().build(), new Args().build());
    assertEquals(new Args().build().hashCode(), new Args().build().hashCode());
  }
}
