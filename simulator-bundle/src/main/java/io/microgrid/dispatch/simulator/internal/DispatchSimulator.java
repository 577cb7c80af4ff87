package io.microgrid.dispatch.simulator.internal;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.microgrid.dispatch.server.DispatchApi;
import io.microgrid.dispatch.server.DispatchStore;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * A local Dispatch API server for development and tests: server-core's {@link DispatchApi} (a real
 * gRPC server, plaintext, grpc-okhttp, with the real API's rules) over a store that survives
 * restarts when given a file, on an address that can change while it runs. Plain Java, usable
 * with or without OSGi.
 *
 * <pre>{@code
 * try (DispatchSimulator simulator =
 *     DispatchSimulator.start(SimulatorOptions.builder().port(0).storeFile(file).build())) {
 *   // point a client at grpc://127.0.0.1:<simulator.port()>?ssl=false
 * }
 * }</pre>
 */
public final class DispatchSimulator implements AutoCloseable {
  private static final Logger LOG = BundleLoggers.get(DispatchSimulator.class);

  private final DispatchApi api;
  // Null when the store is kept in memory only.
  private final StoreFile file;

  private final Object lifecycle = new Object();
  // Guarded by lifecycle; volatile for the readers of port().
  private volatile Server server;
  private SimulatorOptions options;
  private boolean closed;

  private DispatchSimulator(SimulatorOptions options) throws IOException {
    this.file = options.storeFile().map(f -> new StoreFile(f, options.clock())).orElse(null);
    this.api =
        new DispatchApi(
            options.clock(),
            file == null ? DispatchStore.Contents.EMPTY : file.load(),
            file,
            options.key().orElse(null),
            options.signSecret().orElse(null));
    this.options = options;
    this.server = listen(options);
  }

  /**
   * Loads the store (when the options name a file) and starts the server.
   *
   * @param options how to run
   * @return the running simulator
   * @throws IOException when the server cannot listen on the address (the message says what to
   *     change), or the store file can be neither read nor moved aside
   */
  public static DispatchSimulator start(SimulatorOptions options) throws IOException {
    return new DispatchSimulator(Objects.requireNonNull(options, "options"));
  }

  /** The port the server listens on (the chosen one when the options say 0); -1 once closed. */
  public int port() {
    Server s = server;
    return s == null ? -1 : s.getPort();
  }

  /** How many streams of the microgrid are registered (open and receiving changes). */
  int openStreams(long microgridId) {
    return api.streams().count(microgridId);
  }

  /** The options it runs with. */
  public SimulatorOptions options() {
    synchronized (lifecycle) {
      return options;
    }
  }

  /**
   * Applies new options while keeping the store: a new key applies to the next call; a new
   * address restarts the server there (open streams end with UNAVAILABLE, so clients reconnect).
   * When the new address cannot be used, the server goes back to the old one.
   *
   * @param newOptions the options; their store file must be the one the simulator started with
   * @throws IOException when the server cannot listen on the new address (it then listens on the
   *     old one again, unless that failed too, which is logged)
   * @throws IllegalArgumentException when the options name another store file
   * @throws IllegalStateException when the simulator is closed
   */
  public void reconfigure(SimulatorOptions newOptions) throws IOException {
    Objects.requireNonNull(newOptions, "newOptions");
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("the simulator is closed");
      }
      if (!newOptions.storeFile().equals(options.storeFile())) {
        throw new IllegalArgumentException(
            "the store file cannot change while the simulator runs; close it and start a new one");
      }
      boolean keyChanged = !newOptions.key().equals(options.key());
      api.requireKey(newOptions.key().orElse(null));
      api.requireSignature(newOptions.signSecret().orElse(null));
      if (newOptions.sameAddress(options)) {
        options = newOptions;
        if (keyChanged) {
          LOG.log(
              Level.INFO,
              "Dispatch simulator on {0}: API key {1}",
              address(server, options),
              api.keyRequired() ? "now required" : "no longer required");
        }
        return;
      }
      SimulatorOptions old = options;
      stop(server, old, "moving to " + newOptions.bind() + ":" + newOptions.port());
      server = null;
      try {
        server = listen(newOptions);
        options = newOptions;
      } catch (IOException e) {
        try {
          server = listen(old);
        } catch (IOException again) {
          LOG.log(
              Level.ERROR,
              "Dispatch simulator: cannot listen on the previous address either; it is not"
                  + " running: {0}",
              again.getMessage());
          e.addSuppressed(again);
        }
        throw e;
      }
    }
  }

  /**
   * Stops the server. Open streams first end with UNAVAILABLE, as when a real server goes away.
   * The store file (if any) already holds every change.
   */
  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      if (server != null) {
        stop(server, options, "closed");
        server = null;
      }
    }
  }

  private Server listen(SimulatorOptions o) throws IOException {
    InetSocketAddress address = new InetSocketAddress(o.bindAddress(), o.port());
    Server s;
    try {
      s = api.listen(address, InsecureServerCredentials.create());
    } catch (IOException e) {
      throw new IOException(
          "cannot listen on "
              + host(o)
              + ":"
              + o.port()
              + " ("
              + e.getMessage()
              + "): set 'port' to a free port, or 'bind' to an address of this machine",
          e);
    }
    LOG.log(
        Level.INFO,
        "Dispatch simulator listening on {0} (plaintext; API key {1}; signatures {4}; store {2},"
            + " {3} dispatches)",
        address(s, o),
        api.keyRequired() ? "required" : "not required",
        file == null ? "in memory only" : file.path().toString(),
        Integer.toString(api.store().size()),
        api.signatureRequired() ? "required" : "not required");
    return s;
  }

  private void stop(Server s, SimulatorOptions o, String why) {
    String address = address(s, o);
    api.stop(s, "dispatch simulator " + why);
    LOG.log(Level.INFO, "Dispatch simulator on {0} stopped ({1})", address, why);
  }

  private static String address(Server s, SimulatorOptions o) {
    return host(o) + ":" + (s == null ? o.port() : s.getPort());
  }

  private static String host(SimulatorOptions o) {
    String ip = o.bindAddress().getHostAddress();
    return o.bindAddress() instanceof Inet6Address ? "[" + ip + "]" : ip;
  }
}
