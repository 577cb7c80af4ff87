package io.microgrid.dispatch.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.DispatchClient;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Updating the client bundle (a new version deployed on a running gateway) must not keep the old
 * one in memory: whatever the old revision left behind in shared places (a JDK logger's filter, a
 * thread, a cache of an imported library) holds its class loader and with it every class it
 * loaded, and a gateway that is updated now and then would run out of metaspace.
 */
class ClientBundleUpdateTest {
  private static final String PID = "io.microgrid.dispatch.client";
  private static final String CLIENT_BSN = "io.microgrid.dispatch.client";
  private static final String KEY = "itest-key";
  private static final long MICROGRID = 12;
  private static final int UPDATES = 20;
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration GC_TIMEOUT = Duration.ofSeconds(30);

  @InjectBundleContext BundleContext context;
  @InjectService ConfigurationAdmin configAdmin;

  private DispatchTestServer server;
  private Configuration configuration;

  @BeforeEach
  void start() throws Exception {
    server = DispatchTestServer.start(KEY);
    // Location "?" so that the configuration binds to the client bundle, whichever revision.
    configuration = configAdmin.getConfiguration(PID, "?");
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("url", "grpc://127.0.0.1:" + server.port() + "?ssl=false");
    props.put(".key", KEY);
    props.put("call.timeout.seconds", 5L);
    configuration.update((Dictionary<String, Object>) props);
  }

  @AfterEach
  void stop() throws Exception {
    configuration.delete();
    Services.awaitNone(context, DispatchClient.class, TIMEOUT);
    server.close();
  }

  @Test
  void updatingTheClientBundleLeavesNoOldClassLoaderBehind() throws Exception {
    Bundle client =
        Arrays.stream(context.getBundles())
            .filter(b -> CLIENT_BSN.equals(b.getSymbolicName()))
            .findFirst()
            .orElseThrow();
    server.store(MICROGRID); // the server is up before the first revision calls it
    List<WeakReference<ClassLoader>> old = new ArrayList<>();
    for (int i = 0; i < UPDATES; i++) {
      use(client, i);
      old.add(new WeakReference<>(client.adapt(BundleWiring.class).getClassLoader()));
      client.update();
    }
    use(client, UPDATES);
    refresh(client);

    long started = System.nanoTime();
    long deadline = started + GC_TIMEOUT.toNanos();
    int cleared = cleared(old);
    List<byte[]> pressure = new ArrayList<>();
    while (cleared < old.size() && System.nanoTime() < deadline) {
      // Some allocation between collections, so that soft and weak caches are worked through.
      pressure.add(new byte[1 << 20]);
      if (pressure.size() > 16) {
        pressure.clear();
      }
      System.gc();
      cleared = cleared(old);
    }
    long tookMs = (System.nanoTime() - started) / 1_000_000;
    System.out.println(
        UPDATES + " client bundle updates: " + cleared + " of " + old.size()
            + " old class loaders collected after GC in " + tookMs + " ms");
    assertEquals(
        old.size(), cleared, "old class loaders of the client bundle still reachable" + suspects(old));
  }

  /**
   * Waits for the revision's DispatchClient and makes it do what a gateway does: list, create,
   * and keep a stream open while an event arrives, so that gRPC's channel, threads and parsers run.
   */
  private void use(Bundle client, int round) throws Exception {
    ServiceTracker<DispatchClient, DispatchClient> tracker =
        new ServiceTracker<>(context, DispatchClient.class, null);
    tracker.open();
    try {
      DispatchClient service = tracker.waitForService(TIMEOUT.toMillis());
      assertNotNull(service, "no DispatchClient within " + TIMEOUT + " after update " + round);
      ServiceReference<DispatchClient> ref = tracker.getServiceReference();
      assertEquals(client.getBundleId(), ref.getBundle().getBundleId());
      CountDownLatch created = new CountDownLatch(1);
      try (DispatchSubscription s = service.stream(MICROGRID, event -> created.countDown())) {
        server.awaitOpenStreams(MICROGRID, 1, TIMEOUT);
        service.create(
            MICROGRID,
            NewDispatch.builder("UPDATE" + round, TargetComponents.ids(1))
                .startTime(Instant.now().plus(Duration.ofHours(1)))
                .duration(Duration.ofMinutes(5))
                .build());
        assertTrue(created.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "no event in round " + round);
      }
      assertEquals(round + 1, service.list(MICROGRID, DispatchQuery.ALL).count());
      server.awaitOpenStreams(MICROGRID, 0, TIMEOUT);
    } finally {
      tracker.close();
    }
  }

  private void refresh(Bundle client) throws InterruptedException {
    CountDownLatch refreshed = new CountDownLatch(1);
    context
        .getBundle(0)
        .adapt(FrameworkWiring.class)
        .refreshBundles(
            List.of(client),
            event -> {
              if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                refreshed.countDown();
              }
            });
    assertTrue(refreshed.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "no refresh");
  }

  /** The usual holders of an old class loader that can be seen from here, for the failure message. */
  private static String suspects(List<WeakReference<ClassLoader>> refs) {
    List<ClassLoader> loaders = refs.stream().map(WeakReference::get).filter(l -> l != null).toList();
    StringBuilder found = new StringBuilder();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (loaders.contains(t.getContextClassLoader()) || loaders.contains(t.getClass().getClassLoader())) {
        found.append("\n  thread ").append(t.getName());
      }
    }
    java.util.logging.Filter filter =
        java.util.logging.Logger.getLogger("io.grpc.okhttp.OkHttpClientTransport").getFilter();
    if (filter != null) {
      found.append("\n  frame logger filter ").append(filter.getClass().getName());
    }
    return found.toString();
  }

  private static int cleared(List<WeakReference<ClassLoader>> refs) {
    return (int) refs.stream().filter(r -> r.get() == null).count();
  }
}
