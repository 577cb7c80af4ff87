package io.microgrid.dispatch.client.testing;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks the request signature of every call when a signing secret is set, the way a server of
 * the Frequenz scheme would: {@code sig} must be the URL-safe base64 of HMAC-SHA256(secret; key
 * || ts || nonce || method path), {@code ts-bin} 8 bytes within five minutes of now, {@code
 * nonce-bin} 16 bytes never seen before. Written here independently of the client's signer, so a
 * test proves the two agree on the scheme rather than sharing one mistake.
 */
final class SignatureCheck implements ServerInterceptor {
  static final Metadata.Key<byte[]> TS = Metadata.Key.of("ts-bin", Metadata.BINARY_BYTE_MARSHALLER);
  static final Metadata.Key<byte[]> NONCE =
      Metadata.Key.of("nonce-bin", Metadata.BINARY_BYTE_MARSHALLER);
  static final Metadata.Key<String> SIG = Metadata.Key.of("sig", Metadata.ASCII_STRING_MARSHALLER);
  private static final Duration SKEW = Duration.ofMinutes(5);

  private final Clock clock;
  private final Set<String> nonces = ConcurrentHashMap.newKeySet();
  private final AtomicInteger verified = new AtomicInteger();
  private volatile String secret;

  SignatureCheck(Clock clock) {
    this.clock = clock;
  }

  void requireSignature(String secretOrNull) {
    this.secret = secretOrNull;
  }

  int verified() {
    return verified.get();
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    String s = secret;
    if (s != null) {
      String problem = check(s, "/" + call.getMethodDescriptor().getFullMethodName(), headers);
      if (problem != null) {
        call.close(Status.UNAUTHENTICATED.withDescription("bad signature: " + problem), new Metadata());
        return new ServerCall.Listener<>() {};
      }
      verified.incrementAndGet();
    }
    return next.startCall(call, headers);
  }

  private String check(String secret, String path, Metadata headers) {
    byte[] ts = headers.get(TS);
    byte[] nonce = headers.get(NONCE);
    String sig = headers.get(SIG);
    if (ts == null || nonce == null || sig == null) {
      return "ts-bin, nonce-bin and sig are required";
    }
    if (ts.length != 8 || nonce.length != 16) {
      return "ts-bin must be 8 bytes and nonce-bin 16";
    }
    long seconds = ByteBuffer.wrap(ts).getLong();
    if (Math.abs(seconds - clock.instant().getEpochSecond()) > SKEW.toSeconds()) {
      return "ts-bin is too far from now";
    }
    String key = headers.get(KeyInterceptor.KEY_HEADER);
    byte[] expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      mac.update((key == null ? "" : key).getBytes(StandardCharsets.UTF_8));
      mac.update(ts);
      mac.update(nonce);
      mac.update(path.getBytes(StandardCharsets.UTF_8));
      expected = mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    byte[] sent;
    try {
      sent = Base64.getUrlDecoder().decode(sig);
    } catch (IllegalArgumentException e) {
      return "sig is not URL-safe base64";
    }
    if (!MessageDigest.isEqual(expected, sent)) {
      return "sig does not match";
    }
    if (!sig.equals(Base64.getUrlEncoder().encodeToString(expected))) {
      return "sig must be padded URL-safe base64";
    }
    if (!nonces.add(HexFormat.of().formatHex(nonce))) {
      return "nonce-bin was used before (replay)";
    }
    return null;
  }
}
