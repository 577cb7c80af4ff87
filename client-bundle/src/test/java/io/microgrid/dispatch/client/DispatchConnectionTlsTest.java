package io.microgrid.dispatch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.api.ServiceUnavailableException;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import io.microgrid.dispatch.client.testing.TestCertificates;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client over TLS, with certificates made by the test: trusted, and refused. */
class DispatchConnectionTlsTest {
  private static final String KEY = "tls-key";
  private static final long MICROGRID = 3;

  @TempDir Path dir;
  private TestCertificates.PemFiles pem;
  private DispatchTestServer server;

  @BeforeEach
  void start() throws Exception {
    pem = TestCertificates.write(dir);
    server = DispatchTestServer.startTls(pem.serverChain(), pem.serverKey(), KEY);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ClientOptions.Builder options(String url) {
    return ClientOptions.builder(url)
        .key(KEY)
        .callTimeout(Duration.ofSeconds(5))
        .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200));
  }

  @Test
  void tlsIsTheDefaultAndWorksWithTheConfiguredRootCertificates() throws Exception {
    // No ssl option in the URL: TLS is on by default.
    ClientOptions options =
        options("grpc://localhost:" + server.port()).rootCertificates(pem.ca()).build();
    assertTrue(options.tls());
    try (DispatchConnection client = DispatchConnection.open(options)) {
      Dispatch d = client.create(MICROGRID, DispatchConnectionTest.newDispatch("TLS").build());
      assertEquals(d, client.get(MICROGRID, d.id()));

      RecordingStreamListener events = new RecordingStreamListener();
      try (DispatchSubscription ignored = client.stream(MICROGRID, events)) {
        assertEquals("connected", events.next());
        // The server registers the stream a moment after the client sees it open.
        server.awaitOpenStreams(MICROGRID, 1, Duration.ofSeconds(5));
        client.delete(MICROGRID, d.id());
        assertEquals("Deleted " + d.id() + " TLS", events.next());
      }
    }
    server.calls().forEach(c -> assertEquals(KEY, c.key(), "key on " + c.method()));
  }

  @Test
  void aServerSignedByAnUnknownCaIsRefused() {
    ClientOptions options =
        options("grpc://localhost:" + server.port()).rootCertificates(pem.otherCa()).build();
    try (DispatchConnection client = DispatchConnection.open(options)) {
      ServiceUnavailableException e =
          assertThrows(ServiceUnavailableException.class, () -> client.get(MICROGRID, 1));
      assertEquals("UNAVAILABLE", e.status());
      assertTrue(
          String.valueOf(e.getCause()).contains("SSL") || e.getMessage().contains("SSL")
              || String.valueOf(e.getCause()).toLowerCase().contains("certificate"),
          "the error says the TLS handshake failed: " + e + " / " + e.getCause());
    }
    assertTrue(server.calls().isEmpty(), "no call reached the server");
  }

  @Test
  void aTrustedCertificateForAnotherHostNameIsRefused() throws Exception {
    server.close();
    TestCertificates.PemFiles other = TestCertificates.writeForHost(dir.resolve("other"), "dispatch.example.com");
    server = DispatchTestServer.startTls(other.serverChain(), other.serverKey(), KEY);
    ClientOptions options =
        options("grpc://localhost:" + server.port()).rootCertificates(other.ca()).build();
    try (DispatchConnection client = DispatchConnection.open(options)) {
      ServiceUnavailableException e =
          assertThrows(ServiceUnavailableException.class, () -> client.get(MICROGRID, 1));
      String said = (e.getMessage() + " " + e.getCause()).toLowerCase(java.util.Locale.ROOT);
      assertTrue(
          said.contains("hostname") || said.contains("host name") || said.contains("subject"),
          "the error says the certificate is for another host: " + e.getMessage());
      assertFalse(e.getMessage().contains(KEY), e.getMessage());
    }
    assertTrue(server.calls().isEmpty(), "no call, so no key, reached the server");
  }

  @Test
  void theSystemTrustStoreDoesNotTrustATestCa() {
    try (DispatchConnection client =
        DispatchConnection.open(options("grpc://localhost:" + server.port()).build())) {
      assertThrows(ServiceUnavailableException.class, () -> client.get(MICROGRID, 1));
    }
  }

  @Test
  void plaintextAgainstATlsServerFailsInsteadOfSendingTheKeyInClear() {
    try (DispatchConnection client =
        DispatchConnection.open(options("grpc://localhost:" + server.port() + "?ssl=false").build())) {
      assertThrows(ServiceUnavailableException.class, () -> client.get(MICROGRID, 1));
    }
    assertTrue(server.calls().isEmpty());
  }
}
