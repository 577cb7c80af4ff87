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
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClientOptionsTest {

  private static final String KEY = "s3cr3t-key";

  @TempDir Path dir;

  private static ClientOptions build(String url) {
    return ClientOptions.builder(url).key(KEY).build();
  }

  /**
   * Asserts that building fails with an IllegalArgumentException that names the setting and
   * never shows the key, neither in its message nor in its string form or stack trace.
   */
  private static IllegalArgumentException assertRefused(
      String setting, ClientOptions.Builder builder) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
    String message = e.getMessage();
    assertNotNull(message);
    Pattern word =
        Pattern.compile("(?<![A-Za-z0-9_.])" + Pattern.quote(setting) + "(?![A-Za-z0-9_])");
    assertTrue(
        word.matcher(message).find(),
        () -> "expected the message to name '" + setting + "', got: " + message);
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
  void defaultPortIs9090() {
    assertEquals(9090, ClientOptions.DEFAULT_PORT);
    ClientOptions o = build("grpc://localhost");
    assertEquals("localhost", o.host());
    assertEquals(9090, o.port());
    assertEquals(9090, build("grpc://localhost/").port());
    assertEquals(9090, build("grpc://localhost?ssl=false").port());
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
    assertRefused("url", ClientOptions.builder("http://dispatch.example.com:443").key(KEY));
    assertRefused("url", ClientOptions.builder("https://dispatch.example.com").key(KEY));
    assertRefused("url", ClientOptions.builder("dispatch.example.com:443").key(KEY));
  }

  @Test
  void noHost() {
    assertRefused("url", ClientOptions.builder("grpc://").key(KEY));
    assertRefused("url", ClientOptions.builder("grpc:///").key(KEY));
    assertRefused("url", ClientOptions.builder("grpc://:9090").key(KEY));
    assertRefused("url", ClientOptions.builder("grpc:host").key(KEY));
  }

  @Test
  void path() {
    assertRefused("url", ClientOptions.builder("grpc://h:9090/api").key(KEY));
    assertRefused("url", ClientOptions.builder("grpc://h/a/b?ssl=false").key(KEY));
  }

  @Test
  void malformed() {
    assertRefused("url", ClientOptions.builder("grpc://h h:1").key(KEY));
    assertRefused("url", ClientOptions.builder("").key(KEY));
  }

  @Test
  void unknownOption() {
    IllegalArgumentException e =
        assertRefused("url", ClientOptions.builder("grpc://h:1?tls=false").key(KEY));
    assertTrue(e.getMessage().contains("tls"), e.getMessage());
    // Even an option whose value is the key (a user pasting the key into the URL) is refused
    // without echoing the value.
    assertRefused("url", ClientOptions.builder("grpc://h:1?key=" + KEY).key(KEY));
  }

  @Test
  void sslMaybe() {
    IllegalArgumentException e =
        assertRefused("ssl", ClientOptions.builder("grpc://h:1?ssl=maybe").key(KEY));
    assertTrue(e.getMessage().contains("maybe"), e.getMessage());
    assertRefused("ssl", ClientOptions.builder("grpc://h:1?ssl=").key(KEY));
    assertRefused("ssl", ClientOptions.builder("grpc://h:1?ssl").key(KEY));
  }

  @Test
  void nonPositiveTimeout() {
    assertRefused(
        "call.timeout.seconds",
        ClientOptions.builder("grpc://h:1").key(KEY).callTimeout(Duration.ZERO));
    assertRefused(
        "call.timeout.seconds",
        ClientOptions.builder("grpc://h:1").key(KEY).callTimeout(Duration.ofSeconds(-5)));
  }

  @Test
  void unreadableRootCertificates() {
    Path missing = dir.resolve("missing.pem");
    assertRefused(
        "ssl.root.certificates",
        ClientOptions.builder("grpc://h:1").key(KEY).rootCertificates(missing));
    assertRefused(
        "ssl.root.certificates",
        ClientOptions.builder("grpc://h:1?ssl_root_certificates_path=" + missing).key(KEY));
  }

  @Test
  void badReconnectDelays() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ClientOptions.builder("grpc://h")
                    .key(KEY)
                    .reconnectDelay(Duration.ofSeconds(10), Duration.ofSeconds(1))
                    .build());
    assertNoKey(e);
    IllegalArgumentException zero =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ClientOptions.builder("grpc://h")
                    .key(KEY)
                    .reconnectDelay(Duration.ZERO, Duration.ofSeconds(1))
                    .build());
    assertNoKey(zero);
  }

  @Test
  void keepaliveDefaultsAndLimits() {
    ClientOptions defaults = ClientOptions.builder("grpc://h").key(KEY).build();
    assertEquals(Duration.ofSeconds(60), defaults.keepAliveTime());
    assertEquals(Duration.ofSeconds(20), defaults.keepAliveTimeout());
    IllegalArgumentException tooOften =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ClientOptions.builder("grpc://h")
                    .key(KEY)
                    .keepAlive(Duration.ofSeconds(5), Duration.ofSeconds(1))
                    .build());
    assertTrue(tooOften.getMessage().contains("keepalive.time.seconds"), tooOften.getMessage());
    assertTrue(tooOften.getMessage().contains(">= 10"), tooOften.getMessage());
    IllegalArgumentException noTimeout =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                ClientOptions.builder("grpc://h")
                    .key(KEY)
                    .keepAlive(Duration.ofSeconds(10), Duration.ZERO)
                    .build());
    assertTrue(noTimeout.getMessage().contains("keepalive.timeout.seconds"), noTimeout.getMessage());
    assertNoKey(noTimeout);
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
    ClientOptions base = ClientOptions.builder("grpc://h:9090").key(KEY).build();

    assertTrue(base.sameConnection(base));
    assertTrue(base.sameConnection(ClientOptions.builder("grpc://h:9090").key(KEY).build()));
    // The default port is the same port.
    assertTrue(base.sameConnection(ClientOptions.builder("grpc://h").key(KEY).build()));
    assertTrue(base.sameConnection(ClientOptions.builder("grpc://h?ssl=true").key(KEY).build()));
    // The call timeout does not need a new connection.
    assertTrue(
        base.sameConnection(
            ClientOptions.builder("grpc://h:9090")
                .key(KEY)
                .callTimeout(Duration.ofSeconds(1))
                .build()));

    assertFalse(base.sameConnection(ClientOptions.builder("grpc://other:9090").key(KEY).build()));
    assertFalse(base.sameConnection(ClientOptions.builder("grpc://h:9091").key(KEY).build()));
    assertFalse(
        base.sameConnection(ClientOptions.builder("grpc://h:9090?ssl=false").key(KEY).build()));
    assertFalse(
        base.sameConnection(
            ClientOptions.builder("grpc://h:9090").key(KEY).rootCertificates(pem).build()));
    assertFalse(base.sameConnection(ClientOptions.builder("grpc://h:9090").key("other").build()));
    assertFalse(base.sameConnection(ClientOptions.builder("grpc://h:9090").build()));

    ClientOptions withPem =
        ClientOptions.builder("grpc://h:9090").key(KEY).rootCertificates(pem).build();
    assertTrue(
        withPem.sameConnection(
            ClientOptions.builder("grpc://h:9090?ssl_root_certificates_path=" + pem)
                .key(KEY)
                .build()));
    assertFalse(
        withPem.sameConnection(
            ClientOptions.builder("grpc://h:9090").key(KEY).rootCertificates(other).build()));

    // No key and an empty key are the same.
    assertTrue(
        ClientOptions.builder("grpc://h")
            .build()
            .sameConnection(ClientOptions.builder("grpc://h").key("").build()));
  }
}
