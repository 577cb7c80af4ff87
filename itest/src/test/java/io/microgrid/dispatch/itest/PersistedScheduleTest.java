package io.microgrid.dispatch.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchClient;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchLifecycleListener;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import io.microgrid.dispatch.itest.RecordingListener.Call;
import java.io.File;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The persisted schedule in a real Felix: the scheduler bundle is stopped, the server goes away,
 * and after the bundle starts again the dispatch it knew still runs on time, from the file in the
 * bundle's data area alone.
 */
class PersistedScheduleTest {
  private static final String CLIENT_PID = "io.microgrid.dispatch.client";
  private static final String SCHEDULER_PID = "io.microgrid.dispatch.scheduler";
  private static final String SCHEDULER_BSN = "io.microgrid.dispatch.scheduler";
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final long MICROGRID = 501;
  private static final String TYPE = "ITEST_PERSISTED";

  @InjectBundleContext BundleContext context;
  @InjectService ConfigurationAdmin configAdmin;

  private final List<Configuration> configurations = new ArrayList<>();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private DispatchTestServer server;
  private ServiceTracker<DispatchClient, DispatchClient> clients;

  @AfterEach
  void removeEverything() throws Exception {
    Bundle scheduler = schedulerBundle();
    if (scheduler.getState() != Bundle.ACTIVE) {
      scheduler.start();
    }
    for (ServiceRegistration<?> r : registrations) {
      r.unregister();
    }
    for (Configuration c : configurations) {
      c.delete();
    }
    Services.awaitNone(context, DispatchClient.class, TIMEOUT);
    if (clients != null) {
      clients.close();
    }
    if (server != null) {
      server.close();
    }
  }

  @Test
  void aRestartedSchedulerRunsADispatchFromItsPersistedCopyWithTheServerGone() throws Exception {
    // A client of an earlier test may still be going away; this test's client is the next one.
    Services.awaitNone(context, DispatchClient.class, TIMEOUT);
    server = DispatchTestServer.start();
    // Held open for the whole test: the client component lives while someone uses it.
    clients = new ServiceTracker<>(context, DispatchClient.class, null);
    clients.open();
    Configuration clientConfiguration = configAdmin.getConfiguration(CLIENT_PID, "?");
    configurations.add(clientConfiguration);
    Hashtable<String, Object> clientProps = new Hashtable<>();
    clientProps.put("url", "grpc://127.0.0.1:" + server.port() + "?ssl=false");
    clientProps.put(".key", "persisted-test-key"); // the client requires one; this server takes any
    clientConfiguration.update(clientProps);
    DispatchClient client = clients.waitForService(TIMEOUT.toMillis());
    assertNotNull(client, "no DispatchClient service within " + TIMEOUT);

    Configuration schedulerConfiguration = configAdmin.getFactoryConfiguration(SCHEDULER_PID, "persisted", "?");
    configurations.add(schedulerConfiguration);
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("microgrid.id", MICROGRID);
    schedulerConfiguration.update(props);
    server.awaitOpenStreams(MICROGRID, 1, TIMEOUT);

    BlockingQueue<DispatchEvent> events = new LinkedBlockingQueue<>();
    Hashtable<String, Object> lifecycleProps = new Hashtable<>();
    lifecycleProps.put(RunningStateListener.TYPE, TYPE);
    registrations.add(context.registerService(DispatchLifecycleListener.class, events::add, lifecycleProps));
    RecordingListener device = new RecordingListener("the device's listener");
    Hashtable<String, Object> deviceProps = new Hashtable<>();
    deviceProps.put(RunningStateListener.TYPE, TYPE);
    deviceProps.put(Constants.SERVICE_PID, "itest.persisted.device");
    registrations.add(context.registerService(RunningStateListener.class, device, deviceProps));

    // Far enough ahead for the stop, the server's end and the start to happen before it runs.
    Dispatch dispatch =
        client.create(
            MICROGRID,
            NewDispatch.builder(TYPE, TargetComponents.ids(1))
                .startTime(Instant.now().plus(Duration.ofSeconds(6)))
                .duration(Duration.ofSeconds(1))
                .build());
    DispatchEvent created = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(created, "the scheduler never heard of the dispatch");
    assertEquals(dispatch.id(), created.dispatch().id());

    Bundle scheduler = schedulerBundle();
    scheduler.stop(); // its schedule is saved at once
    File data = scheduler.getDataFile("schedule-" + MICROGRID + ".pb");
    assertNotNull(data, "the framework gives the scheduler bundle a data area");
    assertTrue(data.isFile(), "the persisted schedule is at " + data);
    server.close(); // the server is gone for good
    server = null;
    scheduler.start();

    Call running = device.next(TIMEOUT);
    assertEquals(dispatch.id(), running.dispatchId());
    assertEquals(RunningState.RUNNING, running.state());
    assertEquals(dispatch.startTime(), running.at(), "RUNNING at its start, from the persisted copy");
    assertTrue(!running.calledAt().isBefore(dispatch.startTime()), "never early");
    Call stopped = device.next(TIMEOUT);
    assertEquals(RunningState.STOPPED, stopped.state());
    assertEquals(dispatch.startTime().plus(Duration.ofSeconds(1)), stopped.at());
    assertEquals(List.of(), device.rest(), "told once each");
  }

  private Bundle schedulerBundle() {
    return Arrays.stream(context.getBundles())
        .filter(b -> SCHEDULER_BSN.equals(b.getSymbolicName()))
        .findFirst()
        .orElseThrow();
  }
}
