package io.microgrid.dispatch.client.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The configuration of PID {@value #PID}, with the metatype that consoles use to edit it. */
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
      description = "grpc://host[:port][?ssl=true|false]; TLS unless ssl=false. Port 9090 when omitted.")
  String url();

  /**
   * Returns the API key (property {@code .key}: private, never a service property).
   *
   * @return the key
   */
  @AttributeDefinition(
      name = "API key",
      description = "Sent as metadata 'key' on every call.",
      type = AttributeType.PASSWORD,
      required = false)
  String _key() default "";

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
  long call_timeout_seconds() default 60;
}
