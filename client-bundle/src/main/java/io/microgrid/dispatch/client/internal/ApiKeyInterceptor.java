package io.microgrid.dispatch.client.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/** Puts the API key into the metadata {@code key} of every call, streams included. */
final class ApiKeyInterceptor implements ClientInterceptor {
  static final Metadata.Key<String> KEY = Metadata.Key.of("key", Metadata.ASCII_STRING_MARSHALLER);

  private final String key;

  ApiKeyInterceptor(String key) {
    this.key = key;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        headers.put(KEY, key);
        super.start(listener, headers);
      }
    };
  }

  @Override
  public String toString() {
    return "ApiKeyInterceptor[key=(set)]";
  }
}
