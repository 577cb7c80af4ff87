package io.microgrid.dispatch.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchStreamListener;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DS component as SCR drives it, against a real gRPC server on loopback. */
class DispatchClientComponentTest {
  private static final String KEY = "component-test-key";
  private static final long MICROGRID = 12;
  /** Far longer than any test waits: a stream that follows this delay does not come back. */
  private static final long AN_HOUR_MS = Duration.ofHours(1).toMillis();
  /** How long the test waits for something that should happen within milliseconds. */
  private static final Duration PATIENCE = Duration.ofSeconds(10);

  private DispatchTestServer server;
  private DispatchClientComponent component;

  @BeforeEach
  void start() throws Exception {
    server = DispatchTestServer.start(KEY);
  }

  @AfterEach
  void stop() {
    if (component != null) {
      component.deactivate();
    }
    server.close();
  }

  private Map<String, Object> configuration(long reconnectDelayMs, long maxReconnectDelayMs) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("url", "grpc://127.0.0.1:" + server.port() + "?ssl=false");
    properties.put(".key", KEY);
    properties.put("reconnect.delay.ms", reconnectDelayMs);
    properties.put("reconnect.max.delay.ms", maxReconnectDelayMs);
    return properties;
  }

  @Test
  void anEditOfTheReconnectDelaysReachesAStreamThatIsAlreadyOpen() throws Exception {
    component = new DispatchClientComponent(Configurations.of(configuration(AN_HOUR_MS, AN_HOUR_MS)));
    BlockingQueue<String> events = new LinkedBlockingQueue<>();
    try (DispatchSubscription s = component.stream(MICROGRID, recording(events))) {
      assertEquals("connected", next(events));
      server.awaitOpenStreams(MICROGRID, 1, PATIENCE);

      // The same server and key: the connection stays, only the delays change.
      component.modified(Configurations.of(configuration(1, 1)));
      server.breakStreams();

      assertEquals("disconnected UNAVAILABLE", next(events));
      // With the hour-long delay the stream was opened with, this would not come for 30 minutes.
      assertEquals("reconnected", next(events), "the stream followed the edited delay");
      server.awaitOpenStreams(MICROGRID, 1, PATIENCE);
    }
  }

  @Test
  void aConfigurationWithOnlyUrlAndKeyGetsTheOptionsDefaults() {
    Map<String, Object> properties = new HashMap<>();
    properties.put("url", " grpc://h:1 ");
    properties.put(".key", KEY);
    ClientOptions options = DispatchClientComponent.options(Configurations.of(properties));
    ClientOptions defaults = ClientOptions.builder("grpc://h:1").key(KEY).build();
    assertEquals("grpc://h:1", options.url());
    assertEquals(defaults.callTimeout(), options.callTimeout());
    assertEquals(defaults.keepAliveTime(), options.keepAliveTime());
    assertEquals(defaults.keepAliveTimeout(), options.keepAliveTimeout());
    assertEquals(defaults.reconnectDelay(), options.reconnectDelay());
    assertEquals(defaults.maxReconnectDelay(), options.maxReconnectDelay());
    assertTrue(options.sameConnection(defaults));
  }

  @Test
  void aRefusedSettingIsReportedByItsPropertyName() {
    assertRefused("url", Map.of("url", "http://h", ".key", KEY));
    assertRefused("url", Map.of(".key", KEY));
    assertRefused("call.timeout.seconds", Map.of("url", "grpc://h", ".key", KEY, "call.timeout.seconds", 0L));
    assertRefused(
        "keepalive.time.seconds", Map.of("url", "grpc://h", ".key", KEY, "keepalive.time.seconds", 5L));
    assertRefused(
        "keepalive.timeout.seconds",
        Map.of("url", "grpc://h", ".key", KEY, "keepalive.timeout.seconds", 0L));
    assertRefused("reconnect.delay.ms", Map.of("url", "grpc://h", ".key", KEY, "reconnect.delay.ms", 0L));
    assertRefused(
        "reconnect.max.delay.ms",
        Map.of("url", "grpc://h", ".key", KEY, "reconnect.delay.ms", 1000L, "reconnect.max.delay.ms", 10L));
    assertRefused(
        "ssl.root.certificates",
        Map.of("url", "grpc://h", ".key", KEY, "ssl.root.certificates", "/no/such/roots.pem"));
    assertRefused(".key", Map.of("url", "grpc://h"));
  }

  /** Asserts that the options are refused with a message that starts with the property's name. */
  private static void assertRefused(String property, Map<String, Object> properties) {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> DispatchClientComponent.options(Configurations.of(properties)));
    String prefix = "configuration " + ClientConfiguration.PID + " is invalid: " + property + " ";
    assertTrue(e.getMessage().startsWith(prefix), () -> "expected " + prefix + "..., got " + e.getMessage());
    assertFalse(e.getMessage().contains(KEY), e.getMessage());
  }

  private static DispatchStreamListener recording(BlockingQueue<String> events) {
    return new DispatchStreamListener() {
      @Override
      public void onEvent(io.microgrid.dispatch.api.DispatchEvent event) {
        events.add("event " + event.dispatch().id());
      }

      @Override
      public void onConnected(boolean reconnect) {
        events.add(reconnect ? "reconnected" : "connected");
      }

      @Override
      public void onDisconnected(DispatchApiException cause) {
        events.add("disconnected " + cause.status());
      }
    };
  }

  private static String next(BlockingQueue<String> events) throws InterruptedException {
    String event = events.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
    if (event == null) {
      throw new AssertionError("the stream reported nothing within " + PATIENCE);
    }
    return event;
  }
}
