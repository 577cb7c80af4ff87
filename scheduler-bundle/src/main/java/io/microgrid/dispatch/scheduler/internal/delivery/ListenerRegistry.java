package io.microgrid.dispatch.scheduler.internal.delivery;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchLifecycleListener;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The running-state and lifecycle listener registrations of one microgrid's scheduler (semantics
 * §8): adds, re-reads and removes them by service id, each as one {@link
 * RunningListenerRegistration} or {@link LifecycleListenerRegistration}; silences a departing one;
 * tells the {@link DeliveryHub} which registrations a dispatch concerns; and keeps what the
 * recognisable running-state listeners were told for the persisted schedule ({@link
 * ListenerMemories}).
 *
 * <p>Threading: add, modify, remove and the memories run on the one scheduler thread, and only
 * there, so that a registration's catch-up and the transitions around it are seen in one order.
 * None of them blocks: they parse, start an endpoint and enqueue. {@link #silence}, the counters and
 * {@link #deniedListeners()} may be called from any thread: a service that goes away is silenced on
 * the thread that sees it go, and its removal follows on the scheduler thread.
 */
public final class ListenerRegistry implements ListenerMemories {
  // The hub's logger name: operators know the invalid-registration warnings under it (README), and
  // the split of the hub must not move them.
  private static final System.Logger LOG = BundleLoggers.get(DeliveryHub.class);

  /** Starts the endpoint of a registration: its queue and its thread. */
  @FunctionalInterface
  interface Endpoints {
    /**
     * Starts an endpoint.
     *
     * @param serviceId the listener's {@code service.id}
     * @param name the registration's name, for its reports and log lines
     * @return the running endpoint
     */
    ListenerEndpoint start(long serviceId, String name);
  }

  // Written when the scheduler moves to another microgrid, read by the logs on any thread.
  private volatile long microgridId;
  private final Clock clock;
  private final Endpoints endpoints;
  private volatile boolean closed;

  // Service ids silenced and not yet removed on the scheduler thread. Guarded by itself, together
  // with the start of an endpoint, so that an endpoint is either started before a silence (which
  // then stops it) or not started at all: never one that a silence missed.
  private final Set<Long> silenced = new HashSet<>();

  // Concurrent maps only so that the counters and close() may read them from other threads; every
  // change happens on the scheduler thread.
  private final Map<Long, RunningListenerRegistration> runningListeners = new ConcurrentHashMap<>();
  private final Map<Long, LifecycleListenerRegistration> lifecycleListeners =
      new ConcurrentHashMap<>();

  // Memory key -> what a listener was told before the gateway restarted, until a registration with
  // that key claims it, bounded (scheduler thread only).
  private final DormantMemories dormant = new DormantMemories();

  /**
   * Makes an empty registry.
   *
   * @param microgridId the microgrid whose scheduler it serves, for the logs
   * @param clock dates catch-up notifications
   * @param endpoints starts the endpoint of each registration whose properties are valid
   */
  ListenerRegistry(long microgridId, Clock clock, Endpoints endpoints) {
    this.microgridId = microgridId;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
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
    RunningListenerRegistration r = new RunningListenerRegistration(serviceId, listener, memoryKey);
    runningListeners.put(serviceId, r);
    Optional<ListenerProperties> p =
        parse(() -> ListenerProperties.ofRunningStateListener(serviceId, properties));
    p.ifPresent(valid -> activate(r, valid, runningNow));
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
    RunningListenerRegistration r = runningListeners.get(serviceId);
    if (r == null || closed) {
      return false;
    }
    Optional<ListenerProperties> p =
        parse(() -> ListenerProperties.ofRunningStateListener(serviceId, properties));
    if (p.isEmpty()) {
      r.stop();
      return false;
    }
    if (r.endpoint() == null) {
      activate(r, p.get(), runningNow);
      return true;
    }
    r.refilter(p.get(), runningNow, clock.instant());
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
    RunningListenerRegistration r = runningListeners.remove(serviceId);
    if (r != null) {
      if (remember) {
        r.memory().ifPresent(told -> dormant.keep(r.memoryKey(), told, clock.instant()));
      }
      r.stop();
    }
  }

  private void activate(
      RunningListenerRegistration r,
      ListenerProperties properties,
      Collection<RunningStateChange> runningNow) {
    synchronized (silenced) {
      if (silenced.contains(r.serviceId())) {
        return; // its service is gone; the removal is on its way
      }
      r.start(properties, endpoints.start(r.serviceId(), r.name()));
    }
    Instant now = clock.instant();
    List<RunningStateChange> known = r.memoryKey() == null ? null : dormant.claim(r.memoryKey());
    r.catchUp(known, runningNow, now);
  }

  // ---- The persisted schedule's memory of the listeners (scheduler thread) ----

  /**
   * Returns what each recognisable running-state listener was told is running: the registered
   * ones (the lowest service id where two share a key) and the memories not claimed yet, less
   * those unclaimed for 7 days, which are dropped first (semantics §9).
   *
   * @return memory key -> RUNNING snapshots
   */
  @Override
  public Map<String, List<RunningStateChange>> memories() {
    dormant.dropStale(clock.instant());
    Map<String, List<RunningStateChange>> result = registeredMemories();
    dormant.told().forEach(result::putIfAbsent);
    return result;
  }

  @Override
  public Map<String, Instant> unclaimedSince() {
    Map<String, Instant> result = new TreeMap<>(dormant.since());
    result.keySet().removeAll(registeredMemories().keySet());
    return result;
  }

  private Map<String, List<RunningStateChange>> registeredMemories() {
    Map<String, List<RunningStateChange>> result = new TreeMap<>();
    new TreeMap<>(runningListeners)
        .forEach((id, r) -> r.memory().ifPresent(told -> result.putIfAbsent(r.memoryKey(), told)));
    return result;
  }

  /**
   * A dispatch stopped while the gateway ran: the memories not claimed forget it (semantics §9),
   * and one left empty is dropped. Called by the hub on the scheduler thread.
   *
   * @param dispatchId the dispatch
   */
  void dispatchStopped(long dispatchId) {
    dormant.stopped(dispatchId);
  }

  /**
   * Replaces the memories not claimed yet with those of the persisted schedule; call before the
   * listeners register.
   *
   * @param memories memory key -> the RUNNING snapshots that listener was told
   */
  @Override
  public void remember(Map<String, List<RunningStateChange>> memories) {
    remember(memories, Map.of());
  }

  @Override
  public void remember(Map<String, List<RunningStateChange>> memories, Map<String, Instant> unclaimedSince) {
    dormant.replace(memories, unclaimedSince, clock.instant());
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
    lifecycleListeners.put(serviceId, new LifecycleListenerRegistration(serviceId, listener));
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
    LifecycleListenerRegistration r = lifecycleListeners.get(serviceId);
    if (r == null || closed) {
      return false;
    }
    Optional<ListenerProperties> p =
        parse(() -> ListenerProperties.ofLifecycleListener(serviceId, properties));
    ListenerEndpoint endpoint = r.endpoint();
    if (p.isEmpty()) {
      r.stop();
      return false;
    }
    r.properties(p.get());
    if (endpoint == null) {
      synchronized (silenced) {
        if (silenced.contains(serviceId)) {
          return false; // its service is gone; the removal is on its way
        }
        r.start(endpoints.start(serviceId, r.name()));
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
    LifecycleListenerRegistration r = lifecycleListeners.remove(serviceId);
    if (r != null) {
      r.stop();
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
      RunningListenerRegistration running = runningListeners.get(serviceId);
      if (running != null) {
        running.silence();
      }
      LifecycleListenerRegistration lifecycle = lifecycleListeners.get(serviceId);
      if (lifecycle != null) {
        lifecycle.silence();
      }
    }
  }

  private void unsilence(long serviceId) {
    synchronized (silenced) {
      silenced.remove(serviceId);
    }
  }

  // ---- For the fan-out (scheduler thread) ----

  /**
   * Returns the running-state listener registrations that a transition of this dispatch concerns
   * ({@link RunningListenerRegistration#concerns}).
   */
  List<RunningListenerRegistration> runningListenersConcernedBy(Dispatch dispatch) {
    List<RunningListenerRegistration> concerned = new ArrayList<>();
    for (RunningListenerRegistration r : runningListeners.values()) {
      if (r.concerns(dispatch)) {
        concerned.add(r);
      }
    }
    return concerned;
  }

  /**
   * Returns the lifecycle listener registrations that an event about this dispatch concerns
   * ({@link LifecycleListenerRegistration#concerns}).
   */
  List<LifecycleListenerRegistration> lifecycleListenersConcernedBy(Dispatch dispatch) {
    List<LifecycleListenerRegistration> concerned = new ArrayList<>();
    for (LifecycleListenerRegistration r : lifecycleListeners.values()) {
      if (r.concerns(dispatch)) {
        concerned.add(r);
      }
    }
    return concerned;
  }

  /** Returns the running-state listener registration of a service, if registered. */
  Optional<RunningListenerRegistration> runningStateListener(long serviceId) {
    return Optional.ofNullable(runningListeners.get(serviceId));
  }

  /** Returns the lifecycle listener registration of a service, if registered. */
  Optional<LifecycleListenerRegistration> lifecycleListener(long serviceId) {
    return Optional.ofNullable(lifecycleListeners.get(serviceId));
  }

  // ---- Health (any thread) ----

  /**
   * Returns the delivery counts of a running-state listener.
   *
   * @param serviceId its {@code service.id}
   * @return the counts; empty when it is not registered or its properties are invalid
   */
  public Optional<ListenerCounters> runningStateListenerCounters(long serviceId) {
    RunningListenerRegistration r = runningListeners.get(serviceId);
    return r == null ? Optional.empty() : r.counters();
  }

  /**
   * Returns the delivery counts of a lifecycle listener.
   *
   * @param serviceId its {@code service.id}
   * @return the counts; empty when it is not registered or its properties are invalid
   */
  public Optional<ListenerCounters> lifecycleListenerCounters(long serviceId) {
    LifecycleListenerRegistration r = lifecycleListeners.get(serviceId);
    return r == null ? Optional.empty() : r.counters();
  }

  /**
   * Returns the service ids of the listeners denied for timing out too often, for health checks.
   *
   * @return the ids, running-state and lifecycle listeners alike, in ascending order
   */
  public List<Long> deniedListeners() {
    List<Long> denied = new ArrayList<>();
    runningListeners.forEach(
        (id, r) -> {
          if (r.counters().map(ListenerCounters::isDenied).orElse(false)) {
            denied.add(id);
          }
        });
    lifecycleListeners.forEach(
        (id, r) -> {
          if (r.counters().map(ListenerCounters::isDenied).orElse(false)) {
            denied.add(id);
          }
        });
    Collections.sort(denied);
    return denied;
  }

  /**
   * Forgets every registration and refuses new ones, for the hub's close: any thread.
   *
   * @return the endpoints of the registrations, for the hub to stop and wait for
   */
  /**
   * Serves another microgrid: the logs name it from now on.
   *
   * @param newMicrogridId the microgrid
   */
  void moveTo(long newMicrogridId) {
    microgridId = newMicrogridId;
  }

  /**
   * Returns the endpoints started, for the hub to rename their threads.
   *
   * @return the endpoints of the running-state and lifecycle listeners registered now
   */
  Map<Long, ListenerEndpoint> endpoints() {
    Map<Long, ListenerEndpoint> started = new TreeMap<>();
    runningListeners.forEach(
        (id, r) -> {
          if (r.endpoint() != null) {
            started.put(id, r.endpoint());
          }
        });
    lifecycleListeners.forEach(
        (id, r) -> {
          if (r.endpoint() != null) {
            started.put(id, r.endpoint());
          }
        });
    return started;
  }

  List<ListenerEndpoint> close() {
    closed = true;
    List<ListenerEndpoint> started = new ArrayList<>();
    for (RunningListenerRegistration r : runningListeners.values()) {
      ListenerEndpoint e = r.endpoint();
      if (e != null) {
        started.add(e);
      }
    }
    for (LifecycleListenerRegistration r : lifecycleListeners.values()) {
      ListenerEndpoint e = r.endpoint();
      if (e != null) {
        started.add(e);
      }
    }
    runningListeners.clear();
    lifecycleListeners.clear();
    return started;
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
