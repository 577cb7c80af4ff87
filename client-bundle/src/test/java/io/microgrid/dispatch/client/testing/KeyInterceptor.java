package io.microgrid.dispatch.client.testing;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the {@code key} header of every call and, when a key is required, refuses calls that
 * do not carry exactly that key, as the real API does with UNAUTHENTICATED.
 *
 * <p>Both happen before the service or a stream sees the call, so a stream opened without the key
 * is never registered and every call, refused or not, shows up in {@link #calls()}.
 */
final class KeyInterceptor implements ServerInterceptor {

  static final Metadata.Key<String> KEY_HEADER =
      Metadata.Key.of("key", Metadata.ASCII_STRING_MARSHALLER);

  private final List<RecordedCall> calls = new CopyOnWriteArrayList<>();
  // Volatile: a test may change the required key while calls arrive on gRPC's threads.
  private volatile String requiredKey;

  KeyInterceptor(String requiredKey) {
    this.requiredKey = requiredKey;
  }

  void requireKey(String keyOrNull) {
    this.requiredKey = keyOrNull;
  }

  List<RecordedCall> calls() {
    return List.copyOf(calls);
  }

  void clearCalls() {
    calls.clear();
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String sent = headers.get(KEY_HEADER);
    calls.add(new RecordedCall(call.getMethodDescriptor().getFullMethodName(), sent));
    String required = requiredKey;
    if (required != null && !required.equals(sent)) {
      // The description names neither the expected nor the sent key.
      call.close(Status.UNAUTHENTICATED.withDescription("missing or invalid API key"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
