package io.microgrid.dispatch.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchClient;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchLifecycleListener;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.itest.RecordingListener.Call;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * What a scheduler test sets up, as a device bundle and an operator would: the client configured
 * to a Dispatch API server, scheduler factory configurations, and registered services (listeners,
 * handlers). {@link #close()} removes them all, so no test sees another one's.
 */
final class SchedulerFixture implements AutoCloseable {
  static final String CLIENT_PID = "io.microgrid.dispatch.client";
  static final String SCHEDULER_PID = "io.microgrid.dispatch.scheduler";
  /** Generous for a loaded two-core CI machine; everything normally happens within a second. */
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final BundleContext context;
  private final ConfigurationAdmin configAdmin;
  private final List<Configuration> schedulerConfigurations = new ArrayList<>();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private Configuration clientConfiguration;
  private ServiceTracker<DispatchClient, DispatchClient> clients;
  private DispatchClient client;

  SchedulerFixture(BundleContext context, ConfigurationAdmin configAdmin) {
    this.context = context;
    this.configAdmin = configAdmin;
  }

  /** Configures the client to a plaintext server on loopback and waits for its service. */
  DispatchClient connectClient(int port) throws Exception {
    return connectClient(port, null);
  }

  /**
   * As {@link #connectClient(int)}, with the client signing every call with {@code
   * signSecretOrNull} (property {@code .sign.secret}) unless it is null.
   */
  DispatchClient connectClient(int port, String signSecretOrNull) throws Exception {
    clients = new ServiceTracker<>(context, DispatchClient.class, null);
    clients.open();
    // Location "?" so that the configuration binds to the client bundle, not to this one.
    clientConfiguration = configAdmin.getConfiguration(CLIENT_PID, "?");
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("url", "grpc://127.0.0.1:" + port + "?ssl=false");
    // The client requires a key; the simulator without one and the test server accept any.
    props.put(".key", "scheduler-test-key");
    props.put("call.timeout.seconds", 5L);
    if (signSecretOrNull != null) {
      props.put(".sign.secret", signSecretOrNull);
    }
    clientConfiguration.update(props);
    client = clients.waitForService(TIMEOUT.toMillis());
    assertNotNull(client, "no DispatchClient service within " + TIMEOUT);
    return client;
  }

  DispatchClient client() {
    return client;
  }

  /** Creates a scheduler factory configuration; the caller waits for it in its own way. */
  void configureScheduler(String name, long microgridId, Map<String, Object> more) throws Exception {
    Configuration configuration = configAdmin.getFactoryConfiguration(SCHEDULER_PID, name, "?");
    schedulerConfigurations.add(configuration);
    Hashtable<String, Object> props = new Hashtable<>(more);
    props.put("microgrid.id", microgridId);
    configuration.update(props);
  }

  /** Deletes a scheduler factory configuration made by {@link #configureScheduler}. */
  void deleteScheduler(String name) throws Exception {
    Configuration configuration = configAdmin.getFactoryConfiguration(SCHEDULER_PID, name, "?");
    schedulerConfigurations.removeIf(c -> c.getPid().equals(configuration.getPid()));
    configuration.delete();
  }

  <S> ServiceRegistration<S> register(Class<S> type, S service, Map<String, Object> props) {
    ServiceRegistration<S> registration =
        context.registerService(type, service, new Hashtable<>(props));
    registrations.add(registration);
    return registration;
  }

  /** Registers a listener for one dispatch type, and for one microgrid unless it is null. */
  ServiceRegistration<RunningStateListener> registerRunningStateListener(
      RunningStateListener listener, String type, Long microgridId) {
    Map<String, Object> props = new HashMap<>();
    props.put(RunningStateListener.TYPE, type);
    if (microgridId != null) {
      props.put(RunningStateListener.MICROGRID_ID, microgridId);
    }
    return register(RunningStateListener.class, listener, props);
  }

  Dispatch createDispatch(long microgridId, String type, Duration startsIn, Duration duration) {
    return createDispatch(microgridId, type, wholeSecondIn(startsIn), duration);
  }

  /** Creates a dispatch of one component that starts at {@code start}, a whole second. */
  Dispatch createDispatch(long microgridId, String type, Instant start, Duration duration) {
    return client.create(
        microgridId,
        NewDispatch.builder(type, TargetComponents.ids(1)).startTime(start).duration(duration).build());
  }

  /**
   * The first whole second at least {@code startsIn} from now. The server keeps start times in
   * whole seconds (as the real service does), so a start between two seconds would move earlier,
   * closer than the test asked for, or onto another dispatch's transition.
   */
  static Instant wholeSecondIn(Duration startsIn) {
    Instant at = Instant.now().plus(startsIn);
    Instant truncated = at.truncatedTo(ChronoUnit.SECONDS);
    return truncated.equals(at) ? at : truncated.plusSeconds(1);
  }

  /**
   * Waits until the scheduler of a microgrid follows the server, so that a dispatch created from
   * now on reaches it at once. A probe dispatch of its own type, a day ahead (it never runs), is
   * created and its Created event awaited: the scheduler reads the server's list only once its
   * stream is open, so whether the probe came by the list or by the stream, the stream is open.
   */
  void awaitInSync(long microgridId) throws InterruptedException {
    String probeType = "ITEST_SYNC_PROBE";
    BlockingQueue<DispatchEvent> events = new LinkedBlockingQueue<>();
    Hashtable<String, Object> props = new Hashtable<>();
    props.put(RunningStateListener.TYPE, probeType);
    props.put(RunningStateListener.MICROGRID_ID, microgridId);
    ServiceRegistration<DispatchLifecycleListener> probeListener =
        context.registerService(DispatchLifecycleListener.class, events::add, props);
    try {
      Dispatch probe = createDispatch(microgridId, probeType, Duration.ofDays(1), Duration.ofSeconds(1));
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (true) {
        DispatchEvent event = events.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        assertNotNull(
            event, "the scheduler of microgrid " + microgridId + " did not follow the server within " + TIMEOUT);
        if (event instanceof DispatchEvent.Created && event.dispatch().id() == probe.id()) {
          return;
        }
      }
    } finally {
      probeListener.unregister();
    }
  }

  @Override
  public void close() throws Exception {
    for (ServiceRegistration<?> registration : registrations) {
      try {
        registration.unregister();
      } catch (IllegalStateException alreadyUnregistered) {
        // the test did it itself
      }
    }
    for (Configuration configuration : schedulerConfigurations) {
      configuration.delete();
    }
    if (clientConfiguration != null) {
      clientConfiguration.delete();
      Services.awaitNone(context, DispatchClient.class, TIMEOUT);
    }
    if (clients != null) {
      clients.close();
    }
  }

  static Instant end(Dispatch dispatch) {
    return dispatch.startTime().plus(dispatch.duration().orElseThrow());
  }

  static long serviceId(ServiceRegistration<?> registration) {
    return (Long) registration.getReference().getProperty(Constants.SERVICE_ID);
  }

  static void assertNotEarly(Call call) {
    assertFalse(call.calledAt().isBefore(call.at()), () -> "called before its instant: " + call);
  }

  /** Waits for the next lifecycle event and checks that it announces the dispatch's creation. */
  static void assertCreated(Dispatch dispatch, BlockingQueue<DispatchEvent> events)
      throws InterruptedException {
    DispatchEvent event = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(event, "no lifecycle event within " + TIMEOUT);
    assertEquals(new DispatchEvent.Created(dispatch), event);
  }
}
