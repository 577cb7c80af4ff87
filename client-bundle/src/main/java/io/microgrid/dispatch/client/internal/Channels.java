package io.microgrid.dispatch.client.internal;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.TlsChannelCredentials;
import io.grpc.okhttp.OkHttpChannelBuilder;
import io.microgrid.dispatch.client.ClientOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * Builds the gRPC channel for a set of options. The okhttp builder is called directly, so no
 * channel provider is looked up through ServiceLoader (which a bundle class loader may not see).
 */
public final class Channels {
  private Channels() {}

  /**
   * Opens a channel. The connection itself is made lazily by the first call.
   *
   * @param options where and how to connect
   * @return the channel
   * @throws IllegalArgumentException when the root certificates cannot be read
   */
  public static ManagedChannel open(ClientOptions options) {
    OkHttpChannelBuilder builder =
        OkHttpChannelBuilder.forAddress(options.host(), options.port(), credentials(options));
    // A stream can sit idle for hours between events; without pings a connection that died
    // silently (NAT timeout, pulled cable) would keep it "connected" and deaf. Only live calls
    // ping: a gateway always has its stream open, and idle channels do not annoy the server.
    builder
        .keepAliveTime(options.keepAliveTime().toNanos(), TimeUnit.NANOSECONDS)
        .keepAliveTimeout(options.keepAliveTimeout().toNanos(), TimeUnit.NANOSECONDS)
        .keepAliveWithoutCalls(false);
    // intercept() runs the last interceptor first; the signer does not depend on the key header.
    if (!options.signSecret().isEmpty()) {
      builder.intercept(new RequestSigner(options.signSecret(), options.key(), Clock.systemUTC()));
    }
    if (!options.key().isEmpty()) {
      builder.intercept(new ApiKeyInterceptor(options.key()));
    }
    return builder.build();
  }

  /**
   * Keeps request headers out of gRPC's frame trace while a connection is open; each call must be
   * matched by one {@link #stopHeaderLogRedaction()}.
   */
  public static void startHeaderLogRedaction() {
    HeaderLogRedaction.install();
  }

  /**
   * Ends one {@link #startHeaderLogRedaction()}: after the last, the frame logger has the filter it
   * had before, and holds nothing of this bundle.
   */
  public static void stopHeaderLogRedaction() {
    HeaderLogRedaction.uninstall();
  }

  private static ChannelCredentials credentials(ClientOptions options) {
    if (!options.tls()) {
      return InsecureChannelCredentials.create();
    }
    if (options.rootCertificates().isEmpty()) {
      return TlsChannelCredentials.create();
    }
    try {
      return TlsChannelCredentials.newBuilder()
          .trustManager(options.rootCertificates().get().toFile())
          .build();
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "ssl.root.certificates '"
              + options.rootCertificates().get()
              + "' cannot be read as PEM certificates: "
              + e.getMessage(),
          e);
    }
  }
}
