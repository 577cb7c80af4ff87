package io.microgrid.dispatch.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A clock that the test moves by hand, so that what depends on the time (start and stop of
 * dispatches, modification times, latencies) can be asserted exactly and nobody waits for real
 * time to pass. Every thread that reads it (servers, clients, schedulers) sees each move at once.
 *
 * <p>{@link #VirtualClock(Instant)} stands still until the test moves it. {@link #following(Clock)}
 * ticks with another clock, shifted by what the test moved it: for code that waits in real time
 * but must see the wall clock step, as it does when NTP corrects it.
 */
public final class VirtualClock extends Clock {
  private final Clock base;
  // Shared with the copies that withZone makes, so that they all show the same instant.
  private final AtomicReference<Duration> shift;

  /** A clock that stands at {@code start} until the test moves it; its zone is UTC. */
  public VirtualClock(Instant start) {
    this(Clock.fixed(start, ZoneOffset.UTC), new AtomicReference<>(Duration.ZERO));
  }

  private VirtualClock(Clock base, AtomicReference<Duration> shift) {
    this.base = base;
    this.shift = shift;
  }

  /** A clock that ticks with {@code base} (and has its zone) until the test moves it. */
  public static VirtualClock following(Clock base) {
    return new VirtualClock(base, new AtomicReference<>(Duration.ZERO));
  }

  /**
   * Moves to {@code instant}. Never backwards, so that times the code under test stamped only
   * grow; {@link #stepBack(Duration)} is the one move that goes back.
   *
   * @throws IllegalArgumentException when {@code instant} is before the clock's instant
   */
  public void set(Instant instant) {
    shift.updateAndGet(
        current -> {
          Instant baseNow = base.instant();
          Instant now = baseNow.plus(current);
          if (instant.isBefore(now)) {
            throw new IllegalArgumentException("the clock never goes back: " + instant + " < " + now);
          }
          return Duration.between(baseNow, instant);
        });
  }

  /**
   * Moves on by {@code step} and returns the instant this move reached.
   *
   * @throws IllegalArgumentException when {@code step} is negative
   */
  public Instant advance(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("the clock never goes back: " + step);
    }
    return base.instant().plus(shift.updateAndGet(current -> current.plus(step)));
  }

  /** Steps back by {@code step}, as a wall clock does when NTP finds it ahead. */
  public void stepBack(Duration step) {
    if (step.isNegative()) {
      throw new IllegalArgumentException("a step back is not negative: " + step);
    }
    shift.updateAndGet(current -> current.minus(step));
  }

  @Override
  public Instant instant() {
    return base.instant().plus(shift.get());
  }

  @Override
  public ZoneId getZone() {
    return base.getZone();
  }

  /** The same clock seen in another zone: it moves whenever this one moves. */
  @Override
  public Clock withZone(ZoneId zone) {
    return zone.equals(getZone()) ? this : new VirtualClock(base.withZone(zone), shift);
  }

  @Override
  public String toString() {
    return "VirtualClock[" + instant() + "]";
  }
}
