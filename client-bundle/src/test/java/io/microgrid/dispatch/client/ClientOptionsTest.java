package io.microgrid.dispatch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientOptionsTest {

  private static final String KEY = "s3cr3t-key";

  @TempDir Path dir;

  private static ClientOptions build(String url) {
    return ClientOptions.builder(url).key(KEY).build();
  }

  /**
   * Asserts that building fails with an {@link InvalidSettingException} for the setting, whose
   * message names it, and that the key shows neither in the message nor in the exception's string
   * form or stack trace.
   */
  private static InvalidSettingException assertRefused(
      ClientOptions.Setting setting, ClientOptions.Builder builder) {
    InvalidSettingException e = assertThrows(InvalidSettingException.class, builder::build);
    assertEquals(setting, e.setting(), e.getMessage());
    assertEquals(setting + " " + e.problem(), e.getMessage());
    assertNoKey(e);
    return e;
  }

  private static void assertNoKey(Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertFalse(trace.toString().contains(KEY), () -> "the key leaked: " + trace);
    assertFalse(String.valueOf(e).contains(KEY));
  }

  // ---- parsing --------------------------------------------------------------------------------

  @Test
  void hostAndPort() {
    ClientOptions o = build("grpc://dispatch.example.com:443");
    assertEquals("grpc://dispatch.example.com:443", o.url());
    assertEquals("dispatch.example.com", o.host());
    assertEquals(443, o.port());
    assertTrue(o.tls());
    assertEquals(Optional.empty(), o.rootCertificates());
    assertEquals(KEY, o.key());
  }

  @Test
  void aUrlWithoutPortMeans443WithTls() {
    ClientOptions o = build("grpc://localhost");
    assertEquals("localhost", o.host());
    assertEquals(443, o.port());
    assertTrue(o.tls());
    assertEquals(443, build("grpc://localhost/").port());
    // ssl=false turns TLS off but leaves the port alone.
    ClientOptions plain = build("grpc://localhost?ssl=false");
    assertEquals(443, plain.port());
    assertFalse(plain.tls());
  }

  @Test
  void ipAddresses() {
    ClientOptions v4 = build("grpc://127.0.0.1:50051");
    assertEquals("127.0.0.1", v4.host());
    assertEquals(50051, v4.port());
    ClientOptions v6 = build("grpc://[::1]:50051");
    assertEquals(50051, v6.port());
    assertTrue(v6.host().contains("::1"), v6.host());
  }

  @Test
  void tlsByDefault() {
    assertTrue(build("grpc://h:1").tls());
  }

  @Test
  void sslFalseIsPlaintext() {
    ClientOptions o = build("grpc://localhost:50051?ssl=false");
    assertFalse(o.tls());
    assertEquals("localhost", o.host());
    assertEquals(50051, o.port());
    assertFalse(build("grpc://h?ssl=FALSE").tls());
  }

  @Test
  void sslTrueIsTls() {
    assertTrue(build("grpc://h:1?ssl=true").tls());
    assertTrue(build("grpc://h:1?ssl=True").tls());
  }

  @Test
  void schemeIsCaseInsensitive() {
    assertEquals("h", build("GRPC://h:1").host());
  }

  @Test
  void defaultsWithoutKey() {
    ClientOptions o = ClientOptions.builder("grpc://h").build();
    assertEquals("", o.key());
    assertEquals(ClientOptions.DEFAULT_CALL_TIMEOUT, o.callTimeout());
    assertTrue(o.toString().contains("key=none"), o.toString());
    assertTrue(o.reconnectDelay().compareTo(Duration.ZERO) > 0);
    assertTrue(o.maxReconnectDelay().compareTo(o.reconnectDelay()) >= 0);
  }

  @Test
  void callTimeoutAndReconnectDelay() {
    ClientOptions o =
        ClientOptions.builder("grpc://h")
            .key(KEY)
            .callTimeout(Duration.ofSeconds(5))
            .reconnectDelay(Duration.ofMillis(100), Duration.ofSeconds(10))
            .build();
    assertEquals(Duration.ofSeconds(5), o.callTimeout());
    assertEquals(Duration.ofMillis(100), o.reconnectDelay());
    assertEquals(Duration.ofSeconds(10), o.maxReconnectDelay());
  }

  @Test
  void rootCertificatesFromBuilderAndFromUrl() throws IOException {
    Path pem = Files.writeString(dir.resolve("roots.pem"), "-----BEGIN CERTIFICATE-----\n");
    ClientOptions viaBuilder =
        ClientOptions.builder("grpc://h:1").key(KEY).rootCertificates(pem).build();
    assertEquals(Optional.of(pem), viaBuilder.rootCertificates());
    ClientOptions viaUrl = build("grpc://h:1?ssl_root_certificates_path=" + pem);
    assertEquals(Optional.of(pem), viaUrl.rootCertificates());
  }

  // ---- refusals -------------------------------------------------------------------------------

  @Test
  void badScheme() {
    assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("http://dispatch.example.com:443").key(KEY));
    assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("https://dispatch.example.com").key(KEY));
    assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("dispatch.example.com:443").key(KEY));
  }

  @Test
  void noHost() {
    assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("grpc://").key(KEY));
    assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("grpc:///").key(KEY));
    assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("grpc://:9090").key(KEY));
    assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("grpc:host").key(KEY));
  }

  @Test
  void path() {
    assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("grpc://h:9090/api").key(KEY));
    assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("grpc://h/a/b?ssl=false").key(KEY));
  }

  @Test
  void malformed() {
    assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("grpc://h h:1").key(KEY));
    assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("").key(KEY));
  }

  @Test
  void unknownOption() {
    IllegalArgumentException e =
        assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("grpc://h:1?tls=false").key(KEY));
    assertTrue(e.getMessage().contains("tls"), e.getMessage());
    // Even an option whose value is the key (a user pasting the key into the URL) is refused
    // without echoing the value.
    assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("grpc://h:1?key=" + KEY).key(KEY));
  }

  @Test
  void sslMaybe() {
    IllegalArgumentException e =
        assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("grpc://h:1?ssl=maybe").key(KEY));
    assertTrue(e.getMessage().contains("ssl=maybe"), e.getMessage());
    assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("grpc://h:1?ssl=").key(KEY));
    assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("grpc://h:1?ssl").key(KEY));
  }

  @Test
  void nonPositiveTimeout() {
    assertRefused(
        ClientOptions.Setting.CALL_TIMEOUT,
        ClientOptions.builder("grpc://h:1").key(KEY).callTimeout(Duration.ZERO));
    assertRefused(
        ClientOptions.Setting.CALL_TIMEOUT,
        ClientOptions.builder("grpc://h:1").key(KEY).callTimeout(Duration.ofSeconds(-5)));
  }

  @Test
  void unreadableRootCertificates() {
    Path missing = dir.resolve("missing.pem");
    assertRefused(
        ClientOptions.Setting.ROOT_CERTIFICATES,
        ClientOptions.builder("grpc://h:1").key(KEY).rootCertificates(missing));
    InvalidSettingException inUrl =
        assertRefused(
            ClientOptions.Setting.URL,
            ClientOptions.builder("grpc://h:1?ssl_root_certificates_path=" + missing).key(KEY));
    assertTrue(inUrl.problem().contains("ssl_root_certificates_path"), inUrl.getMessage());
  }

  @Test
  void badReconnectDelays() {
    InvalidSettingException belowFirst =
        assertRefused(
            ClientOptions.Setting.MAX_RECONNECT_DELAY,
            ClientOptions.builder("grpc://h")
                .key(KEY)
                .reconnectDelay(Duration.ofSeconds(10), Duration.ofSeconds(1)));
    assertEquals("must be at least the first reconnect delay (10 s), got 1 s", belowFirst.problem());
    InvalidSettingException zero =
        assertRefused(
            ClientOptions.Setting.RECONNECT_DELAY,
            ClientOptions.builder("grpc://h")
                .key(KEY)
                .reconnectDelay(Duration.ZERO, Duration.ofSeconds(1)));
    assertEquals("must be more than 0, got 0 s", zero.problem());
  }

  @Test
  void keepaliveDefaultsAndLimits() {
    ClientOptions defaults = ClientOptions.builder("grpc://h").key(KEY).build();
    assertEquals(Duration.ofSeconds(60), defaults.keepAliveTime());
    assertEquals(Duration.ofSeconds(20), defaults.keepAliveTimeout());
    InvalidSettingException tooOften =
        assertRefused(
            ClientOptions.Setting.KEEPALIVE_TIME,
            ClientOptions.builder("grpc://h")
                .key(KEY)
                .keepAlive(Duration.ofSeconds(5), Duration.ofSeconds(1)));
    assertTrue(tooOften.problem().contains("at least 10 s"), tooOften.getMessage());
    assertRefused(
        ClientOptions.Setting.KEEPALIVE_TIMEOUT,
        ClientOptions.builder("grpc://h")
            .key(KEY)
            .keepAlive(Duration.ofSeconds(10), Duration.ZERO));
  }

  @Test
  void aMissingUrlIsRefusedAndBlanksAroundOneAreIgnored() {
    assertRefused(ClientOptions.Setting.URL, ClientOptions.builder(null).key(KEY));
    assertRefused(ClientOptions.Setting.URL, ClientOptions.builder("  ").key(KEY));
    ClientOptions o = build(" grpc://h:1?ssl=false\n");
    assertEquals("grpc://h:1?ssl=false", o.url());
    assertEquals("h", o.host());
  }

  @Test
  void theProblemIsWordedToFollowTheCallersNameOfTheSetting() {
    InvalidSettingException e =
        assertRefused(
            ClientOptions.Setting.CALL_TIMEOUT,
            ClientOptions.builder("grpc://h:1").key(KEY).callTimeout(Duration.ofMillis(-1500)));
    assertEquals("callTimeout must be more than 0, got -1500 ms", e.getMessage());
    assertEquals("--timeout must be more than 0, got -1500 ms", e.messageFor(s -> "--timeout"));
  }

  @Test
  void aChangedSigningSecretOrKeepaliveNeedsANewConnection() {
    ClientOptions plain = ClientOptions.builder("grpc://h").key(KEY).build();
    ClientOptions signed = ClientOptions.builder("grpc://h").key(KEY).signSecret("s3cret").build();
    ClientOptions keepalive =
        ClientOptions.builder("grpc://h")
            .key(KEY)
            .keepAlive(Duration.ofSeconds(30), Duration.ofSeconds(5))
            .build();
    assertFalse(signed.sameConnection(plain));
    assertFalse(keepalive.sameConnection(plain));
    assertTrue(plain.sameConnection(ClientOptions.builder("grpc://h").key(KEY).build()));
    assertTrue(signed.toString().contains("signed=true"), signed.toString());
    assertFalse(signed.toString().contains("s3cret"), signed.toString());
  }

  // ---- the key --------------------------------------------------------------------------------

  @Test
  void toStringSaysKeySetButNeverShowsIt() {
    ClientOptions o = build("grpc://h:1?ssl=false");
    String s = o.toString();
    assertTrue(s.contains("key=(set)"), s);
    assertFalse(s.contains(KEY), s);
    assertTrue(s.contains("grpc://h:1?ssl=false"), s);
  }

  // ---- sameConnection -------------------------------------------------------------------------

  @Test
  void sameConnectionOnlyWhenHostPortTlsRootsAndKeyAreEqual() throws IOException {
    Path pem = Files.writeString(dir.resolve("a.pem"), "x");
    Path other = Files.writeString(dir.resolve("b.pem"), "y");
    ClientOptions base = ClientOptions.builder("grpc://h:443").key(KEY).build();

    assertTrue(base.sameConnection(base));
    assertTrue(base.sameConnection(ClientOptions.builder("grpc://h:443").key(KEY).build()));
    // The default port is the same port.
    assertTrue(base.sameConnection(ClientOptions.builder("grpc://h").key(KEY).build()));
    assertTrue(base.sameConnection(ClientOptions.builder("grpc://h?ssl=true").key(KEY).build()));
    // The call timeout does not need a new connection.
    assertTrue(
        base.sameConnection(
            ClientOptions.builder("grpc://h:443")
                .key(KEY)
                .callTimeout(Duration.ofSeconds(1))
                .build()));

    assertFalse(base.sameConnection(ClientOptions.builder("grpc://other:443").key(KEY).build()));
    assertFalse(base.sameConnection(ClientOptions.builder("grpc://h:9091").key(KEY).build()));
    assertFalse(
        base.sameConnection(ClientOptions.builder("grpc://h:443?ssl=false").key(KEY).build()));
    assertFalse(
        base.sameConnection(
            ClientOptions.builder("grpc://h:443").key(KEY).rootCertificates(pem).build()));
    assertFalse(base.sameConnection(ClientOptions.builder("grpc://h:443").key("other").build()));
    assertFalse(base.sameConnection(ClientOptions.builder("grpc://h:443").build()));

    ClientOptions withPem =
        ClientOptions.builder("grpc://h:443").key(KEY).rootCertificates(pem).build();
    assertTrue(
        withPem.sameConnection(
            ClientOptions.builder("grpc://h:443?ssl_root_certificates_path=" + pem)
                .key(KEY)
                .build()));
    assertFalse(
        withPem.sameConnection(
            ClientOptions.builder("grpc://h:443").key(KEY).rootCertificates(other).build()));

    // No key and an empty key are the same.
    assertTrue(
        ClientOptions.builder("grpc://h")
            .build()
            .sameConnection(ClientOptions.builder("grpc://h").key("").build()));
  }
}
