package io.microgrid.dispatch.scheduler.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RecurrenceRule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Dispatches decoded apart share their equal parts once held, and stay equal to what was given. */
class InternerTest {
  private static Dispatch decoded(long id, int power) {
    // new String: as the client decodes it, each dispatch's text is an object of its own.
    Dispatch d = Dispatches.dispatch(id, Dispatches.T0, Duration.ofMinutes(15));
    d = Dispatches.withRule(d, RecurrenceRule.builder(Frequency.DAILY).count(24).build());
    return Dispatches.withPayload(
        d, Payload.of(Map.of("power_w", power, "mode", new String("charge"))), d.updateTime());
  }

  @Test
  void equalPartsAreShared() {
    Interner interner = new Interner();
    Dispatch a = decoded(1, 5000);
    Dispatch b = decoded(2, 5000);
    assertNotSame(a.payload(), b.payload());
    Dispatch heldA = interner.dispatch(a);
    Dispatch heldB = interner.dispatch(b);
    assertEquals(a, heldA);
    assertEquals(b, heldB);
    assertSame(heldA.payload(), heldB.payload());
    assertSame(heldA.target(), heldB.target());
    assertSame(heldA.duration(), heldB.duration());
    assertSame(heldA.recurrence(), heldB.recurrence());
    assertSame(heldB, interner.dispatch(heldB), "a dispatch already made of shared parts is kept");
  }

  @Test
  void differentPartsStayApartAndARebuildKeepsWhatIsHeld() {
    Interner interner = new Interner();
    Dispatch a = interner.dispatch(decoded(1, 5000));
    Dispatch b = interner.dispatch(decoded(2, 7000));
    assertNotSame(a.payload(), b.payload());
    assertEquals(7000.0, ((io.microgrid.dispatch.api.JsonValue.JsonNumber) b.payload().get("power_w").orElseThrow()).value());
    interner.rebuild(List.of(a));
    assertSame(a.payload(), interner.dispatch(decoded(3, 5000)).payload());
  }
}
