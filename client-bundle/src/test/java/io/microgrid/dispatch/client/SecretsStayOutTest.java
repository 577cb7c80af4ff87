package io.microgrid.dispatch.client;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API key and the signing secret never appear in what an operator or a caller sees: log
 * lines (at every level, gRPC's FINE frame trace and stack traces included), exception messages
 * and causes, toString; even when the server echoes the key back in its error text.
 */
class SecretsStayOutTest {
  private static final String KEY = "Key-9f3a-never-visible";
  private static final String SECRET = "Secret-77c1-never-visible";
  private static final long MICROGRID = 41;

  private final List<String> logged = new ArrayList<>();
  private final Handler capture =
      new Handler() {
        private final SimpleFormatter format = new SimpleFormatter();

        @Override
        public synchronized void publish(LogRecord record) {
          // The test server's own transport is not the client: what it logs is the server's.
          if (!String.valueOf(record.getLoggerName()).startsWith("io.grpc.okhttp.OkHttpServer")) {
            logged.add(format.format(record));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  private Level rootLevel;
  private DispatchTestServer server;

  @BeforeEach
  void start() throws Exception {
    Logger root = Logger.getLogger("");
    rootLevel = root.getLevel();
    root.setLevel(Level.ALL);
    capture.setLevel(Level.ALL);
    root.addHandler(capture);
    Logger.getLogger("io.microgrid").setLevel(Level.ALL);
    server = DispatchTestServer.start(KEY);
  }

  @AfterEach
  void stop() {
    server.close();
    Logger root = Logger.getLogger("");
    root.removeHandler(capture);
    root.setLevel(rootLevel);
    Logger.getLogger("io.microgrid").setLevel(null);
  }

  private static String text(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return out.toString();
  }

  @Test
  void failingCallsBrokenStreamsAndRefusalsNeverShowTheKeyOrTheSecret() throws Exception {
    List<String> seen = new ArrayList<>();
    ClientOptions options =
        ClientOptions.builder("grpc://127.0.0.1:" + server.port() + "?ssl=false")
            .key(KEY)
            .signSecret(SECRET)
            .callTimeout(Duration.ofSeconds(2))
            .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(100))
            .build();
    seen.add(options.toString());
    try (DispatchConnection client = DispatchConnection.open(options)) {
      seen.add(client.toString());
      RecordingStreamListener events = new RecordingStreamListener();
      try (DispatchSubscription ignored = client.stream(MICROGRID, events)) {
        events.nextStartingWith("connected");
        server.awaitOpenStreams(MICROGRID, 1, Duration.ofSeconds(5));

        // A server that echoes what it got, key included, in its error.
        server.failNextCall(Status.INTERNAL.withDescription("rejected request with key=" + KEY));
        seen.add(text(assertThrows(DispatchApiException.class, () -> client.get(MICROGRID, 1))));
        // A deadline.
        server.stallNextCall();
        seen.add(text(assertThrows(DispatchApiException.class, () -> client.get(MICROGRID, 2))));
        // The key is refused.
        server.requireKey("another-key");
        seen.add(text(assertThrows(DispatchApiException.class, () -> client.get(MICROGRID, 3))));
        server.requireKey(KEY);
        // The stream breaks and comes back.
        server.breakStreams();
        events.nextStartingWith("reconnected");
        // A malformed configuration with the key set.
        seen.add(
            text(
                assertThrows(
                    IllegalArgumentException.class,
                    () -> ClientOptions.builder("http://x").key(KEY).signSecret(SECRET).build())));
      }
    }
    // The server goes away: connection refused.
    int port = server.port();
    server.close();
    try (DispatchConnection client =
        DispatchConnection.open(
            ClientOptions.builder("grpc://127.0.0.1:" + port + "?ssl=false")
                .key(KEY)
                .signSecret(SECRET)
                .callTimeout(Duration.ofSeconds(2))
                .build())) {
      seen.add(text(assertThrows(DispatchApiException.class, () -> client.get(MICROGRID, 4))));
    }
    server = DispatchTestServer.start();

    List<String> all = new ArrayList<>(seen);
    synchronized (capture) {
      all.addAll(logged);
    }
    assertTrue(logged.size() >= 3, "the scenario logged something to check: " + logged.size());
    for (String s : all) {
      assertFalse(s.contains(KEY), "the key leaked: " + s);
      assertFalse(s.contains(SECRET), "the signing secret leaked: " + s);
    }
  }
}
