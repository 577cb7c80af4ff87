package io.microgrid.dispatch.server;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Refuses, with UNAUTHENTICATED, every call without a valid request signature, when a signing
 * secret is configured, as a server checking Frequenz's {@code frequenz-client-base} signatures
 * does: {@code sig} must be the URL-safe base64 (unpadded) of HMAC-SHA256(secret; key ‖ ts ‖
 * nonce ‖ method name), ts and nonce taken as the ASCII sent; {@code ts} the decimal Unix seconds
 * within {@value #SKEW_SECONDS} s of now; {@code nonce} 16 bytes in URL-safe base64 (padded), not
 * seen within that window. The secret can change while the server runs; it is never logged, and a
 * refusal says what was wrong but never shows the secret or the expected signature.
 */
public final class SignatureCheck implements ServerInterceptor {
  public static final Metadata.Key<String> TS = Metadata.Key.of("ts", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> NONCE =
      Metadata.Key.of("nonce", Metadata.ASCII_STRING_MARSHALLER);
  public static final Metadata.Key<String> SIG = Metadata.Key.of("sig", Metadata.ASCII_STRING_MARSHALLER);

  public static final long SKEW_SECONDS = 300;

  /** Bounds the memory of nonces under a flood; the oldest are forgotten first. */
  private static final int MAX_NONCES = 100_000;

  private final Clock clock;
  // Nonce (as sent) -> its signed time, oldest first; guarded by itself.
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
      String problem = check(s, call.getMethodDescriptor().getBareMethodName(), headers);
      if (problem != null) {
        call.close(
            Status.UNAUTHENTICATED.withDescription("invalid request signature: " + problem),
            new Metadata());
        return new ServerCall.Listener<>() {};
      }
    }
    return next.startCall(call, headers);
  }

  private String check(SecretKeySpec s, String methodName, Metadata headers) {
    String ts = headers.get(TS);
    String nonce = headers.get(NONCE);
    String sig = headers.get(SIG);
    if (ts == null || nonce == null || sig == null) {
      return "ts, nonce and sig are required";
    }
    long seconds;
    try {
      // Digits only: parseLong would also take a sign, which the client never sends.
      if (ts.isEmpty() || !ts.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new NumberFormatException();
      }
      seconds = Long.parseLong(ts);
    } catch (NumberFormatException e) {
      return "ts must be the Unix time in seconds as decimal digits";
    }
    if (!validNonce(nonce)) {
      return "nonce must be 16 bytes in URL-safe base64 with padding";
    }
    long now = clock.instant().getEpochSecond();
    if (Math.abs(seconds - now) > SKEW_SECONDS) {
      return "ts is more than " + SKEW_SECONDS + " s from the server's time";
    }
    String key = headers.get(KeyCheck.KEY_HEADER);
    byte[] expected;
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(s);
      mac.update((key == null ? "" : key).getBytes(StandardCharsets.UTF_8));
      mac.update(ts.getBytes(StandardCharsets.US_ASCII));
      mac.update(nonce.getBytes(StandardCharsets.US_ASCII));
      mac.update(methodName.getBytes(StandardCharsets.UTF_8));
      expected = mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
    // Compared as text, in constant time: the encoding (URL-safe, unpadded) is part of the scheme.
    byte[] wanted = Base64.getUrlEncoder().withoutPadding().encode(expected);
    if (!MessageDigest.isEqual(wanted, sig.getBytes(StandardCharsets.US_ASCII))) {
      return "sig does not match";
    }
    if (!remember(nonce, seconds, now)) {
      return "nonce was used before";
    }
    return null;
  }

  /** Whether {@code nonce} is the padded URL-safe base64 of exactly 16 bytes. */
  private static boolean validNonce(String nonce) {
    if (nonce.length() != 24) {
      return false;
    }
    try {
      return Base64.getUrlDecoder().decode(nonce).length == 16;
    } catch (IllegalArgumentException e) {
      return false;
    }
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
