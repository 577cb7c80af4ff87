package io.microgrid.dispatch.server;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Lets a server-streaming method send its response headers before its first message.
 *
 * <p>gRPC's stubs send headers with the first message, so a client of a quiet stream cannot tell
 * that its stream has been accepted. The stream method calls {@link #sendHeaders()} once it has
 * registered the stream; a client that sees the headers then knows that every later change
 * reaches it. The later header send of the stub becomes a no-op.
 */
final class EarlyHeaders implements ServerInterceptor {

  private static final Context.Key<Runnable> SEND = Context.key("dispatch-server-send-headers");

  /** Sends the current streaming call's headers now; a no-op outside such a call. */
  static void sendHeaders() {
    Runnable send = SEND.get();
    if (send != null) {
      send.run();
    }
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    if (call.getMethodDescriptor().getType() != MethodType.SERVER_STREAMING) {
      return next.startCall(call, headers);
    }
    OnceHeaders<ReqT, RespT> once = new OnceHeaders<>(call);
    Context context = Context.current().withValue(SEND, once::sendNow);
    return Contexts.interceptCall(context, once, headers, next);
  }

  /** Sends the headers at most once, whoever asks first. */
  private static final class OnceHeaders<ReqT, RespT>
      extends SimpleForwardingServerCall<ReqT, RespT> {
    private boolean sent;

    OnceHeaders(ServerCall<ReqT, RespT> delegate) {
      super(delegate);
    }

    synchronized void sendNow() {
      sendHeaders(new Metadata());
    }

    @Override
    public synchronized void sendHeaders(Metadata headers) {
      if (!sent) {
        sent = true;
        super.sendHeaders(headers);
      }
    }
  }
}
