package io.microgrid.dispatch.client.testing;

import io.grpc.MethodDescriptor.MethodType;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fails the next unary call with a status chosen by the test, or leaves it unanswered, so error
 * mapping and deadlines of the client can be exercised against a real transport. Streams are left alone: they have their own
 * hook, {@link DispatchTestServer#breakStreams()}.
 */
final class FaultInjector implements ServerInterceptor {

  private final AtomicReference<Status> nextUnaryFailure = new AtomicReference<>();
  private final java.util.concurrent.atomic.AtomicBoolean stallNextUnary =
      new java.util.concurrent.atomic.AtomicBoolean();

  /** The next unary call is accepted and never answered: only the client's deadline ends it. */
  void stallNextCall() {
    stallNextUnary.set(true);
  }

  void failNextCall(Status status) {
    Objects.requireNonNull(status, "status");
    if (status.isOk()) {
      throw new IllegalArgumentException("an OK status is not a failure");
    }
    nextUnaryFailure.set(status);
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (call.getMethodDescriptor().getType() == MethodType.UNARY) {
      // getAndSet: exactly one call consumes the failure even when calls race.
      Status failure = nextUnaryFailure.getAndSet(null);
      if (failure != null) {
        call.close(failure, new Metadata());
        return new ServerCall.Listener<>() {};
      }
      if (stallNextUnary.getAndSet(false)) {
        return new ServerCall.Listener<>() {};
      }
    }
    return next.startCall(call, headers);
  }
}
