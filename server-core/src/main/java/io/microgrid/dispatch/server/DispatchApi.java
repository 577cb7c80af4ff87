package io.microgrid.dispatch.server;

import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.okhttp.OkHttpServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * One in-memory Dispatch API: the six methods of {@code
 * frequenz.api.dispatch.v1.MicrogridDispatchService} over a {@link DispatchStore}, the open
 * streams, and the API key and request signature checks, ready to listen on a gRPC server
 * (grpc-okhttp, so that it also runs inside an OSGi framework). The simulator bundle and the
 * client's loopback test server are both this, each with what it adds around it.
 *
 * <p>The key and the signing secret can change while it listens; the store and the streams stay
 * when it moves to another address.
 */
public final class DispatchApi {

  /** Ways to see or alter calls around the checks, for a server that adds to the API. */
  public record Interceptors(List<ServerInterceptor> beforeChecks, List<ServerInterceptor> afterChecks) {
    /** Nothing added. */
    public static final Interceptors NONE = new Interceptors(List.of(), List.of());

    /**
     * @param beforeChecks see every call first, refused ones too, in this order
     * @param afterChecks see only calls with a valid key and signature, in this order
     */
    public Interceptors {
      beforeChecks = List.copyOf(beforeChecks);
      afterChecks = List.copyOf(afterChecks);
    }
  }

  private final StreamHub streams;
  private final DispatchStore store;
  private final KeyCheck keys;
  private final SignatureCheck signatures;

  /**
   * @param clock judges "in the past", stamps creations and changes, and checks signature times
   * @param restored what the store holds at first
   * @param saver where every change is saved, or null to keep the store in memory only
   * @param keyOrNull the API key every call must carry, or null for none
   * @param signSecretOrNull the secret every call must be signed with, or null for none
   */
  public DispatchApi(
      Clock clock,
      DispatchStore.Contents restored,
      DispatchStore.Saver saver,
      String keyOrNull,
      String signSecretOrNull) {
    this.streams = new StreamHub();
    this.store = new DispatchStore(clock, streams, restored, saver);
    this.keys = new KeyCheck(keyOrNull);
    this.signatures = new SignatureCheck(signSecretOrNull, clock);
  }

  /** An API in memory only, empty, without key or signature. */
  public static DispatchApi inMemory(Clock clock) {
    return new DispatchApi(clock, DispatchStore.Contents.EMPTY, null, null, null);
  }

  public DispatchStore store() {
    return store;
  }

  public StreamHub streams() {
    return streams;
  }

  /** Changes the API key required from the next call on; null accepts calls without a key. */
  public void requireKey(String keyOrNull) {
    keys.require(keyOrNull);
  }

  public boolean keyRequired() {
    return keys.required();
  }

  /** Changes the signing secret required from the next call on; null: calls need no signature. */
  public void requireSignature(String secretOrNull) {
    signatures.require(secretOrNull);
  }

  public boolean signatureRequired() {
    return signatures.required();
  }

  /** Starts a server with the API alone on {@code address}. */
  public Server listen(InetSocketAddress address, ServerCredentials credentials) throws IOException {
    return listen(address, credentials, Interceptors.NONE);
  }

  /**
   * Starts a server on {@code address} with the API and the given interceptors around it.
   *
   * @throws IOException when the server cannot listen there
   */
  public Server listen(
      InetSocketAddress address, ServerCredentials credentials, Interceptors around)
      throws IOException {
    // ServerInterceptors.intercept runs the last interceptor first, so the list is innermost first.
    List<ServerInterceptor> chain = new ArrayList<>();
    chain.add(new EarlyHeaders());
    chain.addAll(reversed(around.afterChecks()));
    chain.add(signatures);
    chain.add(keys);
    chain.addAll(reversed(around.beforeChecks()));
    ServerServiceDefinition service =
        ServerInterceptors.intercept(new DispatchService(store, streams), chain);
    return OkHttpServerBuilder.forPort(Objects.requireNonNull(address, "address"), credentials)
        // Clients ping at gRPC's minimum of 10 s at the most; a server that permitted less would
        // end their connections with GOAWAY (too_many_pings).
        .permitKeepAliveTime(5, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true)
        .addService(service)
        .build()
        .start();
  }

  /**
   * Stops a server started by {@link #listen}. Open streams first end with UNAVAILABLE, as when a
   * real server goes away: a bare {@code shutdownNow()} would reset them and clients would see
   * CANCELLED, which a client must not take for "the server is gone". Calls still running after
   * a grace period of two seconds are then cut off.
   *
   * @param why says in the streams' status why they end
   * @return whether the server stopped in time
   */
  public boolean stop(Server server, String why) {
    streams.closeAll(Status.UNAVAILABLE.withDescription(why));
    server.shutdown();
    try {
      if (!server.awaitTermination(2, TimeUnit.SECONDS)) {
        server.shutdownNow();
        return server.awaitTermination(10, TimeUnit.SECONDS);
      }
      return true;
    } catch (InterruptedException e) {
      server.shutdownNow();
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static List<ServerInterceptor> reversed(List<ServerInterceptor> interceptors) {
    List<ServerInterceptor> copy = new ArrayList<>(interceptors);
    Collections.reverse(copy);
    return copy;
  }
}
