package io.microgrid.dispatch.client.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs every call, streams included, as Frequenz's Python {@code frequenz-client-base} does, so
 * that a server checking its signatures accepts ours: three plain ASCII headers next to {@code
 * key}, {@code ts} (Unix seconds in decimal), {@code nonce} (16 random bytes, URL-safe base64 with
 * {@code =} padding) and {@code sig}, the URL-safe base64 without padding of HMAC-SHA256, keyed
 * with the secret's UTF-8 bytes, over key (UTF-8) ‖ ts ‖ nonce ‖ the RPC method name (the last
 * path segment only, e.g. {@code ListMicrogridDispatches}). ts and nonce are signed as the very
 * ASCII text that is sent, so the server needs no decoding to check them.
 */
public final class RequestSigner implements ClientInterceptor {
  /** The Unix time in seconds, decimal ASCII. */
  public static final Metadata.Key<String> TS =
      Metadata.Key.of("ts", Metadata.ASCII_STRING_MARSHALLER);

  /** 16 random bytes, new for every call, URL-safe base64 with padding. */
  public static final Metadata.Key<String> NONCE =
      Metadata.Key.of("nonce", Metadata.ASCII_STRING_MARSHALLER);

  /** The URL-safe base64 (unpadded) of the HMAC-SHA256. */
  public static final Metadata.Key<String> SIG =
      Metadata.Key.of("sig", Metadata.ASCII_STRING_MARSHALLER);

  static final int NONCE_BYTES = 16;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec secret;
  private final byte[] key;
  private final Clock clock;
  private final Consumer<byte[]> nonces;

  /**
   * @param secret the signing secret, used as UTF-8 bytes
   * @param key the API key that is signed along (empty when none)
   * @param clock where the signed time comes from
   */
  public RequestSigner(String secret, String key, Clock clock) {
    this(secret, key, clock, new SecureRandom()::nextBytes);
  }

  /**
   * @param nonces fills a nonce's bytes; a fixed source lets a test check a known signature
   */
  RequestSigner(String secret, String key, Clock clock, Consumer<byte[]> nonces) {
    this.secret = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    this.key = key.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
    this.nonces = nonces;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        sign(method.getBareMethodName(), headers);
        super.start(listener, headers);
      }
    };
  }

  /** Puts {@code ts}, a fresh {@code nonce} and their {@code sig} for {@code methodName}. */
  void sign(String methodName, Metadata headers) {
    String ts = Long.toString(clock.instant().getEpochSecond());
    byte[] nonceBytes = new byte[NONCE_BYTES];
    nonces.accept(nonceBytes);
    String nonce = Base64.getUrlEncoder().encodeToString(nonceBytes);
    headers.put(TS, ts);
    headers.put(NONCE, nonce);
    headers.put(SIG, signature(ts, nonce, methodName));
  }

  private String signature(String ts, String nonce, String methodName) {
    try {
      // A Mac is not thread-safe and cheap to make; one per call keeps calls independent.
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(secret);
      mac.update(key);
      mac.update(ts.getBytes(StandardCharsets.US_ASCII));
      mac.update(nonce.getBytes(StandardCharsets.US_ASCII));
      mac.update(methodName.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal());
    } catch (GeneralSecurityException e) {
      // HmacSHA256 is required of every Java platform.
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  @Override
  public String toString() {
    return "RequestSigner[secret=(set)]";
  }
}
