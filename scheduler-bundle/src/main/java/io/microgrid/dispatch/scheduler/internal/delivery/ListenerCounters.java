package io.microgrid.dispatch.scheduler.internal.delivery;

/**
 * What happened to one listener registration's deliveries so far, for a health check.
 *
 * @param delivered calls that returned normally within the timeout
 * @param failed calls that threw
 * @param timedOut timeout periods observed: one per call that returned late, and one per elapsed
 *     timeout period while a call is stuck (a call stuck for three periods counts three)
 * @param denied notifications not delivered because the listener was denied
 * @param consecutiveTimeouts timeouts in a row since the last call that returned in time
 * @param isDenied whether the listener is denied now
 */
public record ListenerCounters(
    long delivered,
    long failed,
    long timedOut,
    long denied,
    int consecutiveTimeouts,
    boolean isDenied) {}
