package io.microgrid.dispatch.scheduler.internal;

import io.microgrid.dispatch.api.DeliveryReportListener;
import io.microgrid.dispatch.api.DispatchLifecycleListener;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub;
import java.util.HashMap;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * Tracks the whiteboard services (running-state, lifecycle and delivery-report listeners) and
 * hands each arrival, property change and departure to the delivery hub on the scheduler thread,
 * so that a new listener's catch-up and the notifications after it come in one order.
 */
final class WhiteboardTrackers {
  private final ServiceTracker<RunningStateListener, RunningStateListener> running;
  private final ServiceTracker<DispatchLifecycleListener, DispatchLifecycleListener> lifecycle;
  private final ServiceTracker<DeliveryReportListener, DeliveryReportListener> reports;

  WhiteboardTrackers(BundleContext context, DispatchScheduler scheduler, DeliveryHub hub) {
    running =
        new ServiceTracker<>(
            context,
            RunningStateListener.class,
            new Forwarder<>(context) {
              @Override
              void added(long id, Map<String, Object> props, RunningStateListener l) {
                scheduler.execute(() -> hub.addRunningStateListener(id, props, l));
              }

              @Override
              void modified(long id, Map<String, Object> props) {
                scheduler.execute(() -> hub.modifiedRunningStateListener(id, props));
              }

              @Override
              void removed(long id) {
                // Directly, so that after this returns the listener is never called again; and
                // once more in the queue, behind an arrival of the same service not yet handled.
                hub.removeRunningStateListener(id);
                scheduler.execute(() -> hub.removeRunningStateListener(id));
              }
            });
    lifecycle =
        new ServiceTracker<>(
            context,
            DispatchLifecycleListener.class,
            new Forwarder<>(context) {
              @Override
              void added(long id, Map<String, Object> props, DispatchLifecycleListener l) {
                scheduler.execute(() -> hub.addLifecycleListener(id, props, l));
              }

              @Override
              void modified(long id, Map<String, Object> props) {
                scheduler.execute(() -> hub.modifiedLifecycleListener(id, props));
              }

              @Override
              void removed(long id) {
                hub.removeLifecycleListener(id);
                scheduler.execute(() -> hub.removeLifecycleListener(id));
              }
            });
    reports =
        new ServiceTracker<>(
            context,
            DeliveryReportListener.class,
            new Forwarder<>(context) {
              @Override
              void added(long id, Map<String, Object> props, DeliveryReportListener l) {
                hub.addDeliveryReportListener(id, l);
              }

              @Override
              void modified(long id, Map<String, Object> props) {}

              @Override
              void removed(long id) {
                hub.removeDeliveryReportListener(id);
              }
            });
  }

  void open() {
    reports.open();
    lifecycle.open();
    running.open();
  }

  void close() {
    running.close();
    lifecycle.close();
    reports.close();
  }

  /** Turns tracker callbacks into calls with the service id and a copy of the properties. */
  private abstract static class Forwarder<S> implements ServiceTrackerCustomizer<S, S> {
    private final BundleContext context;

    Forwarder(BundleContext context) {
      this.context = context;
    }

    abstract void added(long id, Map<String, Object> props, S service);

    abstract void modified(long id, Map<String, Object> props);

    abstract void removed(long id);

    @Override
    public S addingService(ServiceReference<S> ref) {
      S service = context.getService(ref);
      if (service != null) {
        added(id(ref), properties(ref), service);
      }
      return service;
    }

    @Override
    public void modifiedService(ServiceReference<S> ref, S service) {
      modified(id(ref), properties(ref));
    }

    @Override
    public void removedService(ServiceReference<S> ref, S service) {
      removed(id(ref));
      context.ungetService(ref);
    }

    private static long id(ServiceReference<?> ref) {
      return (Long) ref.getProperty(Constants.SERVICE_ID);
    }

    private static Map<String, Object> properties(ServiceReference<?> ref) {
      Map<String, Object> props = new HashMap<>();
      for (String key : ref.getPropertyKeys()) {
        props.put(key, ref.getProperty(key));
      }
      return props;
    }
  }
}
