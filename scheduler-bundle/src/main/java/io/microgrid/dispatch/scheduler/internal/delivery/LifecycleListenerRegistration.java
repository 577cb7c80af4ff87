package io.microgrid.dispatch.scheduler.internal.delivery;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchLifecycleListener;
import java.time.Instant;
import java.util.Optional;

/**
 * One lifecycle listener registration as the {@link ListenerRegistry} tracks it: the service, its
 * parsed properties and its {@link ListenerEndpoint} in one object (Felix EventAdmin's handler
 * proxy). It decides which events concern it and queues them.
 *
 * <p>Without properties and endpoint while its properties are invalid. Confined to the scheduler
 * thread, except {@link #silence()}, {@link #endpoint()} and {@link #counters()}, which read only
 * the volatile endpoint.
 */
final class LifecycleListenerRegistration {
  private final long serviceId;
  private final DispatchLifecycleListener listener;
  private ListenerProperties properties;
  private volatile ListenerEndpoint endpoint;

  LifecycleListenerRegistration(long serviceId, DispatchLifecycleListener listener) {
    this.serviceId = serviceId;
    this.listener = listener;
  }

  long serviceId() {
    return serviceId;
  }

  /** The name of its reports and log lines: kind, service id and class. */
  String name() {
    return "DispatchLifecycleListener service "
        + serviceId
        + " ("
        + listener.getClass().getName()
        + ")";
  }

  /** Takes new valid properties; they apply to the next event. */
  void properties(ListenerProperties properties) {
    this.properties = properties;
  }

  /**
   * Starts its endpoint; the registry calls this under its silence lock, so that a silence either
   * stops this endpoint or prevents it.
   */
  void start(ListenerEndpoint endpoint) {
    this.endpoint = endpoint;
  }

  /**
   * Returns whether an event about this dispatch concerns it: its type and microgrid match. Matched
   * on the dispatch as the event carries it: an update that moves a dispatch to another type goes
   * to the listeners of the new type. Never for a registration that is not started.
   */
  boolean concerns(Dispatch dispatch) {
    return endpoint != null && properties.matches(dispatch);
  }

  /**
   * Queues an event.
   *
   * @param kind {@code created}, {@code updated} or {@code deleted}, for its report
   * @param due when the event arrived: the latency of its report counts from here
   */
  void dispatchEvent(DispatchEvent event, String kind, Instant due) {
    ListenerEndpoint e = endpoint;
    if (e != null) {
      e.enqueue(
          new Delivery(
              kind, event.dispatch(), Optional.empty(), due, () -> listener.onDispatchEvent(event)));
    }
  }

  /** Stops its endpoint and forgets its properties; scheduler thread. */
  void stop() {
    ListenerEndpoint e = endpoint;
    endpoint = null;
    properties = null;
    if (e != null) {
      e.stop();
    }
  }

  /** Stops calling the listener at once, from any thread. */
  void silence() {
    ListenerEndpoint e = endpoint;
    if (e != null) {
      e.stop();
    }
  }

  /** The endpoint; null while it is not started. Any thread. */
  ListenerEndpoint endpoint() {
    return endpoint;
  }

  /** Its delivery counts, empty while it is not started. Any thread. */
  Optional<ListenerCounters> counters() {
    ListenerEndpoint e = endpoint;
    return e == null ? Optional.empty() : Optional.of(e.counters());
  }
}
