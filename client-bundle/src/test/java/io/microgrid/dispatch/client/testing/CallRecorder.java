package io.microgrid.dispatch.client.testing;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.microgrid.dispatch.server.KeyCheck;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Records the method and the {@code key} header of every call that reaches the server, and the
 * request messages, which show what the client put on the wire. It runs before the key and
 * signature checks, so refused calls show up too.
 */
final class CallRecorder implements ServerInterceptor {

  private final List<RecordedCall> calls = new CopyOnWriteArrayList<>();
  private final List<Object> requests = new CopyOnWriteArrayList<>();

  List<Object> requests() {
    return List.copyOf(requests);
  }

  List<RecordedCall> calls() {
    return List.copyOf(calls);
  }

  void clear() {
    calls.clear();
    requests.clear();
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    calls.add(
        new RecordedCall(call.getMethodDescriptor().getFullMethodName(), headers.get(KeyCheck.KEY_HEADER)));
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(
        next.startCall(call, headers)) {
      @Override
      public void onMessage(ReqT message) {
        requests.add(message);
        super.onMessage(message);
      }
    };
  }
}
