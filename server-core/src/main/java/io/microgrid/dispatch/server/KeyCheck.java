package io.microgrid.dispatch.server;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Refuses, with UNAUTHENTICATED, every call whose metadata {@code key} is not the configured API
 * key, when one is configured. The key can change while the server runs; it is never logged, and
 * the refusal names neither the expected nor the sent key.
 */
public final class KeyCheck implements ServerInterceptor {

  public static final Metadata.Key<String> KEY_HEADER =
      Metadata.Key.of("key", Metadata.ASCII_STRING_MARSHALLER);

  // Volatile: a reconfiguration changes it while calls arrive on gRPC's threads. Null: no key.
  private volatile byte[] required;

  KeyCheck(String keyOrNull) {
    require(keyOrNull);
  }

  void require(String keyOrNull) {
    this.required = keyOrNull == null ? null : keyOrNull.getBytes(StandardCharsets.UTF_8);
  }

  boolean required() {
    return required != null;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    byte[] expected = required;
    if (expected != null) {
      String sent = headers.get(KEY_HEADER);
      // Constant time, so that the key cannot be guessed byte by byte from response times.
      if (sent == null || !MessageDigest.isEqual(expected, sent.getBytes(StandardCharsets.UTF_8))) {
        call.close(Status.UNAUTHENTICATED.withDescription("missing or invalid API key"), new Metadata());
        return new ServerCall.Listener<>() {};
      }
    }
    return next.startCall(call, headers);
  }
}
