package io.microgrid.dispatch.client.testing;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.grpc.okhttp.OkHttpServerBuilder;
import io.microgrid.dispatch.protocol.Dispatch;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A real gRPC server on 127.0.0.1 that behaves like the Frequenz Dispatch API, for tests of the
 * client: in-memory dispatches per microgrid, the API's rules, live streams, an optional required
 * API key and hooks to break streams, inject failures and store malformed data.
 *
 * <p>Built on grpc-okhttp only (no netty), so the same class can run inside an OSGi framework next
 * to the client bundle.
 *
 * <pre>{@code
 * try (DispatchTestServer server = DispatchTestServer.start("test-key")) {
 *   // point the client at 127.0.0.1:server.port()
 * }
 * }</pre>
 */
public final class DispatchTestServer implements AutoCloseable {

  /** The only address the server listens on. */
  public static final String HOST = "127.0.0.1";

  private final Server server;
  private final KeyInterceptor keys;
  private final FaultInjector faults;
  private final SignatureCheck signatures;
  private final StreamHub streams;
  private final DispatchStore store;

  private DispatchTestServer(ServerCredentials credentials, String requiredKey, Clock clock)
      throws IOException {
    this.keys = new KeyInterceptor(requiredKey);
    this.faults = new FaultInjector();
    this.signatures = new SignatureCheck(clock);
    this.streams = new StreamHub();
    this.store = new DispatchStore(clock, streams);
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName(HOST), 0);
    this.server =
        OkHttpServerBuilder.forPort(loopback, credentials)
            // Clients ping at gRPC's minimum of 10 s at the most; a server that permitted less
            // would answer their keepalive with GOAWAY (too_many_pings).
            .permitKeepAliveTime(5, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            // The last interceptor runs first: authentication and signature before fault
            // injection, so a refused call does not use up a failure meant for the next real call.
            .addService(
                ServerInterceptors.intercept(
                    new DispatchTestService(store, streams), faults, signatures, keys))
            .build()
            .start();
  }

  /** Plaintext, no key required, system UTC clock. */
  public static DispatchTestServer start() throws IOException {
    return start(null);
  }

  /** Plaintext; every call must carry {@code requiredKey} in header {@code key} (null: none). */
  public static DispatchTestServer start(String requiredKey) throws IOException {
    return start(requiredKey, Clock.systemUTC());
  }

  /** Plaintext, with the clock that sets create/modification times and judges "in the past". */
  public static DispatchTestServer start(String requiredKey, Clock clock) throws IOException {
    return new DispatchTestServer(InsecureServerCredentials.create(), requiredKey, clock);
  }

  /** TLS with the given PEM certificate chain and PKCS#8 PEM private key, no key required. */
  public static DispatchTestServer startTls(Path certChainPem, Path privateKeyPem)
      throws IOException {
    return startTls(certChainPem, privateKeyPem, null);
  }

  /** TLS; every call must carry {@code requiredKey} in header {@code key} (null: none). */
  public static DispatchTestServer startTls(Path certChainPem, Path privateKeyPem, String requiredKey)
      throws IOException {
    return startTls(certChainPem, privateKeyPem, requiredKey, Clock.systemUTC());
  }

  /** TLS, with the clock that sets create/modification times and judges "in the past". */
  public static DispatchTestServer startTls(
      Path certChainPem, Path privateKeyPem, String requiredKey, Clock clock) throws IOException {
    ServerCredentials credentials =
        TlsServerCredentials.create(certChainPem.toFile(), privateKeyPem.toFile());
    return new DispatchTestServer(credentials, requiredKey, clock);
  }

  /** The ephemeral port the server listens on, on {@link #HOST}. */
  public int port() {
    return server.getPort();
  }

  /** {@code 127.0.0.1:<port>}, ready for a channel builder's forTarget. */
  public String target() {
    return HOST + ":" + port();
  }

  /** Changes the required API key for calls from now on; null accepts calls without a key. */
  public void requireKey(String keyOrNull) {
    keys.requireKey(keyOrNull);
  }

  /**
   * Requires every call from now on to carry a valid request signature made with {@code secret}
   * (null: none needed); calls without one are refused with UNAUTHENTICATED.
   */
  public void requireSignature(String secretOrNull) {
    signatures.requireSignature(secretOrNull);
  }

  /** How many calls carried a valid signature while one was required. */
  public int signedCalls() {
    return signatures.verified();
  }

  /** Every call so far, in arrival order, including refused ones. */
  public List<RecordedCall> calls() {
    return keys.calls();
  }

  public void clearCalls() {
    keys.clearCalls();
  }

  /** Makes the next unary call (after authentication) fail with {@code status}. */
  public void failNextCall(Status status) {
    faults.failNextCall(status);
  }

  /** Makes the next unary call hang unanswered, for deadline tests. */
  public void stallNextCall() {
    faults.stallNextCall();
  }

  /** Ends every open stream, of every microgrid, with UNAVAILABLE. Returns how many it ended. */
  public int breakStreams() {
    return streams.breakAll("stream broken by the test");
  }

  /**
   * Starts or ends an outage of the stream side: open streams are broken and new ones refused
   * with UNAVAILABLE until it ends, so changes made meanwhile reach no stream. Unary calls work.
   */
  public void streamOutage(boolean on) {
    streams.outage(on);
  }

  /**
   * Stores {@code dispatch} as-is under its own id (replacing one with that id), skipping every
   * rule, so tests can feed malformed data; open streams get CREATED (or UPDATED on replace).
   */
  public void putRaw(long microgridId, Dispatch dispatch) {
    store.putRaw(microgridId, Objects.requireNonNull(dispatch, "dispatch"));
  }

  /** Pushes {@code message} unchanged to every open stream of the microgrid; the store is untouched. */
  public void sendRaw(long microgridId, StreamMicrogridDispatchesResponse message) {
    streams.publish(microgridId, Objects.requireNonNull(message, "message"));
  }

  public int openStreams(long microgridId) {
    return streams.count(microgridId);
  }

  /**
   * Waits until exactly {@code n} streams of the microgrid are open (0 waits for all to close).
   *
   * @throws AssertionError if that does not happen within {@code timeout}
   */
  public void awaitOpenStreams(long microgridId, int n, Duration timeout)
      throws InterruptedException {
    streams.awaitCount(microgridId, n, timeout);
  }

  /** The stored dispatches of the microgrid, by ascending id. */
  public List<Dispatch> store(long microgridId) {
    return store.list(microgridId);
  }

  /**
   * Stops the server. Open streams first end with UNAVAILABLE, as when a real server goes away:
   * a bare {@code shutdownNow()} would reset them and the client would see CANCELLED instead,
   * which a client must not treat as "the server is gone". Calls still running after a short
   * grace period are then cut off.
   */
  @Override
  public void close() {
    streams.breakAll("server shutting down");
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
        if (!server.awaitTermination(10, TimeUnit.SECONDS)) {
          throw new IllegalStateException("test server did not stop within 12 s");
        }
      }
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
