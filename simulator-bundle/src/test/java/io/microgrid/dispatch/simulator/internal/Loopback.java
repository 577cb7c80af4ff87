package io.microgrid.dispatch.simulator.internal;

import io.microgrid.dispatch.server.KeyCheck;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.okhttp.OkHttpChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.protocol.MicrogridDispatchServiceGrpc;
import io.microgrid.dispatch.protocol.MicrogridDispatchServiceGrpc.MicrogridDispatchServiceBlockingStub;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.function.Executable;

/** What the tests need to talk to a simulator over loopback: the real client, or raw gRPC. */
final class Loopback {

  private Loopback() {}

  /** Options of the project's real client for a simulator on 127.0.0.1. */
  static ClientOptions clientOptions(int port, String key) {
    return ClientOptions.builder("grpc://127.0.0.1:" + port + "?ssl=false")
        .key(key)
        .callTimeout(Duration.ofSeconds(10))
        .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
        .build();
  }

  /** A dispatch an hour from now, for 15 minutes, on components 1 and 2. */
  static NewDispatch.Builder newDispatch(String type) {
    return newDispatch(type, TargetComponents.ids(1, 2));
  }

  /** A dispatch an hour from now, for 15 minutes, on {@code target}. */
  static NewDispatch.Builder newDispatch(String type, TargetComponents target) {
    return NewDispatch.builder(type, target)
        .startTime(Instant.now().plus(Duration.ofHours(1)))
        .duration(Duration.ofMinutes(15));
  }

  /** A plaintext channel, for requests that the real client refuses to send. */
  static ManagedChannel channel(int port) {
    return OkHttpChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
  }

  static MicrogridDispatchServiceBlockingStub stub(ManagedChannel channel, String key) {
    MicrogridDispatchServiceBlockingStub stub =
        MicrogridDispatchServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    if (key == null) {
      return stub;
    }
    Metadata headers = new Metadata();
    headers.put(KeyCheck.KEY_HEADER, key);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  static void close(ManagedChannel channel) throws InterruptedException {
    channel.shutdownNow();
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Asserts that a raw call fails with {@code code}; returns the status description. */
  static String assertStatus(Status.Code code, Executable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(code, e.getStatus().getCode(), () -> "status: " + e.getStatus());
    return e.getStatus().getDescription();
  }
}
