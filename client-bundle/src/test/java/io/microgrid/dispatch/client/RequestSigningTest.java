package io.microgrid.dispatch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.AuthenticationException;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Request signing against a server that checks every signature with its own implementation of
 * the scheme (HMAC-SHA256 of key, ts, nonce and method name), replays included.
 */
class RequestSigningTest {
  private static final String KEY = "signing-test-key";
  private static final String SECRET = "s1gn-secret-never-logged";
  private static final long MICROGRID = 11;

  private DispatchTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = DispatchTestServer.start(KEY);
    server.requireSignature(SECRET);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ClientOptions options(String secret) {
    return ClientOptions.builder("grpc://127.0.0.1:" + server.port() + "?ssl=false")
        .key(KEY)
        .signSecret(secret)
        .callTimeout(Duration.ofSeconds(5))
        .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
        .build();
  }

  @Test
  void everyCallAndTheStreamCarryAValidSignature() throws Exception {
    try (DispatchConnection client = DispatchConnection.open(options(SECRET))) {
      RecordingStreamListener events = new RecordingStreamListener();
      try (DispatchSubscription ignored = client.stream(MICROGRID, events)) {
        assertEquals("connected", events.next());
        server.awaitOpenStreams(MICROGRID, 1, Duration.ofSeconds(5));
        Dispatch d = client.create(MICROGRID, DispatchConnectionTest.newDispatch("SIGNED").build());
        assertEquals("Created " + d.id() + " SIGNED", events.next());
        client.get(MICROGRID, d.id());
        client.update(MICROGRID, d.id(), DispatchUpdate.builder().active(false).build());
        assertEquals(1, client.list(MICROGRID, DispatchQuery.ALL).count());
        client.delete(MICROGRID, d.id());
      }
    }
    // stream + create + get + update + list + delete, each with its own nonce.
    assertEquals(6, server.signedCalls(), "signed calls the server accepted");
  }

  @Test
  void aWrongSecretIsRefusedByTheServerAndTheSecretAppearsNowhere() {
    try (DispatchConnection client = DispatchConnection.open(options("not-the-secret"))) {
      AuthenticationException e =
          assertThrows(AuthenticationException.class, () -> client.get(MICROGRID, 1));
      assertTrue(e.getMessage().contains("signature"), e.getMessage());
      assertFalse(e.getMessage().contains("not-the-secret"));
      assertFalse(client.toString().contains("not-the-secret"), client.toString());
      assertTrue(client.toString().contains("signed=true"), client.toString());
    }
    assertEquals(0, server.signedCalls());
  }

  @Test
  void unsignedCallsAreRefusedWhereASignatureIsRequired() {
    try (DispatchConnection client = DispatchConnection.open(options(""))) {
      assertThrows(AuthenticationException.class, () -> client.get(MICROGRID, 1));
      assertTrue(client.toString().contains("signed=false"), client.toString());
    }
  }
}
