package io.microgrid.dispatch.scheduler.internal.delivery;

import java.time.Duration;
import java.util.Objects;

/**
 * How long a listener may take per call, and how many timeouts in a row deny it (the scheduler
 * configuration's {@code listener.timeout.ms} and {@code listener.deny.after}).
 *
 * @param timeout the longest a call may run before it counts as timed out; positive
 * @param denyAfter the number of timeouts in a row after which the listener is no longer called; at
 *     least 1
 */
public record ListenerSettings(Duration timeout, int denyAfter) {
  /** The configuration defaults: 5000 ms, denied after 3 timeouts in a row. */
  public static final ListenerSettings DEFAULT = new ListenerSettings(Duration.ofMillis(5000), 3);

  /**
   * Checks the values.
   *
   * @throws IllegalArgumentException naming the bad value
   */
  public ListenerSettings {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("listener timeout must be positive, got " + timeout);
    }
    if (denyAfter < 1) {
      throw new IllegalArgumentException(
          "listener deny-after must be at least 1, got " + denyAfter);
    }
  }
}
