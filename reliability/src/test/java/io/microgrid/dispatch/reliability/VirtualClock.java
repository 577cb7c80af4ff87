package io.microgrid.dispatch.reliability;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that stands still until the test moves it, shared by the server (modification times,
 * "in the past"), the clients and the scheduler, so that dispatches can start and stop during an
 * outage without the test waiting for them.
 */
final class VirtualClock extends Clock {
  private final AtomicReference<Instant> now;

  VirtualClock(Instant start) {
    this.now = new AtomicReference<>(start);
  }

  /** Moves to {@code instant}; never backwards, so modification times only grow. */
  void set(Instant instant) {
    now.updateAndGet(
        current -> {
          if (instant.isBefore(current)) {
            throw new IllegalArgumentException("the clock never goes back: " + instant + " < " + current);
          }
          return instant;
        });
  }

  /** Moves on by {@code step} and returns the new instant. */
  Instant advance(Duration step) {
    return now.updateAndGet(current -> current.plus(step));
  }

  @Override
  public Instant instant() {
    return now.get();
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
