package io.microgrid.dispatch.itest;

import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;

/** Waits on service registrations of the framework under test. */
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
}
