package io.microgrid.dispatch.client.testing;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Fails the next unary call with a status chosen by the test, or leaves it unanswered, and refuses
 * streams during an outage, so that the client's error mapping, deadlines and reconnection can be
 * exercised against a real transport. It runs after the key and signature checks, so that a
 * refused call does not use up a failure meant for the next real call.
 */
final class FaultInjector implements ServerInterceptor {

  static final String OUTAGE = "stream service down (test outage)";

  private final AtomicReference<Status> nextUnaryFailure = new AtomicReference<>();
  private final AtomicBoolean stallNextUnary = new AtomicBoolean();
  private volatile boolean streamOutage;

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

  /** While on, new streams are refused with UNAVAILABLE, as by a server whose stream side is down. */
  void streamOutage(boolean on) {
    streamOutage = on;
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
    } else if (streamOutage) {
      call.close(Status.UNAVAILABLE.withDescription(OUTAGE), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
