package io.microgrid.dispatch.scheduler.internal;

import io.microgrid.dispatch.api.DeliveryReportListener;
import io.microgrid.dispatch.api.DispatchLifecycleListener;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.scheduler.internal.runner.DispatchScheduler;
import java.util.HashMap;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

/**
 * Tracks the whiteboard services (running-state, lifecycle and delivery-report listeners) and
 * hands each arrival, property change and departure to {@link ListenerRegistrations}, with the
 * service id, a copy of the properties and, for a running-state listener, what recognises it
 * across restarts.
 */
final class WhiteboardTrackers {
  private final ServiceTracker<RunningStateListener, RunningStateListener> running;
  private final ServiceTracker<DispatchLifecycleListener, DispatchLifecycleListener> lifecycle;
  private final ServiceTracker<DeliveryReportListener, DeliveryReportListener> reports;

  private volatile boolean closing;

  WhiteboardTrackers(BundleContext context, ListenerRegistrations registrations) {
    running =
        new ServiceTracker<>(
            context,
            RunningStateListener.class,
            new Forwarder<>(context) {
              @Override
              void added(long id, Map<String, Object> props, RunningStateListener l) {
                registrations.runningAdded(id, props, l, memoryKey(props));
              }

              @Override
              void modified(long id, Map<String, Object> props) {
                registrations.runningModified(id, props);
              }

              @Override
              void removed(long id) {
                registrations.runningRemoved(id, closing || stopping(context));
              }
            });
    lifecycle =
        new ServiceTracker<>(
            context,
            DispatchLifecycleListener.class,
            new Forwarder<>(context) {
              @Override
              void added(long id, Map<String, Object> props, DispatchLifecycleListener l) {
                registrations.lifecycleAdded(id, props, l);
              }

              @Override
              void modified(long id, Map<String, Object> props) {
                registrations.lifecycleModified(id, props);
              }

              @Override
              void removed(long id) {
                registrations.lifecycleRemoved(id);
              }
            });
    reports =
        new ServiceTracker<>(
            context,
            DeliveryReportListener.class,
            new Forwarder<>(context) {
              @Override
              void added(long id, Map<String, Object> props, DeliveryReportListener l) {
                registrations.reportsAdded(id, l);
              }

              @Override
              void modified(long id, Map<String, Object> props) {}

              @Override
              void removed(long id) {
                registrations.reportsRemoved(id);
              }
            });
  }

  void open() {
    reports.open();
    lifecycle.open();
    running.open();
  }

  void close() {
    closing = true;
    running.close();
    lifecycle.close();
    reports.close();
  }

  /**
   * What recognises a running-state listener across restarts, for the persisted schedule's memory
   * of what it was told. Service ids change at every restart, so: its {@code service.pid} when it
   * has one (stable by definition, and DS components have one); otherwise the registering bundle,
   * the interfaces and the properties that decide what it hears ({@code dispatch.type}, {@code
   * dispatch.merge}, {@code dispatch.microgrid.id}). Two registrations of one bundle that agree on
   * all of these are told the same things, so sharing a memory is harmless.
   */
  static String memoryKey(Map<String, Object> props) {
    Object pid = props.get(Constants.SERVICE_PID);
    if (pid != null) {
      return "pid:" + text(pid);
    }
    return "bundle:"
        + text(props.get(BUNDLE_KEY))
        + " objectClass="
        + text(props.get(Constants.OBJECTCLASS))
        + " type="
        + text(props.get(RunningStateListener.TYPE))
        + " merge="
        + text(props.get(RunningStateListener.MERGE))
        + " microgrid="
        + text(props.get(RunningStateListener.MICROGRID_ID));
  }

  /** A property value as text; arrays and collections sorted, so that order does not matter. */
  private static String text(Object value) {
    if (value == null) {
      return "";
    }
    java.util.List<String> parts = new java.util.ArrayList<>();
    if (value.getClass().isArray()) {
      for (int i = 0; i < java.lang.reflect.Array.getLength(value); i++) {
        parts.add(String.valueOf(java.lang.reflect.Array.get(value, i)));
      }
    } else if (value instanceof java.util.Collection<?> c) {
      c.forEach(v -> parts.add(String.valueOf(v)));
    } else {
      return String.valueOf(value);
    }
    java.util.Collections.sort(parts);
    return String.join(",", parts);
  }

  private static boolean stopping(BundleContext context) {
    try {
      return context.getBundle(0).getState() == org.osgi.framework.Bundle.STOPPING
          || context.getBundle().getState() == org.osgi.framework.Bundle.STOPPING;
    } catch (IllegalStateException e) {
      return true; // the context is no longer valid: this bundle is going down
    }
  }

  /** The registering bundle's symbolic name, added to the copy of the properties (never a real property). */
  private static final String BUNDLE_KEY = ".dispatch.registering.bundle";

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
      if (ref.getBundle() != null) {
        props.put(BUNDLE_KEY, ref.getBundle().getSymbolicName());
      }
      return props;
    }
  }
}
