package io.microgrid.dispatch.itest;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** Waits on service registrations and components of the framework under test. */
final class Services {
  /** How long a wait for a failed activation trusts SCR's change events alone. */
  private static final Duration LOOK_AGAIN = Duration.ofMillis(100);

  private Services() {}

  /**
   * Waits until no service of a type is registered, and fails the test when one still is after
   * the timeout.
   */
  static void awaitNone(BundleContext context, Class<?> type, Duration timeout) throws Exception {
    CountDownLatch gone = new CountDownLatch(1);
    ServiceListener listener =
        e -> {
          if (e.getType() == ServiceEvent.UNREGISTERING) {
            gone.countDown();
          }
        };
    // Listen first, then look: an unregistration between the two is not missed.
    context.addServiceListener(listener, "(objectClass=" + type.getName() + ")");
    try {
      if (context.getServiceReference(type) != null) {
        gone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      context.removeServiceListener(listener);
    }
    assertNull(context.getServiceReference(type), type.getSimpleName() + " still registered");
  }

  /**
   * Waits until a service of a type is registered ({@code present}) or none is, and fails the test
   * when that is not so after the timeout. Each registration or unregistration of the type is a
   * moment to look again.
   */
  static void await(BundleContext context, Class<?> type, boolean present, Duration timeout)
      throws Exception {
    Semaphore changed = new Semaphore(0);
    ServiceListener listener = e -> changed.release();
    // Listen first, then look: a change between the two is not missed.
    context.addServiceListener(listener, "(objectClass=" + type.getName() + ")");
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      while ((context.getServiceReference(type) != null) != present) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail(type.getSimpleName() + (present ? " not registered" : " still registered") + " after " + timeout);
        }
        changed.tryAcquire(left, TimeUnit.NANOSECONDS);
      }
    } finally {
      context.removeServiceListener(listener);
    }
  }

  /**
   * Waits until SCR reports a configuration of the component with configuration PID {@code pid}
   * as FAILED_ACTIVATION, and returns its failure text; fails the test after the timeout.
   *
   * <p>SCR tells no listener of a failed activation itself, but it announces every state change
   * of a component with a new {@code service.changecount} on its ServiceComponentRuntime service
   * (a MODIFIED event), batched over {@code ds.service.changecount.timeout}, which itest.bndrun
   * shortens. Each event is a moment to look at the DTOs again; a look every {@link #LOOK_AGAIN}
   * besides is the safety net should an SCR batch for longer.
   */
  static String awaitFailedActivation(ServiceComponentRuntime scr, String pid, Duration timeout)
      throws Exception {
    ComponentDescriptionDTO description =
        scr.getComponentDescriptionDTOs().stream()
            .filter(d -> d.configurationPid.length > 0 && pid.equals(d.configurationPid[0]))
            .findFirst()
            .orElseThrow();
    BundleContext context = FrameworkUtil.getBundle(Services.class).getBundleContext();
    Semaphore changed = new Semaphore(0);
    ServiceListener listener =
        e -> {
          if (e.getType() == ServiceEvent.MODIFIED) {
            changed.release();
          }
        };
    // Listen first, then look: a change between the two is not missed.
    context.addServiceListener(
        listener, "(objectClass=" + ServiceComponentRuntime.class.getName() + ")");
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (true) {
        ComponentConfigurationDTO failed =
            scr.getComponentConfigurationDTOs(description).stream()
                .filter(c -> c.state == ComponentConfigurationDTO.FAILED_ACTIVATION)
                .findFirst()
                .orElse(null);
        if (failed != null) {
          return failed.failure;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return fail("the component of " + pid + " did not fail to activate within " + timeout);
        }
        changed.tryAcquire(Math.min(left, LOOK_AGAIN.toNanos()), TimeUnit.NANOSECONDS);
      }
    } finally {
      context.removeServiceListener(listener);
    }
  }
}
