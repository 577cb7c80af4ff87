package io.microgrid.dispatch.scheduler.internal.delivery;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One running-state listener registration as the {@link ListenerRegistry} tracks it: the service,
 * its parsed properties, what it was told ({@link MergeState}) and its {@link ListenerEndpoint}, in
 * one object, as Felix EventAdmin's handler proxy holds a handler's filter and service together. It
 * decides which notifications concern it and turns the core's transitions into its own deliveries.
 *
 * <p>Without properties, merge state and endpoint while its properties are invalid (or its service
 * went before it could start). Confined to the scheduler thread, except {@link #silence()}, {@link
 * #endpoint()} and {@link #counters()}, which read only the volatile endpoint.
 */
final class RunningListenerRegistration {
  private final long serviceId;
  private final RunningStateListener listener;
  private final String memoryKey;
  private ListenerProperties properties;
  private MergeState state;
  private volatile ListenerEndpoint endpoint;

  RunningListenerRegistration(long serviceId, RunningStateListener listener, String memoryKey) {
    this.serviceId = serviceId;
    this.listener = listener;
    this.memoryKey = memoryKey;
  }

  long serviceId() {
    return serviceId;
  }

  /** What identifies it across restarts in the persisted schedule; null for none. */
  String memoryKey() {
    return memoryKey;
  }

  /** The name of its reports and log lines: kind, service id and class. */
  String name() {
    return "RunningStateListener service "
        + serviceId
        + " ("
        + listener.getClass().getName()
        + ")";
  }

  /**
   * Starts it with valid properties and a fresh endpoint; the registry calls this under its silence
   * lock, so that a silence either stops this endpoint or prevents it.
   */
  void start(ListenerProperties properties, ListenerEndpoint endpoint) {
    this.properties = properties;
    this.state = new MergeState(properties);
    this.endpoint = endpoint;
  }

  /**
   * Tells a just started registration what runs now (semantics §8): a catch-up, or, when {@code
   * known} holds what it was told before the gateway restarted, a resume from there, so that it is
   * not told again what it knows. Due now, not at the dispatch's start: the latency of a catch-up
   * counts from registration.
   */
  void catchUp(
      List<RunningStateChange> known, Collection<RunningStateChange> runningNow, Instant now) {
    ListenerEndpoint e = endpoint;
    List<RunningStateChange> first =
        known == null ? state.catchUp(runningNow) : state.resume(known, runningNow, now);
    for (RunningStateChange c : first) {
      e.enqueue(delivery(c, now));
    }
  }

  /**
   * Takes new valid properties while started: a denied listener is called again, and it is told
   * what a fresh registration would be without repeating what it was told ({@link
   * MergeState#refilter}); its merge state and endpoint stay.
   */
  void refilter(ListenerProperties properties, Collection<RunningStateChange> runningNow, Instant now) {
    ListenerEndpoint e = endpoint;
    e.allowAgain();
    this.properties = properties;
    for (RunningStateChange c : state.refilter(properties, runningNow, now)) {
      e.enqueue(delivery(c, now));
    }
  }

  /**
   * Returns whether a transition of this dispatch may concern it: the dispatch matches its
   * properties, or it was told the dispatch runs (then a change of type or microgrid is a STOPPED
   * for it). Never for a registration that is not started.
   */
  boolean concerns(Dispatch dispatch) {
    return endpoint != null
        && (properties.matches(dispatch) || state.wasToldRunning(dispatch.id()));
  }

  /** Queues what the listener hears of a transition of the core, if anything, due at its instant. */
  void runningStateChanged(RunningStateChange change) {
    ListenerEndpoint e = endpoint;
    if (e == null) {
      return;
    }
    // The merge state turns the core's transition into what this listener hears, if anything.
    for (RunningStateChange c : state.apply(change)) {
      e.enqueue(delivery(c, change.at()));
    }
  }

  /**
   * Returns what it was told is running, for the persisted schedule: empty when it has no memory
   * key or is not started.
   */
  Optional<List<RunningStateChange>> memory() {
    MergeState s = state;
    return memoryKey == null || s == null ? Optional.empty() : Optional.of(s.told());
  }

  /** Stops its endpoint and forgets its properties and merge state; scheduler thread. */
  void stop() {
    ListenerEndpoint e = endpoint;
    endpoint = null;
    state = null;
    properties = null;
    if (e != null) {
      e.stop();
    }
  }

  /**
   * Stops calling the listener at once, from any thread; its merge state stays, so that a removal
   * that remembers what it was told still can.
   */
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

  /** Its merge state, null while it is not started; for tests. */
  MergeState state() {
    return state;
  }

  /** Its delivery counts, empty while it is not started. Any thread. */
  Optional<ListenerCounters> counters() {
    ListenerEndpoint e = endpoint;
    return e == null ? Optional.empty() : Optional.of(e.counters());
  }

  private Delivery delivery(RunningStateChange change, Instant due) {
    return new Delivery(
        "running",
        change.dispatch(),
        Optional.of(change.state()),
        due,
        () -> listener.onRunningStateChange(change));
  }
}
