package io.microgrid.dispatch.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchStreamListener;
import io.microgrid.dispatch.api.DispatchSubscription;
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
