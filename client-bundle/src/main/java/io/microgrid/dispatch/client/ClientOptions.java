package io.microgrid.dispatch.client;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how a {@link DispatchConnection} connects. Immutable; checked on construction, with
 * messages that say which setting is wrong and how to fix it. The API key never appears in
 * {@link #toString()} or in any message.
 *
 * <p>The defaults of every setting are here, once; the OSGi configuration of the client bundle
 * takes its defaults from these constants. A refused setting is reported as an {@link
 * InvalidSettingException} naming a {@link Setting}, which the caller words as its users know it.
 */
public final class ClientOptions {
  /**
   * The port used when the URL names none: HTTPS's, as the Python client uses, since a server
   * behind TLS is normally reached there. {@code ssl=false} does not change it.
   */
  public static final int DEFAULT_PORT = 443;

  /** The deadline of a call when none is configured, in seconds. */
  public static final long DEFAULT_CALL_TIMEOUT_SECONDS = 60;

  /** The deadline of a call when none is configured. */
  public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(DEFAULT_CALL_TIMEOUT_SECONDS);

  /**
   * How many seconds a connection may stay silent before the client pings the server, as in
   * Frequenz's Python client base.
   */
  public static final long DEFAULT_KEEPALIVE_TIME_SECONDS = 60;

  /** How long a connection may stay silent before the client pings the server. */
  public static final Duration DEFAULT_KEEPALIVE_TIME =
      Duration.ofSeconds(DEFAULT_KEEPALIVE_TIME_SECONDS);

  /** How many seconds the client waits for the answer to a ping before it drops the connection. */
  public static final long DEFAULT_KEEPALIVE_TIMEOUT_SECONDS = 20;

  /** How long the client waits for the answer to a ping before it drops the connection as dead. */
  public static final Duration DEFAULT_KEEPALIVE_TIMEOUT =
      Duration.ofSeconds(DEFAULT_KEEPALIVE_TIMEOUT_SECONDS);

  /** The shortest keepalive time gRPC accepts, in seconds. */
  public static final long MIN_KEEPALIVE_TIME_SECONDS = 10;

  /** The shortest keepalive time gRPC accepts; shorter settings would be raised to it silently. */
  public static final Duration MIN_KEEPALIVE_TIME = Duration.ofSeconds(MIN_KEEPALIVE_TIME_SECONDS);

  /** The first delay before a broken stream reconnects, in milliseconds. */
  public static final long DEFAULT_RECONNECT_DELAY_MILLIS = 500;

  /** The first delay before a broken stream reconnects. */
  public static final Duration DEFAULT_RECONNECT_DELAY =
      Duration.ofMillis(DEFAULT_RECONNECT_DELAY_MILLIS);

  /** The largest delay before a broken stream reconnects, in milliseconds. */
  public static final long DEFAULT_MAX_RECONNECT_DELAY_MILLIS = 30_000;

  /** The largest delay before a broken stream reconnects. */
  public static final Duration DEFAULT_MAX_RECONNECT_DELAY =
      Duration.ofMillis(DEFAULT_MAX_RECONNECT_DELAY_MILLIS);

  /**
   * The settings that can be refused, named after the builder's methods. Each place settings
   * come from has its own word for each: a configuration property, a command-line flag.
   */
  public enum Setting {
    /** The server URL, with its options ({@code ssl}, {@code ssl_root_certificates_path}). */
    URL("url"),
    /** The PEM file of the certificates to trust, given apart from the URL. */
    ROOT_CERTIFICATES("rootCertificates"),
    /** The deadline of each call. */
    CALL_TIMEOUT("callTimeout"),
    /** The silence before a ping. */
    KEEPALIVE_TIME("keepAliveTime"),
    /** The wait for a ping's answer. */
    KEEPALIVE_TIMEOUT("keepAliveTimeout"),
    /** The first reconnect delay. */
    RECONNECT_DELAY("reconnectDelay"),
    /** The largest reconnect delay. */
    MAX_RECONNECT_DELAY("maxReconnectDelay");

    private final String name;

    Setting(String name) {
      this.name = name;
    }

    /** Returns the name of the builder's method or parameter that sets it. */
    @Override
    public String toString() {
      return name;
    }
  }

  private final String url;
  private final String host;
  private final int port;
  private final boolean tls;
  private final Optional<Path> rootCertificates;
  private final String key;
  private final Duration callTimeout;
  private final Duration reconnectDelay;
  private final Duration maxReconnectDelay;
  private final Duration keepAliveTime;
  private final Duration keepAliveTimeout;
  private final String signSecret;

  private ClientOptions(Builder b) {
    this.url = b.url;
    this.key = b.key == null ? "" : b.key;
    this.callTimeout = b.callTimeout;
    this.reconnectDelay = b.reconnectDelay;
    this.maxReconnectDelay = b.maxReconnectDelay;
    this.keepAliveTime = b.keepAliveTime;
    this.keepAliveTimeout = b.keepAliveTimeout;
    this.signSecret = b.signSecret == null ? "" : b.signSecret;
    if (keepAliveTime.compareTo(MIN_KEEPALIVE_TIME) < 0) {
      throw invalid(
          Setting.KEEPALIVE_TIME,
          "must be at least " + text(MIN_KEEPALIVE_TIME) + " (gRPC's minimum), got " + text(keepAliveTime));
    }
    requirePositive(Setting.KEEPALIVE_TIMEOUT, keepAliveTimeout);
    requirePositive(Setting.CALL_TIMEOUT, callTimeout);
    requirePositive(Setting.RECONNECT_DELAY, reconnectDelay);
    if (maxReconnectDelay.compareTo(reconnectDelay) < 0) {
      throw invalid(
          Setting.MAX_RECONNECT_DELAY,
          "must be at least the first reconnect delay ("
              + text(reconnectDelay)
              + "), got "
              + text(maxReconnectDelay));
    }
    if (url == null || url.isEmpty()) {
      throw invalid(Setting.URL, "is not set; expected grpc://host[:port][?ssl=false]");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw invalid(
          Setting.URL,
          "'" + url + "' is malformed (" + e.getReason() + "); expected grpc://host[:port][?ssl=false]");
    }
    if (!"grpc".equalsIgnoreCase(uri.getScheme())) {
      throw invalid(
          Setting.URL, "'" + url + "' must start with grpc://, e.g. grpc://dispatch.example.com:443");
    }
    if (uri.getHost() == null) {
      throw invalid(Setting.URL, "'" + url + "' names no host; expected grpc://host[:port]");
    }
    if (uri.getRawPath() != null && !uri.getRawPath().isEmpty() && !"/".equals(uri.getRawPath())) {
      throw invalid(
          Setting.URL, "'" + url + "' must not have a path; expected grpc://host[:port][?ssl=false]");
    }
    this.host = uri.getHost();
    this.port = uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort();
    boolean ssl = true;
    Optional<Path> roots = b.rootCertificates;
    Setting rootsFrom = Setting.ROOT_CERTIFICATES;
    if (uri.getRawQuery() != null && !uri.getRawQuery().isEmpty()) {
      for (String option : uri.getRawQuery().split("&")) {
        int eq = option.indexOf('=');
        String name = eq < 0 ? option : option.substring(0, eq);
        String value = eq < 0 ? "" : option.substring(eq + 1);
        switch (name) {
          case "ssl" -> ssl = parseBoolean(name, value);
          case "ssl_root_certificates_path" -> {
            roots = Optional.of(Path.of(value));
            rootsFrom = Setting.URL;
          }
          default -> throw invalid(
              Setting.URL,
              "option '" + name + "' is unknown; known options: ssl, ssl_root_certificates_path");
        }
      }
    }
    this.tls = ssl;
    if (roots.isPresent() && !Files.isReadable(roots.get())) {
      throw invalid(
          rootsFrom,
          (rootsFrom == Setting.URL ? "option ssl_root_certificates_path: '" : "'")
              + roots.get()
              + "' is not a readable PEM file");
    }
    this.rootCertificates = roots;
  }

  private static InvalidSettingException invalid(Setting setting, String problem) {
    return new InvalidSettingException(setting, problem);
  }

  private static void requirePositive(Setting setting, Duration value) {
    if (value.isNegative() || value.isZero()) {
      throw invalid(setting, "must be more than 0, got " + text(value));
    }
  }

  /** A duration as an operator writes it: whole seconds in s, anything finer in ms. */
  private static String text(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }

  private static boolean parseBoolean(String name, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes" -> true;
      case "false", "0", "no" -> false;
      default -> throw invalid(Setting.URL, "option " + name + "=" + value + " must be true or false");
    };
  }

  /**
   * Starts options for a server URL.
   *
   * @param url {@code grpc://host[:port][?ssl=true|false]}; TLS unless {@code ssl=false}; port
   *     {@value #DEFAULT_PORT} when omitted. Blanks around it are ignored.
   * @return a builder
   */
  public static Builder builder(String url) {
    return new Builder(url);
  }

  /**
   * Returns the URL as configured.
   *
   * @return the URL
   */
  public String url() {
    return url;
  }

  /**
   * Returns the server's host name or address.
   *
   * @return the host
   */
  public String host() {
    return host;
  }

  /**
   * Returns the server's port.
   *
   * @return the port
   */
  public int port() {
    return port;
  }

  /**
   * Returns whether the connection uses TLS.
   *
   * @return false only when the URL says {@code ssl=false}
   */
  public boolean tls() {
    return tls;
  }

  /**
   * Returns the PEM file of the certificates to trust instead of the system's.
   *
   * @return the file, when configured
   */
  public Optional<Path> rootCertificates() {
    return rootCertificates;
  }

  /**
   * Returns the API key, sent as metadata {@code key} on every call.
   *
   * @return the key; empty when none is configured
   */
  public String key() {
    return key;
  }

  /**
   * Returns the deadline of each unary call.
   *
   * @return the timeout
   */
  public Duration callTimeout() {
    return callTimeout;
  }

  /**
   * Returns the first delay before a broken stream reconnects.
   *
   * @return the initial delay
   */
  public Duration reconnectDelay() {
    return reconnectDelay;
  }

  /**
   * Returns the largest delay before a broken stream reconnects.
   *
   * @return the maximum delay
   */
  public Duration maxReconnectDelay() {
    return maxReconnectDelay;
  }

  /**
   * Returns how long the connection may stay silent before the client pings the server.
   *
   * @return the keepalive time, at least {@link #MIN_KEEPALIVE_TIME}
   */
  public Duration keepAliveTime() {
    return keepAliveTime;
  }

  /**
   * Returns how long the client waits for a ping's answer before it drops the connection, so a
   * dead connection is noticed within {@code keepAliveTime() + keepAliveTimeout()}.
   *
   * @return the keepalive timeout
   */
  public Duration keepAliveTimeout() {
    return keepAliveTimeout;
  }

  /**
   * Returns the secret that signs every call as Frequenz's Python client does: metadata {@code
   * ts}, {@code nonce} and {@code sig}, the HMAC-SHA256 of key, ts, nonce and the method name.
   *
   * @return the secret; empty when calls are not signed
   */
  public String signSecret() {
    return signSecret;
  }

  /**
   * Returns whether a connection made with other options can be reused for these.
   *
   * @param other the options in use
   * @return true when URL, TLS settings, key, signing secret and keepalive are the same
   */
  public boolean sameConnection(ClientOptions other) {
    return host.equals(other.host)
        && port == other.port
        && tls == other.tls
        && rootCertificates.equals(other.rootCertificates)
        && key.equals(other.key)
        && signSecret.equals(other.signSecret)
        && keepAliveTime.equals(other.keepAliveTime)
        && keepAliveTimeout.equals(other.keepAliveTimeout);
  }

  @Override
  public String toString() {
    return "ClientOptions[url="
        + url
        + ", tls="
        + tls
        + ", rootCertificates="
        + rootCertificates.map(Path::toString).orElse("system")
        + ", key="
        + (key.isEmpty() ? "none" : "(set)")
        + ", signed="
        + !signSecret.isEmpty()
        + ", callTimeout="
        + callTimeout
        + ", keepAlive="
        + keepAliveTime
        + "/"
        + keepAliveTimeout
        + "]";
  }

  /** Builds {@link ClientOptions}. */
  public static final class Builder {
    private final String url;
    private String key;
    private Optional<Path> rootCertificates = Optional.empty();
    private Duration callTimeout = DEFAULT_CALL_TIMEOUT;
    private Duration reconnectDelay = DEFAULT_RECONNECT_DELAY;
    private Duration maxReconnectDelay = DEFAULT_MAX_RECONNECT_DELAY;
    private Duration keepAliveTime = DEFAULT_KEEPALIVE_TIME;
    private Duration keepAliveTimeout = DEFAULT_KEEPALIVE_TIMEOUT;
    private String signSecret;

    private Builder(String url) {
      // Blanks are easily copied along with a URL into a configuration file or a shell variable.
      this.url = url == null ? null : url.trim();
    }

    /**
     * Sets the secret that signs every call; null or empty sends unsigned calls.
     *
     * @param secret the shared secret
     * @return this builder
     */
    public Builder signSecret(String secret) {
      this.signSecret = secret;
      return this;
    }

    /**
     * Sets the keepalive: after {@code time} without traffic the client pings the server, and
     * drops the connection (a stream then reconnects) when no answer comes within {@code
     * timeout}.
     *
     * @param time silence before a ping, at least {@link #MIN_KEEPALIVE_TIME}
     * @param timeout wait for the ping's answer, > 0
     * @return this builder
     */
    public Builder keepAlive(Duration time, Duration timeout) {
      this.keepAliveTime = Objects.requireNonNull(time, "time");
      this.keepAliveTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * Sets the API key.
     *
     * @param key the key
     * @return this builder
     */
    public Builder key(String key) {
      this.key = key;
      return this;
    }

    /**
     * Trusts the certificates of a PEM file instead of the system's trust store.
     *
     * @param pem the file
     * @return this builder
     */
    public Builder rootCertificates(Path pem) {
      this.rootCertificates = Optional.ofNullable(pem);
      return this;
    }

    /**
     * Sets the deadline of each unary call.
     *
     * @param timeout the timeout
     * @return this builder
     */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = Objects.requireNonNull(timeout, "callTimeout");
      return this;
    }

    /**
     * Sets the reconnect backoff of streams: the first delay, doubled after each failure up to
     * the maximum, each drawn with jitter from half to all of it.
     *
     * @param initial the first delay
     * @param max the largest delay
     * @return this builder
     */
    public Builder reconnectDelay(Duration initial, Duration max) {
      this.reconnectDelay = Objects.requireNonNull(initial, "initial");
      this.maxReconnectDelay = Objects.requireNonNull(max, "max");
      return this;
    }

    /**
     * Builds and checks the options.
     *
     * @return the options
     * @throws InvalidSettingException naming the setting that is wrong
     */
    public ClientOptions build() {
      return new ClientOptions(this);
    }
  }
}
