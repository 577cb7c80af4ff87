package io.microgrid.dispatch.scheduler.internal.delivery;

import io.microgrid.dispatch.api.DeliveryReportListener;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchLifecycleListener;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.scheduler.internal.core.Notifications;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Delivers the scheduler's notifications of one microgrid to the whiteboard listeners (semantics §7
 * and §8): indexes the listener registrations by their service properties, keeps one {@link
 * ListenerEndpoint} (queue and thread) per registration, merges per listener, catches late
 * listeners up, and reports every delivery to the {@link DeliveryReportListener}s.
 *
 * <p>Threading: the scheduler core calls {@link Notifications} and the register, modify and remove
 * methods on its one scheduler thread, and only there, so that a registration's catch-up and the
 * transitions around it are seen in one order. None of them blocks: they filter and enqueue. {@link
 * #silence}, {@link #setSettings}, the delivery report listeners, the counters and {@link #close()}
 * may be called from any thread: a service that goes away is silenced on the thread that sees it
 * go, and its removal follows on the scheduler thread.
 *
 * <p>Threads, all daemons, named after the prefix given to the constructor ({@value
 * #DEFAULT_THREAD_PREFIX} by default): {@code <prefix>listener-<serviceId>} per registration,
 * {@code <prefix>listener-watchdog} and {@code <prefix>delivery-reports}.
 */
public final class DeliveryHub implements Notifications, ListenerMemories, AutoCloseable {
  /** The thread name prefix that gives the names of the style guide. */
  public static final String DEFAULT_THREAD_PREFIX = "dispatch-";

  private static final System.Logger LOG = BundleLoggers.get(DeliveryHub.class);

  /** How long {@link #close()} waits, in all, for queued reports and calls in flight. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private final long microgridId;
  private final Clock clock;
  private final String threadPrefix;
  private final Watchdog watchdog;
  private final DeliveryReports reports;
  private volatile ListenerSettings settings;
  private volatile boolean closed;

  // Service ids silenced and not yet removed on the scheduler thread. Guarded by itself, together
  // with the start of an endpoint, so that an endpoint is either started before a silence (which
  // then stops it) or not started at all: never one that a silence missed.
  private final Set<Long> silenced = new HashSet<>();

  // Concurrent maps only so that counters() and close() may read them from other threads; every
  // change happens on the scheduler thread.
  private final Map<Long, RunningRegistration> runningListeners = new ConcurrentHashMap<>();
  private final Map<Long, LifecycleRegistration> lifecycleListeners = new ConcurrentHashMap<>();

  /**
   * A running-state listener; without properties, state and endpoint while its properties are
   * invalid.
   */
  private static final class RunningRegistration {
    final RunningStateListener listener;
    final String memoryKey;
    MergeState state;
    volatile ListenerEndpoint endpoint;

    RunningRegistration(RunningStateListener listener, String memoryKey) {
      this.listener = listener;
      this.memoryKey = memoryKey;
    }
  }

  // Memory key -> what a listener was told before the gateway restarted, until a registration with
  // that key claims it (scheduler thread only).
  private final Map<String, List<RunningStateChange>> dormant = new java.util.TreeMap<>();

  /** A lifecycle listener; without properties and endpoint while its properties are invalid. */
  private static final class LifecycleRegistration {
    final DispatchLifecycleListener listener;
    ListenerProperties properties;
    volatile ListenerEndpoint endpoint;

    LifecycleRegistration(DispatchLifecycleListener listener) {
      this.listener = listener;
    }
  }

  /**
   * Makes a hub and starts its watchdog and report threads.
   *
   * @param microgridId the microgrid whose scheduler this hub serves, for the logs
   * @param settings the listener timeout and deny-after
   * @param clock measures latencies and durations of calls, and dates catch-up notifications
   * @param threadPrefix the prefix of every thread name, {@link #DEFAULT_THREAD_PREFIX} normally
   */
  public DeliveryHub(
      long microgridId,
      ListenerSettings settings,
      Clock clock,
      String threadPrefix) {
    this.microgridId = microgridId;
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.threadPrefix = Objects.requireNonNull(threadPrefix, "threadPrefix");
    this.watchdog = new Watchdog(threadPrefix + "listener-watchdog");
    this.reports = new DeliveryReports(threadPrefix + "delivery-reports");
  }

  /**
   * Changes the timeout and deny-after live; calls already running keep the timeout they started
   * with.
   *
   * @param settings the new settings
   */
  public void setSettings(ListenerSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /**
   * Returns the current settings.
   *
   * @return the settings
   */
  public ListenerSettings settings() {
    return settings;
  }

  // ---- Notifications (scheduler thread) ----

  @Override
  public void runningStateChanged(RunningStateChange change) {
    if (closed) {
      return;
    }
    if (LOG.isLoggable(Level.DEBUG)) {
      // What the scheduler decided, before any listener's filter: with the scheduler's logger at
      // DEBUG an operator sees every transition, whether or not a listener acts on it.
      Dispatch d = change.dispatch();
      LOG.log(
          Level.DEBUG,
          "dispatch {0} of microgrid {1} ({2}) {3} at {4}{5}",
          String.valueOf(d.id()),
          String.valueOf(d.microgridId()),
          d.type(),
          change.state(),
          change.at(),
          change.until().map(until -> " until " + until).orElse(""));
    }
    for (RunningRegistration r : runningListeners.values()) {
      ListenerEndpoint endpoint = r.endpoint;
      if (endpoint == null) {
        continue;
      }
      // The merge state turns the core's transition into what this listener hears, if anything.
      for (RunningStateChange c : r.state.apply(change)) {
        endpoint.enqueue(runningDelivery(r.listener, c, change.at()));
      }
    }
  }

  @Override
  public void dispatchEvent(DispatchEvent event, Instant due) {
    if (closed) {
      return;
    }
    // Java 17 has no pattern switch; the interface is sealed, so these are all the cases.
    String kind =
        event instanceof DispatchEvent.Created
            ? "created"
            : event instanceof DispatchEvent.Updated ? "updated" : "deleted";
    for (LifecycleRegistration r : lifecycleListeners.values()) {
      ListenerEndpoint endpoint = r.endpoint;
      // Matched on the dispatch as the event carries it: an update that moves a dispatch to
      // another type goes to the listeners of the new type.
      if (endpoint != null && r.properties.matches(event.dispatch())) {
        DispatchLifecycleListener listener = r.listener;
        endpoint.enqueue(
            new Delivery(
                kind,
                event.dispatch(),
                Optional.empty(),
                due,
                () -> listener.onDispatchEvent(event)));
      }
    }
  }

  // ---- Running-state listeners (scheduler thread) ----

  /**
   * Registers a running-state listener and tells it at once about the matching dispatches that run
   * now (catch-up, semantics §8), one RUNNING per merged identity. Registering a service id again
   * replaces the earlier registration.
   *
   * @param serviceId its {@code service.id}
   * @param properties its service properties
   * @param listener the service
   * @param runningNow the RUNNING snapshots of the dispatches running now, as the scheduler holds
   *     them at this point of its thread
   * @return whether its properties are valid; when not it is kept, unused, with one warning, so
   *     that a later {@link #modifiedRunningStateListener} can make it valid
   */
  public boolean addRunningStateListener(
      long serviceId,
      Map<String, ?> properties,
      RunningStateListener listener,
      Collection<RunningStateChange> runningNow) {
    return addRunningStateListener(serviceId, properties, listener, null, runningNow);
  }

  /**
   * Registers a running-state listener that the persisted schedule recognises across restarts by
   * {@code memoryKey}: when a memory of what it was told before the restart is held, it resumes
   * from it ({@link MergeState#resume}) instead of a catch-up, so that it is not told again what it
   * knows.
   *
   * @param serviceId its {@code service.id}
   * @param properties its service properties
   * @param listener the service
   * @param memoryKey what identifies it across restarts, null for none
   * @param runningNow the RUNNING snapshots of the dispatches running now
   * @return whether its properties are valid
   */
  public boolean addRunningStateListener(
      long serviceId,
      Map<String, ?> properties,
      RunningStateListener listener,
      String memoryKey,
      Collection<RunningStateChange> runningNow) {
    Objects.requireNonNull(listener, "listener");
    if (closed) {
      return false;
    }
    unregisterRunning(serviceId, false);
    RunningRegistration r = new RunningRegistration(listener, memoryKey);
    runningListeners.put(serviceId, r);
    Optional<ListenerProperties> p =
        parse(() -> ListenerProperties.ofRunningStateListener(serviceId, properties));
    p.ifPresent(valid -> activate(serviceId, r, valid, runningNow));
    return p.isPresent();
  }

  /**
   * Re-reads a running-state listener's properties. A denied listener is called again. It is
   * brought up to date as a fresh registration would be, without repeating what it was told:
   * STOPPED for the dispatches it no longer handles, RUNNING for the running ones it now handles
   * (see {@link MergeState#refilter}). Properties that became invalid stop it, with a warning.
   *
   * @param serviceId its {@code service.id}
   * @param properties its new service properties
   * @param runningNow the RUNNING snapshots of the dispatches running now
   * @return whether the new properties are valid (false also for an unknown service id)
   */
  public boolean modifiedRunningStateListener(
      long serviceId, Map<String, ?> properties, Collection<RunningStateChange> runningNow) {
    RunningRegistration r = runningListeners.get(serviceId);
    if (r == null || closed) {
      return false;
    }
    Optional<ListenerProperties> p =
        parse(() -> ListenerProperties.ofRunningStateListener(serviceId, properties));
    if (p.isEmpty()) {
      deactivate(r);
      return false;
    }
    ListenerEndpoint endpoint = r.endpoint;
    if (endpoint == null) {
      activate(serviceId, r, p.get(), runningNow);
      return true;
    }
    endpoint.allowAgain();
    Instant now = clock.instant();
    for (RunningStateChange c : r.state.refilter(p.get(), runningNow, now)) {
      endpoint.enqueue(runningDelivery(r.listener, c, now));
    }
    return true;
  }

  /**
   * Unregisters a running-state listener: it is never called again. Notifications still queued for
   * it are dropped without a report; a call in flight cannot be stopped and is reported when it
   * ends.
   *
   * @param serviceId its {@code service.id}
   */
  public void removeRunningStateListener(long serviceId) {
    removeRunningStateListener(serviceId, false);
  }

  /**
   * Unregisters a running-state listener, as {@link #removeRunningStateListener(long)}, and when
   * {@code remember} is set keeps what it was told for the persisted schedule, so that it resumes
   * from there when it registers again after a restart (the framework is stopping).
   *
   * @param serviceId its {@code service.id}
   * @param remember whether to keep its memory
   */
  public void removeRunningStateListener(long serviceId, boolean remember) {
    unregisterRunning(serviceId, remember);
    unsilence(serviceId);
  }

  private void unregisterRunning(long serviceId, boolean remember) {
    RunningRegistration r = runningListeners.remove(serviceId);
    if (r != null) {
      MergeState state = r.state;
      if (remember && r.memoryKey != null && state != null) {
        dormant.putIfAbsent(r.memoryKey, state.told());
      }
      deactivate(r);
    }
  }

  // ---- The persisted schedule's memory of the listeners (scheduler thread) ----

  /**
   * Returns what each recognisable running-state listener was told is running: the registered
   * ones (the lowest service id where two share a key) and the memories not claimed yet.
   *
   * @return memory key -> RUNNING snapshots
   */
  @Override
  public Map<String, List<RunningStateChange>> memories() {
    Map<String, List<RunningStateChange>> result = new java.util.TreeMap<>();
    new java.util.TreeMap<>(runningListeners)
        .forEach(
            (id, r) -> {
              MergeState state = r.state;
              if (r.memoryKey != null && state != null) {
                result.putIfAbsent(r.memoryKey, state.told());
              }
            });
    dormant.forEach(result::putIfAbsent);
    return result;
  }

  /**
   * Replaces the memories not claimed yet with those of the persisted schedule; call before the
   * listeners register.
   *
   * @param memories memory key -> the RUNNING snapshots that listener was told
   */
  @Override
  public void remember(Map<String, List<RunningStateChange>> memories) {
    dormant.clear();
    memories.forEach((k, v) -> dormant.put(k, List.copyOf(v)));
  }

  private void activate(
      long serviceId,
      RunningRegistration r,
      ListenerProperties properties,
      Collection<RunningStateChange> runningNow) {
    ListenerEndpoint endpoint;
    synchronized (silenced) {
      if (silenced.contains(serviceId)) {
        return; // its service is gone; the removal is on its way
      }
      r.state = new MergeState(properties);
      endpoint = startEndpoint(serviceId, "RunningStateListener", r.listener);
      r.endpoint = endpoint;
    }
    Instant now = clock.instant();
    List<RunningStateChange> known = r.memoryKey == null ? null : dormant.remove(r.memoryKey);
    List<RunningStateChange> first =
        known == null ? r.state.catchUp(runningNow) : r.state.resume(known, runningNow, now);
    // Due now, not at the dispatch's start: the latency of a catch-up counts from registration.
    for (RunningStateChange c : first) {
      endpoint.enqueue(runningDelivery(r.listener, c, now));
    }
  }

  private static void deactivate(RunningRegistration r) {
    ListenerEndpoint endpoint = r.endpoint;
    r.endpoint = null;
    r.state = null;
    if (endpoint != null) {
      endpoint.stop();
    }
  }

  private static Delivery runningDelivery(
      RunningStateListener listener, RunningStateChange change, Instant due) {
    return new Delivery(
        "running",
        change.dispatch(),
        Optional.of(change.state()),
        due,
        () -> listener.onRunningStateChange(change));
  }

  // ---- Lifecycle listeners (scheduler thread) ----

  /**
   * Registers a lifecycle listener. It is told about events from now on; past events are not
   * repeated. Registering a service id again replaces the earlier registration.
   *
   * @param serviceId its {@code service.id}
   * @param properties its service properties ({@code dispatch.type} optional, default all)
   * @param listener the service
   * @return whether its properties are valid; when not it is kept, unused, with one warning
   */
  public boolean addLifecycleListener(
      long serviceId, Map<String, ?> properties, DispatchLifecycleListener listener) {
    Objects.requireNonNull(listener, "listener");
    if (closed) {
      return false;
    }
    unregisterLifecycle(serviceId);
    LifecycleRegistration r = new LifecycleRegistration(listener);
    lifecycleListeners.put(serviceId, r);
    return modifiedLifecycleListener(serviceId, properties);
  }

  /**
   * Re-reads a lifecycle listener's properties; a denied listener is called again. Properties that
   * became invalid stop it, with a warning.
   *
   * @param serviceId its {@code service.id}
   * @param properties its new service properties
   * @return whether the new properties are valid (false also for an unknown service id)
   */
  public boolean modifiedLifecycleListener(long serviceId, Map<String, ?> properties) {
    LifecycleRegistration r = lifecycleListeners.get(serviceId);
    if (r == null || closed) {
      return false;
    }
    Optional<ListenerProperties> p =
        parse(() -> ListenerProperties.ofLifecycleListener(serviceId, properties));
    ListenerEndpoint endpoint = r.endpoint;
    if (p.isEmpty()) {
      r.endpoint = null;
      r.properties = null;
      if (endpoint != null) {
        endpoint.stop();
      }
      return false;
    }
    r.properties = p.get();
    if (endpoint == null) {
      synchronized (silenced) {
        if (silenced.contains(serviceId)) {
          return false; // its service is gone; the removal is on its way
        }
        r.endpoint = startEndpoint(serviceId, "DispatchLifecycleListener", r.listener);
      }
    } else {
      endpoint.allowAgain();
    }
    return true;
  }

  /**
   * Unregisters a lifecycle listener: it is never called again (as for {@link
   * #removeRunningStateListener}).
   *
   * @param serviceId its {@code service.id}
   */
  public void removeLifecycleListener(long serviceId) {
    unregisterLifecycle(serviceId);
    unsilence(serviceId);
  }

  private void unregisterLifecycle(long serviceId) {
    LifecycleRegistration r = lifecycleListeners.remove(serviceId);
    if (r != null && r.endpoint != null) {
      r.endpoint.stop();
      r.endpoint = null;
    }
  }

  // ---- Services gone (any thread) ----

  /**
   * Stops calling the running-state or lifecycle listener of a service at once, from any thread:
   * what is queued for it is dropped, and a registration or property change of it still queued on
   * the scheduler thread starts nothing. Its registration is removed later, on the scheduler thread
   * ({@link #removeRunningStateListener}, {@link #removeLifecycleListener}), which also forgets the
   * silence; until then its merge state is kept, so that a removal that remembers what it was told
   * still can.
   *
   * @param serviceId its {@code service.id}
   */
  public void silence(long serviceId) {
    synchronized (silenced) {
      silenced.add(serviceId);
      RunningRegistration running = runningListeners.get(serviceId);
      ListenerEndpoint r = running == null ? null : running.endpoint;
      if (r != null) {
        r.stop();
      }
      LifecycleRegistration lifecycle = lifecycleListeners.get(serviceId);
      ListenerEndpoint l = lifecycle == null ? null : lifecycle.endpoint;
      if (l != null) {
        l.stop();
      }
    }
  }

  private void unsilence(long serviceId) {
    synchronized (silenced) {
      silenced.remove(serviceId);
    }
  }

  // ---- Delivery report listeners (any thread) ----

  /**
   * Registers a delivery report listener: it receives the reports of deliveries that end from now
   * on.
   *
   * @param serviceId its {@code service.id}
   * @param listener the service
   */
  public void addDeliveryReportListener(long serviceId, DeliveryReportListener listener) {
    reports.add(serviceId, Objects.requireNonNull(listener, "listener"));
  }

  /**
   * Unregisters a delivery report listener.
   *
   * @param serviceId its {@code service.id}
   */
  public void removeDeliveryReportListener(long serviceId) {
    reports.remove(serviceId);
  }

  // ---- Health ----

  /**
   * Returns the delivery counts of a running-state listener.
   *
   * @param serviceId its {@code service.id}
   * @return the counts; empty when it is not registered or its properties are invalid
   */
  public Optional<ListenerCounters> runningStateListenerCounters(long serviceId) {
    RunningRegistration r = runningListeners.get(serviceId);
    ListenerEndpoint endpoint = r == null ? null : r.endpoint;
    return endpoint == null ? Optional.empty() : Optional.of(endpoint.counters());
  }

  /**
   * Returns the service ids of the listeners denied for timing out too often, for health checks.
   *
   * @return the ids, running-state and lifecycle listeners alike, in ascending order
   */
  public java.util.List<Long> deniedListeners() {
    java.util.List<Long> denied = new java.util.ArrayList<>();
    runningListeners.forEach(
        (id, r) -> {
          ListenerEndpoint e = r.endpoint;
          if (e != null && e.counters().isDenied()) {
            denied.add(id);
          }
        });
    lifecycleListeners.forEach(
        (id, r) -> {
          ListenerEndpoint e = r.endpoint;
          if (e != null && e.counters().isDenied()) {
            denied.add(id);
          }
        });
    java.util.Collections.sort(denied);
    return denied;
  }

  /**
   * Returns the delivery counts of a lifecycle listener.
   *
   * @param serviceId its {@code service.id}
   * @return the counts; empty when it is not registered or its properties are invalid
   */
  public Optional<ListenerCounters> lifecycleListenerCounters(long serviceId) {
    LifecycleRegistration r = lifecycleListeners.get(serviceId);
    ListenerEndpoint endpoint = r == null ? null : r.endpoint;
    return endpoint == null ? Optional.empty() : Optional.of(endpoint.counters());
  }

  /**
   * Stops every thread of the hub: nothing queued is delivered any more. Waits at most two seconds
   * in all for calls in flight to return and for queued reports to be handed out, then interrupts
   * what still runs. Later calls on the hub do nothing.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    List<ListenerEndpoint> endpoints = new ArrayList<>();
    for (RunningRegistration r : runningListeners.values()) {
      if (r.endpoint != null) {
        endpoints.add(r.endpoint);
      }
    }
    for (LifecycleRegistration r : lifecycleListeners.values()) {
      if (r.endpoint != null) {
        endpoints.add(r.endpoint);
      }
    }
    runningListeners.clear();
    lifecycleListeners.clear();
    endpoints.forEach(ListenerEndpoint::stop);
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    for (ListenerEndpoint e : endpoints) {
      e.awaitStopped(deadline);
    }
    watchdog.close();
    reports.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  private ListenerEndpoint startEndpoint(long serviceId, String kind, Object listener) {
    return ListenerEndpoint.start(
        serviceId,
        kind + " service " + serviceId + " (" + listener.getClass().getName() + ")",
        threadPrefix + "listener-" + serviceId,
        () -> settings,
        watchdog,
        reports,
        clock);
  }

  private Optional<ListenerProperties> parse(Supplier<ListenerProperties> parser) {
    try {
      return Optional.of(parser.get());
    } catch (IllegalArgumentException invalid) {
      LOG.log(
          Level.WARNING, invalid.getMessage() + " (scheduler of microgrid " + microgridId + ")");
      return Optional.empty();
    }
  }
}
