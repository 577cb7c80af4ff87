package io.microgrid.dispatch.server;

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
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Refuses, with UNAUTHENTICATED, every call without a valid request signature, when a signing
 * secret is configured: {@code sig} must be the URL-safe base64 (padded) of HMAC-SHA256(secret;
 * key || ts || nonce || method path), {@code ts-bin} 8 big-endian bytes of Unix seconds within
 * {@value #SKEW_SECONDS} s of now, {@code nonce-bin} 16 bytes not seen within that window. The
 * secret can change while the server runs; it is never logged, and a refusal says what was wrong
 * but never shows the secret or the expected signature.
 */
public final class SignatureCheck implements ServerInterceptor {
  public static final Metadata.Key<byte[]> TS = Metadata.Key.of("ts-bin", Metadata.BINARY_BYTE_MARSHALLER);
  public static final Metadata.Key<byte[]> NONCE =
      Metadata.Key.of("nonce-bin", Metadata.BINARY_BYTE_MARSHALLER);
  public static final Metadata.Key<String> SIG = Metadata.Key.of("sig", Metadata.ASCII_STRING_MARSHALLER);

  public static final long SKEW_SECONDS = 300;

  /** Bounds the memory of nonces under a flood; the oldest are forgotten first. */
  private static final int MAX_NONCES = 100_000;

  private final Clock clock;
  // Nonce (hex) -> its signed time, oldest first; guarded by itself.
  private final LinkedHashMap<String, Long> seen = new LinkedHashMap<>();
  // Volatile: a reconfiguration changes it while calls arrive on gRPC's threads. Null: no check.
  private volatile SecretKeySpec secret;

  SignatureCheck(String secretOrNull, Clock clock) {
    this.clock = clock;
    require(secretOrNull);
  }

  void require(String secretOrNull) {
    this.secret =
        secretOrNull == null
            ? null
            : new SecretKeySpec(secretOrNull.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
  }

  boolean required() {
    return secret != null;
  }

  @Override
  public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
      ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
    SecretKeySpec s = secret;
    if (s != null) {
      String problem = check(s, "/" + call.getMethodDescriptor().getFullMethodName(), headers);
      if (problem != null) {
        call.close(
            Status.UNAUTHENTICATED.withDescription("invalid request signature: " + problem),
            new Metadata());
        return new ServerCall.Listener<>() {};
      }
    }
    return next.startCall(call, headers);
  }

  private String check(SecretKeySpec s, String path, Metadata headers) {
    byte[] ts = headers.get(TS);
    byte[] nonce = headers.get(NONCE);
    String sig = headers.get(SIG);
    if (ts == null || nonce == null || sig == null) {
      return "ts-bin, nonce-bin and sig are required";
    }
    if (ts.length != Long.BYTES || nonce.length != 16) {
      return "ts-bin must be 8 bytes and nonce-bin 16";
    }
    long seconds = ByteBuffer.wrap(ts).getLong();
    long now = clock.instant().getEpochSecond();
    if (Math.abs(seconds - now) > SKEW_SECONDS) {
      return "ts-bin is more than " + SKEW_SECONDS + " s from the server's time";
    }
    String key = headers.get(KeyCheck.KEY_HEADER);
    byte[] expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(s);
      mac.update((key == null ? "" : key).getBytes(StandardCharsets.UTF_8));
      mac.update(ts);
      mac.update(nonce);
      mac.update(path.getBytes(StandardCharsets.UTF_8));
      expected = mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
    // Compared as text, in constant time: the encoding (URL-safe, padded) is part of the scheme.
    byte[] wanted = Base64.getUrlEncoder().encode(expected);
    if (!MessageDigest.isEqual(wanted, sig.getBytes(StandardCharsets.US_ASCII))) {
      return "sig does not match";
    }
    if (!remember(HexFormat.of().formatHex(nonce), seconds, now)) {
      return "nonce-bin was used before";
    }
    return null;
  }

  private boolean remember(String nonce, long signedAt, long now) {
    synchronized (seen) {
      // A nonce older than the window cannot be replayed anyway: its time is refused.
      Iterator<Map.Entry<String, Long>> oldest = seen.entrySet().iterator();
      while (oldest.hasNext()) {
        Map.Entry<String, Long> e = oldest.next();
        if (e.getValue() >= now - SKEW_SECONDS && seen.size() < MAX_NONCES) {
          break;
        }
        oldest.remove();
      }
      return seen.putIfAbsent(nonce, signedAt) == null;
    }
  }
}
