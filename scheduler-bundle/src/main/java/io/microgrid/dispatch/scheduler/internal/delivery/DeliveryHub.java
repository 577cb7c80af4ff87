package io.microgrid.dispatch.scheduler.internal.delivery;

import io.microgrid.dispatch.api.DeliveryReportListener;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.scheduler.internal.core.Notifications;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Delivers the scheduler's notifications of one microgrid to the whiteboard listeners (semantics §7
 * and §8): the fan-out. For each notification it asks its {@link ListenerRegistry} which
 * registrations it concerns and hands it to each, which merges it and queues it on its own {@link
 * ListenerEndpoint} (queue and thread). It owns what the endpoints share: the settings, the
 * watchdog and the delivery reports to the {@link DeliveryReportListener}s.
 *
 * <p>Threading: the scheduler core calls {@link Notifications} on its one scheduler thread, and
 * only there, as it calls the registry's changes (see {@link ListenerRegistry}). Neither blocks:
 * they filter and enqueue. {@link #setSettings}, the delivery report listeners and {@link
 * #close()} may be called from any thread.
 *
 * <p>Threads, all daemons, named after the prefix given to the constructor ({@value
 * #DEFAULT_THREAD_PREFIX} by default): {@code <prefix>listener-<serviceId>} per registration,
 * {@code <prefix>listener-watchdog} and {@code <prefix>delivery-reports}.
 */
public final class DeliveryHub implements Notifications, AutoCloseable {
  /** The thread name prefix that gives the names of the style guide. */
  public static final String DEFAULT_THREAD_PREFIX = "dispatch-";

  private static final System.Logger LOG = BundleLoggers.get(DeliveryHub.class);

  /** How long {@link #close()} waits, in all, for queued reports and calls in flight. */
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

  private final Clock clock;
  private final LongSupplier ticker;
  // Changes when the scheduler moves to another microgrid; read when an endpoint starts.
  private volatile String threadPrefix;
  private final Watchdog watchdog;
  private final DeliveryReports reports;
  private final ListenerRegistry listeners;
  private volatile ListenerSettings settings;
  private volatile boolean closed;

  /**
   * Makes a hub, with an empty registry, and starts its watchdog and report threads.
   *
   * @param microgridId the microgrid whose scheduler this hub serves, for the logs
   * @param settings the listener timeout and deny-after
   * @param clock measures latencies, and dates reports and catch-up notifications
   * @param threadPrefix the prefix of every thread name, {@link #DEFAULT_THREAD_PREFIX} normally
   */
  public DeliveryHub(
      long microgridId,
      ListenerSettings settings,
      Clock clock,
      String threadPrefix) {
    this(microgridId, settings, clock, System::nanoTime, threadPrefix);
  }

  /**
   * As {@link #DeliveryHub(long, ListenerSettings, Clock, String)}, with the monotonic ticker that
   * measures how long listener calls take (a test's, to make a late return exact).
   *
   * @param ticker monotonic nanoseconds, {@link System#nanoTime()} normally
   */
  public DeliveryHub(
      long microgridId,
      ListenerSettings settings,
      Clock clock,
      LongSupplier ticker,
      String threadPrefix) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.threadPrefix = Objects.requireNonNull(threadPrefix, "threadPrefix");
    this.watchdog = new Watchdog(threadPrefix + "listener-watchdog");
    this.reports = new DeliveryReports(threadPrefix + "delivery-reports");
    this.listeners = new ListenerRegistry(microgridId, clock, this::startEndpoint);
  }

  /**
   * Returns the registry of the listeners this hub delivers to; also the {@link ListenerMemories}
   * that the runner keeps in the persisted schedule.
   *
   * @return the registry
   */
  public ListenerRegistry listeners() {
    return listeners;
  }

  /**
   * Serves another microgrid: its logs name the new one, and its threads, those of the endpoints
   * started already too, take names with the new prefix (semantics §9, live microgrid change).
   *
   * @param microgridId the microgrid
   * @param threadPrefix the prefix of every thread name, as given to the constructor
   */
  public void changeMicrogrid(long microgridId, String threadPrefix) {
    this.threadPrefix = Objects.requireNonNull(threadPrefix, "threadPrefix");
    listeners.moveTo(microgridId);
    watchdog.rename(threadPrefix + "listener-watchdog");
    reports.rename(threadPrefix + "delivery-reports");
    listeners.endpoints().forEach((serviceId, e) -> e.rename(threadPrefix + "listener-" + serviceId));
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
    for (RunningListenerRegistration r : listeners.runningListenersConcernedBy(change.dispatch())) {
      r.runningStateChanged(change);
    }
    if (change.state() == RunningState.STOPPED) {
      listeners.dispatchStopped(change.dispatch().id());
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
    for (LifecycleListenerRegistration r :
        listeners.lifecycleListenersConcernedBy(event.dispatch())) {
      r.dispatchEvent(event, kind, due);
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

  /**
   * Stops every thread of the hub: nothing queued is delivered any more. Waits at most two seconds
   * in all for calls in flight to return and for queued reports to be handed out, then interrupts
   * what still runs. Later calls on the hub and its registry do nothing.
   */
  @Override
  public void close() {
    close(false);
  }

  /**
   * As {@link #close()}, but what is queued already is delivered first, within the same two
   * seconds: the STOPPED told when a scheduler's configuration is deleted must reach the listeners
   * before they are let go.
   */
  public void closeAfterQueued() {
    close(true);
  }

  private void close(boolean deliverQueued) {
    if (closed) {
      return;
    }
    closed = true;
    List<ListenerEndpoint> endpoints = listeners.close();
    endpoints.forEach(deliverQueued ? ListenerEndpoint::finish : ListenerEndpoint::stop);
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    for (ListenerEndpoint e : endpoints) {
      e.awaitStopped(deadline);
    }
    watchdog.close();
    reports.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
  }

  private ListenerEndpoint startEndpoint(long serviceId, String name) {
    return ListenerEndpoint.start(
        serviceId,
        name,
        threadPrefix + "listener-" + serviceId,
        () -> settings,
        watchdog,
        reports,
        clock,
        ticker);
  }
}
