package io.microgrid.dispatch.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How one notification to one listener ended, so that an operator can prove that a device was
 * told, and when. Sent to every {@link DeliveryReportListener}.
 *
 * @param listener a readable name of the listener registration (service id and class)
 * @param serviceId the listener's {@code service.id}
 * @param kind what was delivered: {@code running} for a {@link RunningStateChange}, {@code
 *     created}, {@code updated} or {@code deleted} for a {@link DispatchEvent}
 * @param dispatchId the dispatch the notification was about
 * @param microgridId its microgrid
 * @param state the running state delivered, for {@code running} notifications
 * @param due when the notification was due (the transition's instant, or when the event arrived)
 * @param outcome how the delivery ended
 * @param latency from {@code due} until the listener returned (or the delivery was given up)
 * @param failure what went wrong, for {@link Outcome#FAILED}, {@link Outcome#TIMED_OUT} and
 *     {@link Outcome#DENIED}
 */
public record DeliveryReport(
    String listener,
    long serviceId,
    String kind,
    long dispatchId,
    long microgridId,
    Optional<RunningState> state,
    Instant due,
    Outcome outcome,
    Duration latency,
    Optional<String> failure) {

  /** How a delivery ended. */
  public enum Outcome {
    /** The listener returned normally, within its timeout. */
    DELIVERED,
    /** The listener threw an exception. */
    FAILED,
    /** The listener returned, but later than its timeout (or has not returned yet). */
    TIMED_OUT,
    /** The listener was not called: it is denied after too many timeouts in a row. */
    DENIED
  }

  /** Checks for nulls. */
  public DeliveryReport {
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(due, "due");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(latency, "latency");
    Objects.requireNonNull(failure, "failure");
  }
}
