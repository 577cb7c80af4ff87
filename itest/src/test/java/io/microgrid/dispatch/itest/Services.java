package io.microgrid.dispatch.itest;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** Waits on service registrations and components of the framework under test. */
final class Services {
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
   * Waits until SCR reports a configuration of the component with configuration PID {@code pid}
   * as FAILED_ACTIVATION, and returns its failure text; fails the test after the timeout. SCR
   * tells no listener of a failed activation, so its DTOs are polled.
   */
  static String awaitFailedActivation(ServiceComponentRuntime scr, String pid, Duration timeout) {
    ComponentDescriptionDTO description =
        scr.getComponentDescriptionDTOs().stream()
            .filter(d -> d.configurationPid.length > 0 && pid.equals(d.configurationPid[0]))
            .findFirst()
            .orElseThrow();
    long deadline = System.nanoTime() + timeout.toNanos();
    ComponentConfigurationDTO failed = null;
    while (failed == null && System.nanoTime() - deadline < 0) {
      failed =
          scr.getComponentConfigurationDTOs(description).stream()
              .filter(c -> c.state == ComponentConfigurationDTO.FAILED_ACTIVATION)
              .findFirst()
              .orElse(null);
      if (failed == null) {
        Thread.onSpinWait();
      }
    }
    assertNotNull(failed, "the component of " + pid + " did not fail to activate");
    return failed.failure;
  }
}
