package io.microgrid.dispatch.scheduler.internal;

import io.microgrid.dispatch.api.DeliveryReportListener;
import io.microgrid.dispatch.api.DispatchLifecycleListener;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub;
import io.microgrid.dispatch.scheduler.internal.delivery.ListenerRegistry;
import io.microgrid.dispatch.scheduler.internal.runner.DispatchScheduler;
import java.util.Map;

/**
 * Hands the whiteboard's arrivals, property changes and departures of listener services to the
 * delivery hub's listener registry, and the delivery report listeners to the hub. Registry changes
 * run on the scheduler thread, so that a new listener's catch-up and the notifications after it
 * come in one order; a departure also silences the listener at once, on the thread that reports
 * it, so that no notification reaches a listener whose service is gone while its removal waits in
 * the scheduler's queue.
 */
final class ListenerRegistrations {
  private final DispatchScheduler scheduler;
  private final DeliveryHub hub;
  private final ListenerRegistry listeners;

  ListenerRegistrations(DispatchScheduler scheduler, DeliveryHub hub) {
    this.scheduler = scheduler;
    this.hub = hub;
    this.listeners = hub.listeners();
  }

  void runningAdded(long id, Map<String, Object> props, RunningStateListener l, String memoryKey) {
    scheduler.execute(() -> listeners.addRunningStateListener(id, props, l, memoryKey, scheduler.running()));
  }

  void runningModified(long id, Map<String, Object> props) {
    scheduler.execute(() -> listeners.modifiedRunningStateListener(id, props, scheduler.running()));
  }

  /**
   * A running-state listener's service went away.
   *
   * @param id its service id
   * @param remember whether the scheduler or the framework is going down: then what the listener
   *     was told is kept for the persisted schedule, so that it resumes from there after the
   *     restart. That reads the scheduler thread's state, so it is done there and waited for; the
   *     listener is not called again once that returns.
   */
  void runningRemoved(long id, boolean remember) {
    if (remember) {
      try {
        scheduler.query(
            () -> {
              listeners.removeRunningStateListener(id, true);
              return null;
            });
        return;
      } catch (RuntimeException schedulerGone) {
        // Nothing to remember into any more: just stop calling it.
      }
    }
    listeners.silence(id);
    scheduler.execute(() -> listeners.removeRunningStateListener(id));
  }

  void lifecycleAdded(long id, Map<String, Object> props, DispatchLifecycleListener l) {
    scheduler.execute(() -> listeners.addLifecycleListener(id, props, l));
  }

  void lifecycleModified(long id, Map<String, Object> props) {
    scheduler.execute(() -> listeners.modifiedLifecycleListener(id, props));
  }

  /** A lifecycle listener's service went away: silenced now, removed on the scheduler thread. */
  void lifecycleRemoved(long id) {
    listeners.silence(id);
    scheduler.execute(() -> listeners.removeLifecycleListener(id));
  }

  // Report listeners are kept in a concurrent map of their own, apart from the scheduler's state,
  // so they come and go directly.
  void reportsAdded(long id, DeliveryReportListener l) {
    hub.addDeliveryReportListener(id, l);
  }

  void reportsRemoved(long id) {
    hub.removeDeliveryReportListener(id);
  }
}
