package io.microgrid.dispatch.client.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter: the delay doubles after each failure up to a maximum, and each
 * delay is drawn from half to all of it, so that many gateways that lost the same server do not
 * come back in lockstep. Not thread-safe; owned by one subscription.
 */
final class Backoff {
  private long initialMillis;
  private long maxMillis;
  private int failures;

  Backoff(Duration initial, Duration max) {
    delays(initial, max);
  }

  /**
   * Changes the first and the largest delay, e.g. after a configuration edit. The failures so far
   * still count: the next delay is the new first delay doubled as often as the old one would have
   * been, capped at the new maximum.
   */
  void delays(Duration initial, Duration max) {
    this.initialMillis = Math.max(1, initial.toMillis());
    this.maxMillis = Math.max(initialMillis, max.toMillis());
  }

  /** Returns the delay before the next attempt and counts one more failure. */
  Duration nextDelay() {
    // initial * 2^failures, saturating at the max without overflowing: the shift is taken only
    // when its result is known to be <= maxMillis.
    long ceiling =
        failures < 62 && initialMillis <= (maxMillis >> failures)
            ? initialMillis << failures
            : maxMillis;
    if (failures < 62) {
      failures++;
    }
    long floor = ceiling / 2;
    return Duration.ofMillis(floor + ThreadLocalRandom.current().nextLong(ceiling - floor + 1));
  }

  /** Starts again from the initial delay, after a connection proved healthy. */
  void reset() {
    failures = 0;
  }

  /** Returns the largest delay, the age after which a stream counts as healthy. */
  Duration max() {
    return Duration.ofMillis(maxMillis);
  }
}
