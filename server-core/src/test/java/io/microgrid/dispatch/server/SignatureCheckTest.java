package io.microgrid.dispatch.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.okhttp.OkHttpChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesRequest;
import io.microgrid.dispatch.protocol.MicrogridDispatchServiceGrpc;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesRequest;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import io.microgrid.dispatch.testing.VirtualClock;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The signature check of a server that requires signatures, over loopback gRPC, with the wire
 * protocol's test vector (as Python's {@code frequenz-client-base} signs) and a server clock set
 * to the vector's time.
 */
class SignatureCheckTest {
  private static final String SECRET = "test-secret";
  private static final String KEY = "test-key";
  private static final Instant TS = Instant.ofEpochSecond(1_767_225_600L);
  private static final String NONCE = "AAECAwQFBgcICQoLDA0ODw==";
  private static final String LIST_SIG = "GoeJsv3c9IJ9FyBsJ6FD9_8SUCJcMc9q-6YhFiS9CjU";
  private static final String STREAM_SIG = "6JjysepNUNU3S4eHTW9X-VKwyivDq-TsWCaJifnp78A";
  private static final long MICROGRID = 7;

  private final VirtualClock clock = new VirtualClock(TS);
  private DispatchApi api;
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    api = new DispatchApi(clock, DispatchStore.Contents.EMPTY, null, KEY, SECRET);
    server =
        api.listen(new InetSocketAddress("127.0.0.1", 0), InsecureServerCredentials.create());
    channel = OkHttpChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow();
    api.stop(server, "test over");
    channel.awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Headers as a client sends them; a null value leaves that header out. */
  private static Metadata headers(String ts, String nonce, String sig) {
    Metadata h = new Metadata();
    h.put(KeyCheck.KEY_HEADER, KEY);
    if (ts != null) {
      h.put(SignatureCheck.TS, ts);
    }
    if (nonce != null) {
      h.put(SignatureCheck.NONCE, nonce);
    }
    if (sig != null) {
      h.put(SignatureCheck.SIG, sig);
    }
    return h;
  }

  private int list(Metadata headers) {
    return MicrogridDispatchServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(10, TimeUnit.SECONDS)
        .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
        .listMicrogridDispatches(
            ListMicrogridDispatchesRequest.newBuilder().setMicrogridId(MICROGRID).build())
        .getDispatchesCount();
  }

  /** Asserts that the call is refused with UNAUTHENTICATED; returns the description. */
  private static String refused(Executable call) {
    StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call);
    assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode(), e.getStatus()::toString);
    String description = e.getStatus().getDescription();
    assertFalse(description.contains(SECRET), description);
    return description;
  }

  /** An independent oracle, HMAC-SHA256 as the spec writes it, for headers beyond the vector. */
  private static String sign(String ts, String nonce, String method) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((KEY + ts + nonce + method).getBytes(StandardCharsets.UTF_8));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
  }

  @Test
  void theTestVectorIsAcceptedForTheListCall() {
    assertEquals(0, list(headers("1767225600", NONCE, LIST_SIG)));
  }

  @Test
  void theTestVectorIsAcceptedForTheStream() throws Exception {
    CompletableFuture<Status> ended = new CompletableFuture<>();
    MicrogridDispatchServiceGrpc.newStub(channel)
        .withInterceptors(
            MetadataUtils.newAttachHeadersInterceptor(headers("1767225600", NONCE, STREAM_SIG)))
        .streamMicrogridDispatches(
            StreamMicrogridDispatchesRequest.newBuilder().setMicrogridId(MICROGRID).build(),
            new StreamObserver<StreamMicrogridDispatchesResponse>() {
              @Override
              public void onNext(StreamMicrogridDispatchesResponse value) {}

              @Override
              public void onError(Throwable t) {
                ended.complete(Status.fromThrowable(t));
              }

              @Override
              public void onCompleted() {
                ended.complete(Status.OK);
              }
            });
    // An accepted stream stays open on the server; a refused one would end at once.
    assertTrue(
        api.streams().awaitCount(MICROGRID, 1, Duration.ofSeconds(10)),
        () -> "stream ended: " + ended.getNow(null));
    assertFalse(ended.isDone());
  }

  @Test
  void theListSignatureDoesNotPassForAnotherMethod() {
    // The method name is signed: the stream's signature does not authorise a list.
    String description = refused(() -> list(headers("1767225600", NONCE, STREAM_SIG)));
    assertTrue(description.contains("sig does not match"), description);
  }

  @Test
  void aWrongSignatureIsRefusedWithoutShowingTheExpectedOne() {
    String description =
        refused(() -> list(headers("1767225600", NONCE, "AAAA" + LIST_SIG.substring(4))));
    assertTrue(description.contains("sig does not match"), description);
    assertFalse(description.contains(LIST_SIG), description);
    // The old, padded encoding of the same MAC is not the scheme either.
    String padded = refused(() -> list(headers("1767225600", NONCE, LIST_SIG + "=")));
    assertTrue(padded.contains("sig does not match"), padded);
  }

  @Test
  void aTimeWithinFiveMinutesPassesAndBeyondIsRefused() throws Exception {
    // The vector's ts, five minutes behind the server's clock: still accepted.
    clock.set(TS.plusSeconds(300));
    assertEquals(0, list(headers("1767225600", NONCE, LIST_SIG)));

    // One second more, behind or ahead of the server's clock: refused, though signed correctly.
    String nonce = "EBESExQVFhcYGRobHB0eHw==";
    String behind = Long.toString(TS.getEpochSecond() - 1);
    String late =
        refused(() -> list(headers(behind, nonce, sign(behind, nonce, "ListMicrogridDispatches"))));
    assertTrue(late.contains("ts is more than 300 s"), late);
    String ahead = Long.toString(TS.getEpochSecond() + 300 + 301);
    String early =
        refused(() -> list(headers(ahead, nonce, sign(ahead, nonce, "ListMicrogridDispatches"))));
    assertTrue(early.contains("ts is more than 300 s"), early);
  }

  @Test
  void aReplayedNonceIsRefused() {
    Metadata vector = headers("1767225600", NONCE, LIST_SIG);
    assertEquals(0, list(vector));
    String description = refused(() -> list(vector));
    assertTrue(description.contains("nonce was used before"), description);
  }

  @Test
  void missingOrMalformedHeadersAreRefused() throws Exception {
    String required = "ts, nonce and sig are required";
    assertTrue(refused(() -> list(headers(null, NONCE, LIST_SIG))).contains(required));
    assertTrue(refused(() -> list(headers("1767225600", null, LIST_SIG))).contains(required));
    assertTrue(refused(() -> list(headers("1767225600", NONCE, null))).contains(required));
    Metadata keyOnly = new Metadata();
    keyOnly.put(KeyCheck.KEY_HEADER, KEY);
    assertTrue(refused(() -> list(keyOnly)).contains(required));

    String plus = "+1767225600";
    String signedPlus = sign(plus, NONCE, "ListMicrogridDispatches");
    assertTrue(refused(() -> list(headers(plus, NONCE, signedPlus))).contains("ts must be"));
    String shortNonce = "AAECAwQFBgcICQoLDA0O";
    String signedShort = sign("1767225600", shortNonce, "ListMicrogridDispatches");
    assertTrue(
        refused(() -> list(headers("1767225600", shortNonce, signedShort))).contains("nonce must be"));
  }
}
