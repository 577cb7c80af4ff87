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
 * Fails the next unary call with a status chosen by the test, so retry and error mapping of the
 * client can be exercised against a real transport. Streams are left alone: they have their own
 * hook, {@link DispatchTestServer#breakStreams()}.
 */
final class FaultInjector implements ServerInterceptor {

  private final AtomicReference<Status> nextUnaryFailure = new AtomicReference<>();

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
    }
    return next.startCall(call, headers);
  }
}
