package io.microgrid.dispatch.scheduler.internal.delivery;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Real listener endpoints for the tests of a registry or a registration without a hub: one
 * watchdog, no report listener, the default settings. Closing it stops every endpoint it started.
 */
final class TestEndpoints implements ListenerRegistry.Endpoints, AutoCloseable {
  private final String threadPrefix;
  private final Watchdog watchdog;
  private final DeliveryReports reports;
  private final List<ListenerEndpoint> started = new CopyOnWriteArrayList<>();

  TestEndpoints(String threadPrefix) {
    this.threadPrefix = threadPrefix;
    this.watchdog = new Watchdog(threadPrefix + "listener-watchdog");
    this.reports = new DeliveryReports(threadPrefix + "delivery-reports");
  }

  @Override
  public ListenerEndpoint start(long serviceId, String name) {
    ListenerEndpoint e =
        ListenerEndpoint.start(
            serviceId,
            name,
            threadPrefix + "listener-" + serviceId,
            () -> ListenerSettings.DEFAULT,
            watchdog,
            reports,
            Clock.systemUTC(),
            System::nanoTime);
    started.add(e);
    return e;
  }

  @Override
  public void close() {
    started.forEach(ListenerEndpoint::stop);
    long deadline = System.nanoTime() + Duration.ofSeconds(Fixtures.WAIT_SECONDS).toNanos();
    started.forEach(e -> e.awaitStopped(deadline));
    watchdog.close();
    reports.close();
  }
}
