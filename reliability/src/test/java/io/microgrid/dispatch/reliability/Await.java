package io.microgrid.dispatch.reliability;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition that other threads make true, checking it every few milliseconds. The
 * timeout is a safety net that turns a hang into a failure naming what never happened; no result
 * depends on how long the wait took.
 */
final class Await {
  private Await() {}

  static void until(BooleanSupplier condition, Duration timeout, Supplier<String> what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + timeout.toSeconds() + " s: " + what.get());
      }
      TimeUnit.MILLISECONDS.sleep(2);
    }
  }
}
