package io.microgrid.dispatch.client;

import io.grpc.ManagedChannel;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchClient;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchStreamListener;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.client.internal.Channels;
import io.microgrid.dispatch.client.internal.DispatchCalls;
import io.microgrid.dispatch.client.internal.StreamSubscription;
import io.microgrid.dispatch.client.internal.Transport;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A {@link DispatchClient} over one gRPC channel, built from {@link ClientOptions}: the core of
 * the client bundle, usable without OSGi.
 *
 * <p>{@link #reconfigure(ClientOptions)} swaps the channel while the connection stays in use:
 * calls in flight finish on the old channel, new calls and every open stream subscription move to
 * the new one. Thread-safe.
 */
public final class DispatchConnection implements DispatchClient, AutoCloseable {
  private static final System.Logger LOG = BundleLoggers.get(DispatchConnection.class);

  private final Clock clock;
  private final ScheduledExecutorService reconnectTimer;
  private final Set<StreamSubscription> subscriptions = ConcurrentHashMap.newKeySet();
  private volatile Transport transport;
  private volatile boolean closed;

  private DispatchConnection(ClientOptions options, Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.transport = new Transport(Channels.open(options), options);
    Channels.startHeaderLogRedaction();
    this.reconnectTimer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dispatch-client-reconnect");
              t.setDaemon(true);
              return t;
            });
    warnIfPlaintext(options);
  }

  /**
   * Opens a connection; the network connection itself is made by the first call.
   *
   * @param options where and how to connect
   * @return the connection
   * @throws IllegalArgumentException when the TLS trust settings cannot be used
   */
  public static DispatchConnection open(ClientOptions options) {
    return open(options, Clock.systemUTC());
  }

  /**
   * Opens a connection that takes "now" from the given clock (for a dispatch that starts now, and
   * for refusing a start in the past).
   *
   * @param options where and how to connect
   * @param clock the clock
   * @return the connection
   */
  public static DispatchConnection open(ClientOptions options, Clock clock) {
    return new DispatchConnection(options, clock);
  }

  /**
   * Returns the options in use.
   *
   * @return the current options
   */
  public ClientOptions options() {
    return transport.options();
  }

  /**
   * Applies new options. When the server, TLS settings or key change, a new channel is opened,
   * open stream subscriptions move to it, and the old channel is shut down after its calls in
   * flight finish. Other changes (the call timeout) apply to the next call.
   *
   * @param options the new options
   */
  public void reconfigure(ClientOptions options) {
    Transport old;
    synchronized (this) {
      ensureOpen();
      old = transport;
      if (options.sameConnection(old.options())) {
        transport = new Transport(old.channel(), options);
        return;
      }
      transport = new Transport(Channels.open(options), options);
    }
    LOG.log(Level.INFO, "dispatch client moved to {0}", options.url());
    warnIfPlaintext(options);
    subscriptions.forEach(StreamSubscription::restart);
    old.channel().shutdown();
  }

  @Override
  public Dispatch create(long microgridId, NewDispatch dispatch) {
    return calls().create(microgridId, dispatch, clock.instant());
  }

  @Override
  public Dispatch update(long microgridId, long dispatchId, DispatchUpdate update) {
    return calls().update(microgridId, dispatchId, update);
  }

  @Override
  public Dispatch get(long microgridId, long dispatchId) {
    return calls().get(microgridId, dispatchId);
  }

  @Override
  public void delete(long microgridId, long dispatchId) {
    calls().delete(microgridId, dispatchId);
  }

  @Override
  public Stream<Dispatch> list(long microgridId, DispatchQuery query) {
    return calls().list(microgridId, query);
  }

  @Override
  public DispatchSubscription stream(long microgridId, DispatchStreamListener listener) {
    Objects.requireNonNull(listener, "listener");
    ensureOpen();
    StreamSubscription[] self = new StreamSubscription[1];
    StreamSubscription s =
        new StreamSubscription(
            microgridId, listener, () -> transport, reconnectTimer, () -> subscriptions.remove(self[0]));
    self[0] = s;
    subscriptions.add(s);
    s.start();
    return s;
  }

  /** Closes every subscription and the channel. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    subscriptions.forEach(StreamSubscription::close);
    reconnectTimer.shutdownNow();
    ManagedChannel channel = transport.channel();
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      Channels.stopHeaderLogRedaction();
    }
  }

  @Override
  public String toString() {
    return "DispatchConnection[" + transport.options() + "]";
  }

  private DispatchCalls calls() {
    ensureOpen();
    return new DispatchCalls(transport);
  }

  private void ensureOpen() {
    if (closed) {
      throw new DispatchApiException("CANCELLED", "the dispatch client is closed", null);
    }
  }

  private static void warnIfPlaintext(ClientOptions options) {
    if (!options.tls()) {
      LOG.log(
          Level.WARNING,
          "dispatch client connects to {0} WITHOUT TLS (ssl=false): the API key travels in clear",
          options.url());
    }
  }
}
