package io.microgrid.dispatch.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.microgrid.dispatch.protocol.MicrogridDispatchServiceGrpc;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The signature scheme against the test vector of the wire protocol (computed with Python's
 * {@code hmac} and {@code base64}, as {@code frequenz-client-base} signs): a server that checks
 * Frequenz's signatures accepts exactly these headers.
 */
class RequestSignerTest {
  private static final Clock JAN_1_2026 =
      Clock.fixed(Instant.ofEpochSecond(1_767_225_600L), ZoneOffset.UTC);

  /** The nonce bytes 0x00..0x0f. */
  private static void countingNonce(byte[] nonce) {
    for (int i = 0; i < nonce.length; i++) {
      nonce[i] = (byte) i;
    }
  }

  private static <Q, R> Metadata sentHeaders(MethodDescriptor<Q, R> method) {
    RequestSigner signer =
        new RequestSigner("test-secret", "test-key", JAN_1_2026, RequestSignerTest::countingNonce);
    List<Metadata> sent = new ArrayList<>();
    // The channel below the signer only records what the signer hands it: the headers as sent.
    Channel recording =
        new Channel() {
          @Override
          public <A, B> ClientCall<A, B> newCall(MethodDescriptor<A, B> m, CallOptions o) {
            return new ClientCall<>() {
              @Override
              public void start(Listener<B> listener, Metadata headers) {
                sent.add(headers);
              }

              @Override
              public void request(int n) {}

              @Override
              public void cancel(String message, Throwable cause) {}

              @Override
              public void halfClose() {}

              @Override
              public void sendMessage(A message) {}
            };
          }

          @Override
          public String authority() {
            return "test";
          }
        };
    signer
        .interceptCall(method, CallOptions.DEFAULT, recording)
        .start(new ClientCall.Listener<R>() {}, new Metadata());
    assertEquals(1, sent.size());
    return sent.get(0);
  }

  @Test
  void aListCallCarriesTheTestVectorsHeaders() {
    Metadata h = sentHeaders(MicrogridDispatchServiceGrpc.getListMicrogridDispatchesMethod());
    assertEquals("1767225600", h.get(RequestSigner.TS));
    assertEquals("AAECAwQFBgcICQoLDA0ODw==", h.get(RequestSigner.NONCE));
    assertEquals("GoeJsv3c9IJ9FyBsJ6FD9_8SUCJcMc9q-6YhFiS9CjU", h.get(RequestSigner.SIG));
    // These three plain ASCII headers and nothing else: no binary headers beside them.
    assertEquals(Set.of("ts", "nonce", "sig"), h.keys());
  }

  @Test
  void theStreamIsSignedWithItsOwnMethodName() {
    Metadata h = sentHeaders(MicrogridDispatchServiceGrpc.getStreamMicrogridDispatchesMethod());
    assertEquals("1767225600", h.get(RequestSigner.TS));
    assertEquals("AAECAwQFBgcICQoLDA0ODw==", h.get(RequestSigner.NONCE));
    assertEquals("6JjysepNUNU3S4eHTW9X-VKwyivDq-TsWCaJifnp78A", h.get(RequestSigner.SIG));
  }

  @Test
  void everyCallGetsAFreshRandomNonce() {
    RequestSigner signer = new RequestSigner("test-secret", "test-key", JAN_1_2026);
    Metadata first = new Metadata();
    Metadata second = new Metadata();
    signer.sign("ListMicrogridDispatches", first);
    signer.sign("ListMicrogridDispatches", second);
    String nonce = first.get(RequestSigner.NONCE);
    assertEquals(24, nonce.length(), nonce);
    assertTrue(nonce.endsWith("=="), nonce);
    assertNotEquals(nonce, second.get(RequestSigner.NONCE));
    assertNotEquals(first.get(RequestSigner.SIG), second.get(RequestSigner.SIG));
  }
}
