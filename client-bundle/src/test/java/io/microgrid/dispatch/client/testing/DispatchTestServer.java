package io.microgrid.dispatch.client.testing;

import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.TlsServerCredentials;
import io.microgrid.dispatch.protocol.Dispatch;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import io.microgrid.dispatch.server.DispatchApi;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real gRPC server on 127.0.0.1 that behaves like the Frequenz Dispatch API, for tests of the
 * client: server-core's {@link DispatchApi} (in-memory dispatches per microgrid, the API's rules,
 * live streams, the key and signature checks) plus what only tests need: a record of every call,
 * hooks to break streams and inject failures, and a way to store malformed data.
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

  private final DispatchApi api;
  private final CallRecorder recorder = new CallRecorder();
  private final FaultInjector faults = new FaultInjector();
  private final AtomicInteger signedCalls = new AtomicInteger();
  private final Server server;

  private DispatchTestServer(ServerCredentials credentials, String requiredKey, Clock clock)
      throws IOException {
    this.api = DispatchApi.inMemory(clock);
    api.requireKey(requiredKey);
    this.server =
        api.listen(
            new InetSocketAddress(InetAddress.getByName(HOST), 0),
            credentials,
            new DispatchApi.Interceptors(List.of(recorder), List.of(new SignedCalls(), faults)));
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
    api.requireKey(keyOrNull);
  }

  /**
   * Requires every call from now on to carry a valid request signature made with {@code secret}
   * (null: none needed); calls without one are refused with UNAUTHENTICATED.
   */
  public void requireSignature(String secretOrNull) {
    api.requireSignature(secretOrNull);
  }

  /** How many calls carried a valid signature while one was required. */
  public int signedCalls() {
    return signedCalls.get();
  }

  /** Every call so far, in arrival order, including refused ones. */
  public List<RecordedCall> calls() {
    return recorder.calls();
  }

  /** The request messages of that type that reached the server so far, in arrival order. */
  public <T> List<T> requests(Class<T> type) {
    return recorder.requests().stream().filter(type::isInstance).map(type::cast).toList();
  }

  public void clearCalls() {
    recorder.clear();
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
    return api.streams().closeAll(Status.UNAVAILABLE.withDescription("stream broken by the test"));
  }

  /**
   * Starts or ends an outage of the stream side: open streams are broken and new ones refused
   * with UNAVAILABLE until it ends, so changes made meanwhile reach no stream. Unary calls work.
   */
  public void streamOutage(boolean on) {
    faults.streamOutage(on);
    if (on) {
      api.streams().closeAll(Status.UNAVAILABLE.withDescription(FaultInjector.OUTAGE));
    }
  }

  /**
   * Stores {@code dispatch} as-is under its own id (replacing one with that id), skipping every
   * rule, so tests can feed malformed data; open streams get CREATED (or UPDATED on replace).
   */
  public void putRaw(long microgridId, Dispatch dispatch) {
    api.store().putUnchecked(microgridId, Objects.requireNonNull(dispatch, "dispatch"));
  }

  /** Pushes {@code message} unchanged to every open stream of the microgrid; the store is untouched. */
  public void sendRaw(long microgridId, StreamMicrogridDispatchesResponse message) {
    api.streams().publish(microgridId, Objects.requireNonNull(message, "message"));
  }

  public int openStreams(long microgridId) {
    return api.streams().count(microgridId);
  }

  /**
   * Waits until exactly {@code n} streams of the microgrid are open (0 waits for all to close).
   *
   * @throws AssertionError if that does not happen within {@code timeout}
   */
  public void awaitOpenStreams(long microgridId, int n, Duration timeout)
      throws InterruptedException {
    if (!api.streams().awaitCount(microgridId, n, timeout)) {
      throw new AssertionError(
          "expected " + n + " open stream(s) for microgrid " + microgridId + " within " + timeout
              + ", but " + openStreams(microgridId) + " are open");
    }
  }

  /** The stored dispatches of the microgrid, by ascending id. */
  public List<Dispatch> store(long microgridId) {
    return api.store().list(microgridId);
  }

  /**
   * Stops the server. Open streams first end with UNAVAILABLE, as when a real server goes away;
   * calls still running after a short grace period are then cut off.
   */
  @Override
  public void close() {
    if (!api.stop(server, "server shutting down") && !Thread.currentThread().isInterrupted()) {
      throw new IllegalStateException("test server did not stop within 12 s");
    }
  }

  /** Counts the calls that passed the checks while a signature was required. */
  private final class SignedCalls implements ServerInterceptor {
    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
        ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
      if (api.signatureRequired()) {
        signedCalls.incrementAndGet();
      }
      return next.startCall(call, headers);
    }
  }
}
