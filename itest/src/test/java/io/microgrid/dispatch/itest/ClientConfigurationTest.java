package io.microgrid.dispatch.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchClient;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchStreamListener;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import io.microgrid.dispatch.client.testing.RecordedCall;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * What an operator does with ConfigAdmin, in a real Felix, against real gRPC servers on loopback:
 * configure the client, edit it to point at another server, delete it.
 */
class ClientConfigurationTest {
  private static final String PID = "io.microgrid.dispatch.client";
  private static final String KEY = "itest-key";
  private static final String SIGN_SECRET = "itest-sign-secret";
  private static final long MICROGRID = 11;
  private static final long TIMEOUT_MS = 10_000;

  @InjectBundleContext BundleContext context;
  @InjectService ConfigurationAdmin configAdmin;
  @InjectService ServiceComponentRuntime scr;

  private DispatchTestServer first;
  private DispatchTestServer second;
  private Configuration configuration;
  private ServiceTracker<DispatchClient, DispatchClient> clients;

  @BeforeEach
  void start() throws Exception {
    first = DispatchTestServer.start(KEY);
    second = DispatchTestServer.start(KEY);
    clients = new ServiceTracker<>(context, DispatchClient.class, null);
    clients.open();
    // Location "?" so that the configuration binds to the client bundle, not to this one.
    configuration = configAdmin.getConfiguration(PID, "?");
  }

  @AfterEach
  void stop() throws Exception {
    if (configuration != null) {
      try {
        configuration.delete();
      } catch (IllegalStateException alreadyDeleted) {
        // the test deleted it itself
      }
    }
    awaitNoClient();
    clients.close();
    first.close();
    second.close();
  }

  private static Dictionary<String, Object> clientConfig(DispatchTestServer server) {
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("url", "grpc://127.0.0.1:" + server.port() + "?ssl=false");
    props.put(".key", KEY);
    props.put("call.timeout.seconds", 5L);
    return props;
  }

  private static NewDispatch dispatch(String type) {
    return NewDispatch.builder(type, TargetComponents.ids(4))
        .startTime(Instant.now().plus(Duration.ofHours(1)))
        .duration(Duration.ofMinutes(5))
        .build();
  }

  private DispatchClient awaitClient() throws InterruptedException {
    DispatchClient client = clients.waitForService(TIMEOUT_MS);
    assertNotNull(client, "no DispatchClient service within " + TIMEOUT_MS + " ms");
    return client;
  }

  private void awaitNoClient() throws Exception {
    Services.awaitNone(context, DispatchClient.class, Duration.ofMillis(TIMEOUT_MS));
  }


  @Test
  void aConfigurationRegistersTheClientAndItsCallsReachTheServer() throws Exception {
    Dictionary<String, Object> props = clientConfig(first);
    props.put(".sign.secret", SIGN_SECRET);
    first.requireSignature(SIGN_SECRET);
    configuration.update(props);
    DispatchClient client = awaitClient();

    Dispatch created = client.create(MICROGRID, dispatch("ITEST"));
    assertEquals(List.of(created), client.list(MICROGRID, DispatchQuery.ALL).toList());
    assertEquals(1, first.store(MICROGRID).size());
    for (RecordedCall call : first.calls()) {
      assertEquals(KEY, call.key(), "key header on " + call.method());
    }

    ServiceReference<DispatchClient> ref = clients.getServiceReference();
    assertEquals(
        "grpc://127.0.0.1:" + first.port() + "?ssl=false", ref.getProperty("url"));
    assertNull(ref.getProperty(".key"), "the key is private, never a service property");
    assertTrue(
        Arrays.stream(ref.getPropertyKeys()).noneMatch(k -> String.valueOf(ref.getProperty(k)).contains(KEY)),
        "no service property holds the key");
    assertTrue(first.signedCalls() >= 2, "the calls were signed with .sign.secret");
    assertTrue(
        Arrays.stream(ref.getPropertyKeys())
            .noneMatch(k -> String.valueOf(ref.getProperty(k)).contains(SIGN_SECRET)),
        "no service property holds the signing secret");
  }

  @Test
  void editingTheConfigurationMovesTheClientToAnotherServerWithoutUnregistering() throws Exception {
    configuration.update(clientConfig(first));
    DispatchClient client = awaitClient();
    Object serviceId = clients.getServiceReference().getProperty("service.id");

    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    DispatchStreamListener listener =
        new DispatchStreamListener() {
          @Override
          public void onConnected(boolean reconnect) {
            events.add(reconnect ? "reconnected" : "connected");
          }

          @Override
          public void onEvent(DispatchEvent event) {
            events.add(event.getClass().getSimpleName() + " " + event.dispatch().type());
          }

          @Override
          public void onDisconnected(DispatchApiException cause) {
            events.add("disconnected");
          }
        };
    CountDownLatch unregistered = new CountDownLatch(1);
    ServiceListener watch =
        e -> {
          if (e.getType() == ServiceEvent.UNREGISTERING) {
            unregistered.countDown();
          }
        };
    context.addServiceListener(watch, "(objectClass=" + DispatchClient.class.getName() + ")");
    try (DispatchSubscription subscription = client.stream(MICROGRID, listener)) {
      assertEquals("connected", events.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS));
      first.awaitOpenStreams(MICROGRID, 1, Duration.ofMillis(TIMEOUT_MS));

      configuration.update(clientConfig(second));

      assertEquals("disconnected", events.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS));
      assertEquals("reconnected", events.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS));
      second.awaitOpenStreams(MICROGRID, 1, Duration.ofMillis(TIMEOUT_MS));
      first.awaitOpenStreams(MICROGRID, 0, Duration.ofMillis(TIMEOUT_MS));

      // The same service object, now talking to the second server, stream included.
      client.create(MICROGRID, dispatch("ON_SECOND"));
      assertEquals("Created ON_SECOND", events.poll(TIMEOUT_MS, TimeUnit.MILLISECONDS));
      assertEquals(1, second.store(MICROGRID).size());
      assertTrue(first.store(MICROGRID).isEmpty());
      assertTrue(subscription.isConnected());
    } finally {
      context.removeServiceListener(watch);
    }
    assertEquals(1, unregistered.getCount(), "the service was never unregistered");
    assertEquals(serviceId, clients.getServiceReference().getProperty("service.id"));
  }

  @Test
  void deletingTheConfigurationUnregistersTheClient() throws Exception {
    configuration.update(clientConfig(first));
    awaitClient();

    configuration.delete();
    configuration = null;

    awaitNoClient();
  }

  @Test
  void aMalformedConfigurationFailsTheComponentWithAMessageThatNamesTheProperty() throws Exception {
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("url", "http://nowhere");
    props.put(".key", KEY);
    configuration.update(props);

    String failure = awaitFailedActivation();
    assertTrue(failure.contains("url"), failure);
    assertTrue(failure.contains("grpc://"), "says what to write instead: " + failure);
    assertNull(clients.getService(), "no DispatchClient for a malformed configuration");
  }

  @Test
  void aConfigurationWithoutKeyFailsTheComponentAndSaysToSetIt() throws Exception {
    Dictionary<String, Object> props = clientConfig(first);
    props.remove(".key");
    configuration.update(props);

    String failure = awaitFailedActivation();
    assertTrue(failure.contains(".key"), failure);
    assertTrue(failure.contains("set .key ="), "says how to fix it: " + failure);
    assertNull(clients.getService(), "no DispatchClient without a key");
    assertTrue(first.calls().isEmpty(), "nothing was sent without a key");
  }

  private String awaitFailedActivation() throws Exception {
    return Services.awaitFailedActivation(scr, PID, Duration.ofMillis(TIMEOUT_MS));
  }
}
