package io.microgrid.dispatch.simulator.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The configuration of PID {@value SimulatorOptions#PID}, with the metatype that consoles use to
 * edit it. The component reads the raw properties itself ({@link
 * SimulatorOptions#fromConfiguration}), so that a malformed value is reported by name.
 */
@ObjectClassDefinition(
    id = SimulatorOptions.PID,
    name = "Dispatch API simulator",
    description = "A local Dispatch API server (plaintext gRPC) for development and tests.")
public @interface SimulatorConfiguration {

  /**
   * Returns the TCP port.
   *
   * @return 1..65535, or 0 for a free port
   */
  @AttributeDefinition(
      name = "Port",
      description = "TCP port to listen on; 0 picks a free port.",
      min = "0",
      max = "65535")
  int port() default SimulatorOptions.DEFAULT_PORT;

  /**
   * Returns the address to listen on.
   *
   * @return an IP address or host name of this machine
   */
  @AttributeDefinition(
      name = "Bind address",
      description = "Address to listen on: 127.0.0.1 for this machine only, 0.0.0.0 for every interface.")
  String bind() default SimulatorOptions.DEFAULT_BIND;

  /**
   * Returns the API key (property {@code .key}: private, never a service property).
   *
   * @return the key, or empty for none
   */
  @AttributeDefinition(
      name = "API key",
      description = "When set, calls without this key in metadata 'key' are refused (UNAUTHENTICATED).",
      type = AttributeType.PASSWORD,
      required = false)
  String _key() default "";

  /**
   * Returns the request-signing secret (property {@code .sign.secret}: private).
   *
   * @return the secret, or empty for no check
   */
  @AttributeDefinition(
      name = "Signing secret",
      description =
          "When set, calls without a valid signature (ts, nonce, sig made with this secret)"
              + " are refused (UNAUTHENTICATED).",
      type = AttributeType.PASSWORD,
      required = false)
  String _sign_secret() default "";
}
