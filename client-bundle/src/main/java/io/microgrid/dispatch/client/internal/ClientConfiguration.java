package io.microgrid.dispatch.client.internal;

import io.microgrid.dispatch.client.ClientOptions;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of PID {@value #PID}, with the metatype that consoles use to edit it. The
 * defaults are {@link ClientOptions}'s own; the property names are only known here and in {@link
 * DispatchClientComponent}, which maps them to the options.
 */
@ObjectClassDefinition(
    id = ClientConfiguration.PID,
    name = "Dispatch API client",
    description = "Connection to the Frequenz Dispatch API.")
public @interface ClientConfiguration {
  /** The configuration PID. */
  String PID = "io.microgrid.dispatch.client";

  /**
   * Returns the server URL.
   *
   * @return grpc://host[:port][?ssl=false]
   */
  @AttributeDefinition(
      name = "URL",
      description =
          "grpc://host[:port][?ssl=true|false]; TLS unless ssl=false. Port "
              + ClientOptions.DEFAULT_PORT
              + " when omitted.")
  String url();

  /**
   * Returns the API key (property {@code .key}: private, never a service property).
   *
   * @return the key
   */
  @AttributeDefinition(
      name = "API key",
      description = "Sent as metadata 'key' on every call. Required: the component does not start without it.",
      type = AttributeType.PASSWORD)
  String _key() default "";

  /**
   * Returns the request-signing secret (property {@code .sign.secret}: private, never a service
   * property).
   *
   * @return the secret, or empty for unsigned calls
   */
  @AttributeDefinition(
      name = "Signing secret",
      description =
          "When set, every call carries ts, nonce and sig (HMAC-SHA256 of key, time, nonce"
              + " and method name). Empty: calls are not signed.",
      type = AttributeType.PASSWORD,
      required = false)
  String _sign_secret() default "";

  /**
   * Returns the PEM file of the certificates to trust instead of the system trust store.
   *
   * @return a path, or empty for the system trust store
   */
  @AttributeDefinition(
      name = "Root certificates",
      description = "PEM file of the CA certificates to trust; empty for the system trust store.",
      required = false)
  String ssl_root_certificates() default "";

  /**
   * Returns the deadline of each call in seconds.
   *
   * @return seconds, > 0
   */
  @AttributeDefinition(
      name = "Call timeout (s)",
      description = "Deadline of each call, in seconds.",
      min = "1")
  long call_timeout_seconds() default ClientOptions.DEFAULT_CALL_TIMEOUT_SECONDS;

  /**
   * Returns the silence in seconds after which the client pings the server.
   *
   * @return seconds, at least {@link ClientOptions#MIN_KEEPALIVE_TIME_SECONDS}
   */
  @AttributeDefinition(
      name = "Keepalive time (s)",
      description =
          "Seconds without traffic after which the client pings the server; at least "
              + ClientOptions.MIN_KEEPALIVE_TIME_SECONDS
              + " (gRPC's minimum).",
      min = "" + ClientOptions.MIN_KEEPALIVE_TIME_SECONDS)
  long keepalive_time_seconds() default ClientOptions.DEFAULT_KEEPALIVE_TIME_SECONDS;

  /**
   * Returns how long in seconds the client waits for a ping's answer before dropping the
   * connection.
   *
   * @return seconds, > 0
   */
  @AttributeDefinition(
      name = "Keepalive timeout (s)",
      description =
          "Seconds to wait for the answer to a ping; without one the connection counts as dead and"
              + " the stream reconnects. A dead connection is noticed within time + timeout.",
      min = "1")
  long keepalive_timeout_seconds() default ClientOptions.DEFAULT_KEEPALIVE_TIMEOUT_SECONDS;

  /**
   * Returns the first reconnect delay of a broken stream, in milliseconds.
   *
   * @return milliseconds, > 0
   */
  @AttributeDefinition(
      name = "Reconnect delay (ms)",
      description = "First delay before a broken stream reconnects; doubled after each failure.",
      min = "1")
  long reconnect_delay_ms() default ClientOptions.DEFAULT_RECONNECT_DELAY_MILLIS;

  /**
   * Returns the largest reconnect delay of a broken stream, in milliseconds.
   *
   * @return milliseconds, >= the first delay
   */
  @AttributeDefinition(
      name = "Maximum reconnect delay (ms)",
      description = "Cap of the reconnect delay; each delay is drawn at random from half to all of it.",
      min = "1")
  long reconnect_max_delay_ms() default ClientOptions.DEFAULT_MAX_RECONNECT_DELAY_MILLIS;
}
