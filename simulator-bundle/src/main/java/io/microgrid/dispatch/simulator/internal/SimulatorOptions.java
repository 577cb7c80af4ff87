package io.microgrid.dispatch.simulator.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How a {@link DispatchSimulator} runs: the address it listens on, the API key it requires (if
 * any), the file that keeps its store (if any) and its clock. Immutable; checked on {@link
 * Builder#build()}, with messages that name the property and say how to fix it.
 */
public final class SimulatorOptions {

  /** The configuration PID whose properties {@link #fromConfiguration} reads. */
  public static final String PID = "io.microgrid.dispatch.simulator";

  /** The port of the Dispatch API's examples and of the launcher's default configuration. */
  public static final int DEFAULT_PORT = 50051;

  /** Loopback only: a development server is not for the network unless asked. */
  public static final String DEFAULT_BIND = "127.0.0.1";

  /** Configuration property names, as in the contract. */
  public static final String PORT = "port";

  public static final String BIND = "bind";

  /** A password property: the leading dot keeps it out of service properties. */
  public static final String KEY = ".key";

  /** A password property: when set, every call must carry a valid request signature. */
  public static final String SIGN_SECRET = ".sign.secret";

  private final int port;
  private final String bind;
  private final InetAddress bindAddress;
  private final String key;
  private final String signSecret;
  private final Optional<Path> storeFile;
  private final Clock clock;

  private SimulatorOptions(Builder b, InetAddress bindAddress) {
    this.port = b.port;
    this.bind = b.bind;
    this.bindAddress = bindAddress;
    this.key = b.key;
    this.signSecret = b.signSecret;
    this.storeFile = b.storeFile;
    this.clock = b.clock;
  }

  /**
   * Starts options with the defaults: {@value #DEFAULT_BIND}:{@value #DEFAULT_PORT}, no key, no
   * store file (in memory only), the system clock in UTC.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Reads the properties of configuration {@value #PID}: {@code port}, {@code bind} and {@code
   * .key}, each optional.
   *
   * @param properties the configuration's properties
   * @param storeFile the file that keeps the store, or null for memory only
   * @return the options
   * @throws IllegalArgumentException naming the bad property and how to fix it
   */
  public static SimulatorOptions fromConfiguration(Map<String, ?> properties, Path storeFile) {
    Builder b = builder().port(port(properties.get(PORT)));
    Object bind = properties.get(BIND);
    if (bind != null) {
      if (!(bind instanceof String)) {
        throw new IllegalArgumentException(
            "property 'bind' = " + bind + " is not text: set it to an IP address such as 127.0.0.1");
      }
      b.bind((String) bind);
    }
    Object key = properties.get(KEY);
    if (key instanceof char[] chars) {
      key = new String(chars);
    }
    if (key != null && !(key instanceof String)) {
      // The value is not shown: it may be the key.
      throw new IllegalArgumentException(
          "property '.key' is not text: set it to the API key that callers must send, or remove it");
    }
    b.key((String) key);
    Object signSecret = properties.get(SIGN_SECRET);
    if (signSecret instanceof char[] chars) {
      signSecret = new String(chars);
    }
    if (signSecret != null && !(signSecret instanceof String)) {
      // The value is not shown: it may be the secret.
      throw new IllegalArgumentException(
          "property '.sign.secret' is not text: set it to the secret that signs every call, or"
              + " remove it");
    }
    b.signSecret((String) signSecret);
    if (storeFile != null) {
      b.storeFile(storeFile);
    }
    return b.build();
  }

  private static int port(Object value) {
    if (value == null) {
      return DEFAULT_PORT;
    }
    if (value instanceof Integer || value instanceof Long || value instanceof Short) {
      long n = ((Number) value).longValue();
      if (n < 0 || n > 65535) {
        throw new IllegalArgumentException(
            "property 'port' = " + n + " is out of range: " + PORT_FIX);
      }
      return (int) n;
    }
    if (value instanceof String s) {
      try {
        return Integer.parseInt(s.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "property 'port' = '" + s + "' is not a number: " + PORT_FIX);
      }
    }
    throw new IllegalArgumentException("property 'port' = " + value + " is not a number: " + PORT_FIX);
  }

  private static final String PORT_FIX =
      "set it to a TCP port between 1 and 65535 (default " + DEFAULT_PORT + "; 0 picks a free port)";

  /** The configured port; 0 means a free port chosen when the server starts. */
  public int port() {
    return port;
  }

  /** The configured bind address, as given. */
  public String bind() {
    return bind;
  }

  /** The bind address, resolved. */
  public InetAddress bindAddress() {
    return bindAddress;
  }

  /** The API key that every call must carry in metadata {@code key}, or empty when none. */
  public Optional<String> key() {
    return Optional.ofNullable(key);
  }

  /** The secret that every call's signature must be made with, or empty when none is checked. */
  public Optional<String> signSecret() {
    return Optional.ofNullable(signSecret);
  }

  /** The file that keeps the store across restarts, or empty when it lives in memory only. */
  public Optional<Path> storeFile() {
    return storeFile;
  }

  /** The clock that stamps dispatches and judges "in the past". */
  public Clock clock() {
    return clock;
  }

  /** Whether {@code other} listens on the same configured address (bind and port). */
  public boolean sameAddress(SimulatorOptions other) {
    return port == other.port && bindAddress.equals(other.bindAddress);
  }

  /** Never shows the key, only whether there is one. */
  @Override
  public String toString() {
    return "SimulatorOptions[bind="
        + bind
        + ", port="
        + port
        + ", key="
        + (key == null ? "<none>" : "<set>")
        + ", signSecret="
        + (signSecret == null ? "<none>" : "<set>")
        + ", storeFile="
        + storeFile.map(Path::toString).orElse("<memory only>")
        + "]";
  }

  /** Builds {@link SimulatorOptions}. */
  public static final class Builder {
    private int port = DEFAULT_PORT;
    private String bind = DEFAULT_BIND;
    private String key;
    private String signSecret;
    private Optional<Path> storeFile = Optional.empty();
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /**
     * Sets the port.
     *
     * @param port 1..65535, or 0 for a free port chosen at start
     * @return this builder
     */
    public Builder port(int port) {
      this.port = port;
      return this;
    }

    /**
     * Sets the address to listen on.
     *
     * @param bind an IP address ({@code 127.0.0.1}, {@code 0.0.0.0}, {@code ::1}) or host name
     * @return this builder
     */
    public Builder bind(String bind) {
      this.bind = Objects.requireNonNull(bind, "bind").trim();
      return this;
    }

    /**
     * Sets the API key that every call must carry.
     *
     * @param key the key; null or blank for none
     * @return this builder
     */
    public Builder key(String key) {
      this.key = key == null || key.isBlank() ? null : key;
      return this;
    }

    /**
     * Requires every call to be signed with this secret (see the client's README section
     * "Request signing").
     *
     * @param secret the secret; null or blank for no check
     * @return this builder
     */
    public Builder signSecret(String secret) {
      this.signSecret = secret == null || secret.isBlank() ? null : secret;
      return this;
    }

    /**
     * Keeps the store in a file, read at start and rewritten after each change.
     *
     * @param file the file; its directory is created when missing
     * @return this builder
     */
    public Builder storeFile(Path file) {
      this.storeFile = Optional.of(file);
      return this;
    }

    /**
     * Sets the clock.
     *
     * @param clock stamps dispatches and judges "in the past"
     * @return this builder
     */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Checks and builds the options.
     *
     * @return the options
     * @throws IllegalArgumentException naming the bad property and how to fix it
     */
    public SimulatorOptions build() {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException(
            "property 'port' = " + port + " is out of range: " + PORT_FIX);
      }
      return new SimulatorOptions(this, resolve(bind));
    }

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9._:%-]+");
    private static final Pattern DOTTED = Pattern.compile("[0-9.]+");

    private static boolean isIpv4(String s) {
      String[] parts = s.split("\\.", -1);
      if (parts.length != 4) {
        return false;
      }
      for (String part : parts) {
        if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) {
          return false;
        }
      }
      return true;
    }

    private static InetAddress resolve(String bind) {
      String fix =
          ": set it to an address of this machine, such as 127.0.0.1 (this machine only, the"
              + " default) or 0.0.0.0 (every interface)";
      if (bind.isEmpty()) {
        throw new IllegalArgumentException("property 'bind' is empty" + fix);
      }
      // Refused without asking DNS: what cannot be an address or a host name.
      if (!HOST.matcher(bind).matches() || (DOTTED.matcher(bind).matches() && !isIpv4(bind))) {
        throw new IllegalArgumentException(
            "property 'bind' = '" + bind + "' is not an IP address or a host name" + fix);
      }
      try {
        return InetAddress.getByName(bind);
      } catch (UnknownHostException | SecurityException e) {
        throw new IllegalArgumentException(
            "property 'bind' = '" + bind + "' is not an IP address or a known host name" + fix);
      }
    }
  }
}
