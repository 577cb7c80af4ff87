package io.microgrid.dispatch.client.internal;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs every call, streams included, with the scheme of Frequenz's Python client base: {@code
 * sig} is the HMAC-SHA256, keyed with the signing secret, of the API key, the Unix time in seconds
 * as 8 big-endian bytes, 16 random nonce bytes and the method path ({@code
 * /frequenz.api.dispatch.v1.MicrogridDispatchService/GetMicrogridDispatch}), in that order.
 *
 * <p>The time and the nonce are raw bytes, which gRPC carries only in binary headers, so they
 * travel as {@code ts-bin} and {@code nonce-bin} (base64 on the wire, raw bytes to the server's
 * code); {@code sig} is an ASCII header holding the URL-safe base64 of the MAC with its {@code =}
 * padding, as Python's {@code base64.urlsafe_b64encode} writes it.
 */
public final class RequestSigner implements ClientInterceptor {
  /** The Unix time in seconds, 8 bytes big-endian. */
  public static final Metadata.Key<byte[]> TS =
      Metadata.Key.of("ts-bin", Metadata.BINARY_BYTE_MARSHALLER);

  /** 16 random bytes, new for every call. */
  public static final Metadata.Key<byte[]> NONCE =
      Metadata.Key.of("nonce-bin", Metadata.BINARY_BYTE_MARSHALLER);

  /** The URL-safe base64 (padded) of the HMAC-SHA256. */
  public static final Metadata.Key<String> SIG =
      Metadata.Key.of("sig", Metadata.ASCII_STRING_MARSHALLER);

  static final int NONCE_BYTES = 16;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec secret;
  private final byte[] key;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  /**
   * @param secret the signing secret, used as UTF-8 bytes
   * @param key the API key that is signed along (empty when none)
   * @param clock where the signed time comes from
   */
  public RequestSigner(String secret, String key, Clock clock) {
    this.secret = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), ALGORITHM);
    this.key = key.getBytes(StandardCharsets.UTF_8);
    this.clock = clock;
  }

  @Override
  public <Q, R> ClientCall<Q, R> interceptCall(
      MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
    return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
      @Override
      public void start(Listener<R> listener, Metadata headers) {
        byte[] ts = ByteBuffer.allocate(Long.BYTES).putLong(clock.instant().getEpochSecond()).array();
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        headers.put(TS, ts);
        headers.put(NONCE, nonce);
        headers.put(SIG, signature(secret, key, ts, nonce, "/" + method.getFullMethodName()));
        super.start(listener, headers);
      }
    };
  }

  private static String signature(
      SecretKeySpec secret, byte[] key, byte[] ts, byte[] nonce, String path) {
    try {
      // A Mac is not thread-safe and cheap to make; one per call keeps calls independent.
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(secret);
      mac.update(key);
      mac.update(ts);
      mac.update(nonce);
      mac.update(path.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().encodeToString(mac.doFinal());
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
