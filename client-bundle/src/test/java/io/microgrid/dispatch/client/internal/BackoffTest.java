package io.microgrid.dispatch.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Only draws delays; nothing here sleeps. */
class BackoffTest {

  private static void assertWithin(long floor, long ceiling, Duration d, String what) {
    long ms = d.toMillis();
    assertTrue(
        ms >= floor && ms <= ceiling,
        () -> what + ": expected a delay in [" + floor + ", " + ceiling + "] ms, got " + ms);
  }

  /** The ceiling of the n-th draw (n from 0): initial doubled n times, capped at max. */
  private static long ceiling(long initial, long max, int n) {
    long c = initial;
    for (int i = 0; i < n && c < max; i++) {
      c = c * 2;
    }
    return Math.min(c, max);
  }

  @Test
  void delaysGrowExponentiallyWithJitterAndAreCapped() {
    long initial = 100;
    long max = 5_000;
    // Repeat to exercise the jitter; each sequence must stay in the bounds on every draw.
    for (int run = 0; run < 200; run++) {
      Backoff b = new Backoff(Duration.ofMillis(initial), Duration.ofMillis(max));
      for (int n = 0; n < 12; n++) {
        long c = ceiling(initial, max, n);
        assertWithin(c / 2, c, b.nextDelay(), "run " + run + ", draw " + n);
      }
    }
  }

  @Test
  void expectedCeilings() {
    // 100, 200, 400, 800, 1600, 3200, then the cap 5000 for ever.
    long[] expected = {100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000};
    for (int n = 0; n < expected.length; n++) {
      assertEquals(expected[n], ceiling(100, 5000, n));
    }
  }

  @Test
  void delaysAreCappedAtTheMaxForever() {
    Backoff b = new Backoff(Duration.ofMillis(10), Duration.ofMillis(1000));
    for (int n = 0; n < 200; n++) {
      Duration d = b.nextDelay();
      assertTrue(d.toMillis() <= 1000, "draw " + n + " exceeds the max: " + d);
      if (n >= 7) {
        // ceiling 10 << 7 = 1280 > 1000: capped from here on
        assertWithin(500, 1000, d, "draw " + n);
      }
    }
    assertEquals(Duration.ofMillis(1000), b.max());
  }

  @Test
  void theMaxIsReachedEvenWhenItIsFarAboveTheInitialDelay() {
    // More than 2^30 times the initial delay: the doubling must still reach the max.
    Duration max = Duration.ofDays(30);
    Backoff b = new Backoff(Duration.ofMillis(1), max);
    for (int n = 0; n < 40; n++) {
      b.nextDelay();
    }
    for (int n = 0; n < 100; n++) {
      assertWithin(max.toMillis() / 2, max.toMillis(), b.nextDelay(), "after 40+ failures");
    }
  }

  @Test
  void noOverflowWithAHugeInitialDelay() {
    Duration big = Duration.ofDays(365L * 100);
    Backoff b = new Backoff(big, big.multipliedBy(3));
    for (int n = 0; n < 100; n++) {
      Duration d = b.nextDelay();
      assertWithin(big.toMillis() / 2, big.multipliedBy(3).toMillis(), d, "draw " + n);
    }
  }

  @Test
  void jitterActuallyVaries() {
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 100; i++) {
      Backoff b = new Backoff(Duration.ofMillis(1000), Duration.ofMillis(1000));
      seen.add(b.nextDelay().toMillis());
    }
    assertTrue(seen.size() > 1, "every draw was the same: " + seen);
  }

  @Test
  void resetStartsAgainFromTheInitialDelay() {
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofMillis(10_000));
    for (int n = 0; n < 10; n++) {
      b.nextDelay();
    }
    b.reset();
    assertWithin(50, 100, b.nextDelay(), "first draw after reset");
    assertWithin(100, 200, b.nextDelay(), "second draw after reset");
    assertWithin(200, 400, b.nextDelay(), "third draw after reset");
  }

  @Test
  void maxBelowInitialIsRaisedToInitial() {
    Backoff b = new Backoff(Duration.ofMillis(400), Duration.ofMillis(100));
    assertEquals(Duration.ofMillis(400), b.max());
    for (int n = 0; n < 10; n++) {
      assertWithin(200, 400, b.nextDelay(), "draw " + n);
    }
  }

  @Test
  void zeroInitialDelayStillWaitsAtLeastOneMillisecondCeiling() {
    Backoff b = new Backoff(Duration.ZERO, Duration.ofMillis(8));
    assertWithin(0, 1, b.nextDelay(), "draw 0");
    assertWithin(1, 2, b.nextDelay(), "draw 1");
    assertWithin(2, 4, b.nextDelay(), "draw 2");
    assertWithin(4, 8, b.nextDelay(), "draw 3");
    assertWithin(4, 8, b.nextDelay(), "draw 4");
  }

  @Test
  void newDelaysApplyToTheNextDrawAndTheFailuresSoFarStillCount() {
    Backoff b = new Backoff(Duration.ofHours(1), Duration.ofHours(1));
    b.nextDelay();
    b.delays(Duration.ofMillis(100), Duration.ofMillis(10_000));
    // One failure so far: the new first delay doubled once.
    assertWithin(100, 200, b.nextDelay(), "first draw after the change");
    assertEquals(Duration.ofMillis(10_000), b.max());
    b.delays(Duration.ofMillis(100), Duration.ofMillis(150));
    assertWithin(75, 150, b.nextDelay(), "capped at the new maximum");
  }
}
