package io.microgrid.dispatch.scheduler.internal;

import io.microgrid.dispatch.scheduler.internal.conditions.DispatchConditions;
import java.util.Hashtable;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.condition.Condition;

/**
 * Registers the scheduler's conditions as {@link Condition} services. The only class that needs
 * the Condition package at run time ({@code DispatchConditions} takes just its constant, which the
 * compiler copies), whose import is optional: {@link #available()} is asked first, so this class is
 * loaded only where the framework provides the package.
 */
final class ConditionServices implements DispatchConditions.Registrar {
  private static final String CONDITION_CLASS = "org.osgi.service.condition.Condition";

  private final BundleContext context;

  ConditionServices(BundleContext context) {
    this.context = context;
  }

  /** Whether this bundle is wired to the Condition package (an R8 framework provides it). */
  static boolean available() {
    try {
      Class.forName(CONDITION_CLASS, false, SchedulerComponent.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @Override
  public Runnable register(Map<String, Object> properties) {
    ServiceRegistration<Condition> registration =
        context.registerService(Condition.class, Condition.INSTANCE, new Hashtable<>(properties));
    return () -> {
      try {
        registration.unregister();
      } catch (IllegalStateException bundleStopped) {
        // The framework already unregistered it with the bundle's other services.
      }
    };
  }
}
