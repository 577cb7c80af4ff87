package io.microgrid.dispatch.simulator.internal;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.okhttp.OkHttpServerBuilder;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A local Dispatch API server for development and tests: a real gRPC server (plaintext, grpc-okhttp)
 * with the six methods of {@code frequenz.api.dispatch.v1.MicrogridDispatchService} and the real
 * API's rules, over a store that survives restarts when given a file. Plain Java, usable with or
 * without OSGi.
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

  private final StreamHub streams = new StreamHub();
  private final KeyCheck keys;
  private final SignatureCheck signatures;
  private final DispatchStore store;

  private final Object lifecycle = new Object();
  // Guarded by lifecycle; volatile for the readers of port().
  private volatile Server server;
  private SimulatorOptions options;
  private boolean closed;

  private DispatchSimulator(SimulatorOptions options) throws IOException {
    this.keys = new KeyCheck(options.key().orElse(null));
    this.signatures = new SignatureCheck(options.signSecret().orElse(null), options.clock());
    this.store =
        new DispatchStore(
            options.clock(),
            streams,
            options.storeFile().map(f -> new StoreFile(f, options.clock())).orElse(null));
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
    return streams.count(microgridId);
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
      keys.require(newOptions.key().orElse(null));
      signatures.require(newOptions.signSecret().orElse(null));
      if (newOptions.sameAddress(options)) {
        options = newOptions;
        if (keyChanged) {
          LOG.log(
              Level.INFO,
              "Dispatch simulator on {0}: API key {1}",
              address(server, options),
              keys.required() ? "now required" : "no longer required");
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
    Server s =
        OkHttpServerBuilder.forPort(address, InsecureServerCredentials.create())
            // The client pings at gRPC's minimum of 10 s at the most (keepalive.time.seconds); a
            // server that permitted less would end its connections with GOAWAY (too_many_pings).
            .permitKeepAliveTime(5, TimeUnit.SECONDS)
            .permitKeepAliveWithoutCalls(true)
            // The last interceptor runs first: the key, then the signature, before anything else.
            .addService(
                ServerInterceptors.intercept(
                    new SimulatorService(store, streams), new EarlyHeaders(), signatures, keys))
            .build();
    try {
      s.start();
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
    StoreFile file = store.file();
    LOG.log(
        Level.INFO,
        "Dispatch simulator listening on {0} (plaintext; API key {1}; signatures {4}; store {2},"
            + " {3} dispatches)",
        address(s, o),
        keys.required() ? "required" : "not required",
        file == null ? "in memory only" : file.path().toString(),
        Integer.toString(store.size()),
        signatures.required() ? "required" : "not required");
    return s;
  }

  private void stop(Server s, SimulatorOptions o, String why) {
    String address = address(s, o);
    streams.closeAll(Status.UNAVAILABLE.withDescription("dispatch simulator " + why));
    s.shutdown();
    try {
      if (!s.awaitTermination(2, TimeUnit.SECONDS)) {
        // Calls still running after the grace period are cut off.
        s.shutdownNow();
        s.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      s.shutdownNow();
      Thread.currentThread().interrupt();
    }
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
