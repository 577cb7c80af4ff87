package io.microgrid.dispatch.itest;

import static io.microgrid.dispatch.itest.SchedulerFixture.assertCreated;
import static io.microgrid.dispatch.itest.SchedulerFixture.assertNotEarly;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchLifecycleListener;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import io.microgrid.dispatch.itest.RecordingListener.Call;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The scheduler across broken streams and outages, in a real Felix against the client's loopback
 * test server, which can break its streams and refuse them on purpose (the simulator cannot):
 * what the server holds still reaches the listeners, on time and exactly once.
 */
class SchedulerStreamFaultsTest {
  private static final Duration TIMEOUT = SchedulerFixture.TIMEOUT;
  private static final Duration ONE_SECOND = Duration.ofSeconds(1);

  @InjectBundleContext BundleContext context;
  @InjectService ConfigurationAdmin configAdmin;

  private DispatchTestServer server;
  private SchedulerFixture fixture;

  @BeforeEach
  void startServerAndClient() throws Exception {
    server = DispatchTestServer.start();
    fixture = new SchedulerFixture(context, configAdmin);
    fixture.connectClient(server.port());
  }

  @AfterEach
  void removeEverything() throws Exception {
    fixture.close();
    server.close();
  }

  @Test
  void aDispatchCreatedWhileTheStreamIsDownStillRunsOnTimeAfterTheReconnect() throws Exception {
    long microgrid = 106;
    String type = "ITEST_OUTAGE";
    configureScheduler("outage", microgrid);
    BlockingQueue<DispatchEvent> events = new LinkedBlockingQueue<>();
    register(DispatchLifecycleListener.class, events::add, Map.of(RunningStateListener.TYPE, type));
    RecordingListener device = new RecordingListener("the device's listener");
    registerRunningStateListener(device, type, null);
    // The gateway follows the server: what is created there reaches it.
    Dispatch later = createDispatch(microgrid, type, Duration.ofHours(1), ONE_SECOND);
    assertCreated(later, events);

    server.streamOutage(true);
    server.awaitOpenStreams(microgrid, 0, TIMEOUT);
    // A plain unary call: the server stores the dispatch, but no stream can tell the scheduler.
    Dispatch dispatch = createDispatch(microgrid, type, Duration.ofMillis(3000), ONE_SECOND);
    server.streamOutage(false);
    server.awaitOpenStreams(microgrid, 1, TIMEOUT);

    // The list after the reconnect brings it in, before it starts.
    assertCreated(dispatch, events);
    Call running = device.next(TIMEOUT);
    assertEquals(dispatch.id(), running.dispatchId());
    assertEquals(RunningState.RUNNING, running.state());
    assertEquals(dispatch.startTime(), running.at(), "on time, not caught up late");
    assertNotEarly(running);
  }

  @Test
  void aLifecycleListenerIsToldOfTheCreationExactlyOnceAlsoAcrossAResync() throws Exception {
    long microgrid = 107;
    String type = "ITEST_LIFECYCLE";
    configureScheduler("lifecycle", microgrid);
    BlockingQueue<DispatchEvent> events = new LinkedBlockingQueue<>();
    register(DispatchLifecycleListener.class, events::add, Map.of(RunningStateListener.TYPE, type));
    RecordingListener device = new RecordingListener("the device's listener");
    registerRunningStateListener(device, type, null);

    Dispatch dispatch = createDispatch(microgrid, type, Duration.ofMillis(2500), ONE_SECOND);

    assertCreated(dispatch, events);

    // The stream breaks and comes back: the scheduler lists everything again and compares. The
    // dispatch it already knows must not be announced again.
    assertEquals(1, server.breakStreams());
    server.awaitOpenStreams(microgrid, 1, TIMEOUT);

    // Wait for the dispatch's whole life, which ends well after that resync.
    assertEquals(RunningState.RUNNING, device.next(TIMEOUT).state());
    assertEquals(RunningState.STOPPED, device.next(TIMEOUT).state());
    List<DispatchEvent> more = new ArrayList<>();
    events.drainTo(more);
    assertEquals(List.of(), more, "no further lifecycle event");
  }

  // ---- helpers ----------------------------------------------------------------------------------

  /** Creates a scheduler factory configuration and waits until its stream reached the server. */
  private void configureScheduler(String name, long microgridId) throws Exception {
    fixture.configureScheduler(name, microgridId, Map.of());
    server.awaitOpenStreams(microgridId, 1, TIMEOUT);
  }

  private <S> void register(Class<S> type, S service, Map<String, Object> props) {
    fixture.register(type, service, props);
  }

  private void registerRunningStateListener(
      RunningStateListener listener, String type, Long microgridId) {
    fixture.registerRunningStateListener(listener, type, microgridId);
  }

  private Dispatch createDispatch(
      long microgridId, String type, Duration startsIn, Duration duration) {
    return fixture.createDispatch(microgridId, type, startsIn, duration);
  }
}
