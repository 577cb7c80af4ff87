package io.microgrid.dispatch.client.internal;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchStreamListener;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.api.ServiceUnavailableException;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesRequest;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import io.microgrid.dispatch.support.log.BundleLoggers;
import io.microgrid.dispatch.protocol.codec.ProtoConversion;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * One stream subscription: keeps a server stream open for a microgrid, reopening it after a
 * failure with backoff, and moving it at once to a new channel when the configuration changes.
 *
 * <p>Every call attempt has a generation number; callbacks of an attempt that has been replaced
 * or cancelled are dropped, so the listener sees one ordered story: connected, events,
 * disconnected, connected again.
 */
public final class StreamSubscription implements DispatchSubscription {
  private static final System.Logger LOG = BundleLoggers.get(StreamSubscription.class);

  /** How long a new stream must stay open before it counts as connected without any message. */
  static final Duration CONNECT_SETTLE = Duration.ofMillis(100);

  /**
   * How long a retry waits for the channel's reconnect, which it starts at once, before it makes
   * its attempt anyway: ample for a TCP and TLS handshake, short beside the backoff delays.
   */
  static final Duration RECONNECT_WAIT = Duration.ofSeconds(1);

  private final long microgridId;
  private final DispatchStreamListener listener;
  private final Supplier<Transport> transport;
  private final ScheduledExecutorService timer;
  private final Runnable onClose;
  private final Object lock = new Object();

  // Guarded by lock.
  private final Backoff backoff;
  private int generation;
  private boolean closed;
  private boolean everConnected;
  private ClientCall<StreamMicrogridDispatchesRequest, StreamMicrogridDispatchesResponse> call;
  private ScheduledFuture<?> pendingRetry;
  private ScheduledFuture<?> settleTimer;
  private Instant connectedAt;
  private volatile boolean connected;

  /**
   * @param microgridId the microgrid to follow
   * @param listener told about the connection and every event
   * @param transport the channel to use for each attempt (the current one)
   * @param timer runs the delayed reconnect attempts
   * @param onClose called once when the subscription is closed
   */
  public StreamSubscription(
      long microgridId,
      DispatchStreamListener listener,
      Supplier<Transport> transport,
      ScheduledExecutorService timer,
      Runnable onClose) {
    this.microgridId = microgridId;
    this.listener = listener;
    this.transport = transport;
    this.timer = timer;
    this.onClose = onClose;
    Transport t = transport.get();
    this.backoff = new Backoff(t.options().reconnectDelay(), t.options().maxReconnectDelay());
  }

  /** Opens the first stream. */
  public void start() {
    synchronized (lock) {
      attempt();
    }
  }

  /**
   * Moves the stream to the current transport at once, e.g. after a configuration change. The
   * listener is told that the old stream ended and, when the new one is up, that it reconnected.
   */
  public void restart() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      cancelCurrent("moving to a new connection");
      if (connected) {
        connected = false;
        deliverDisconnected(
            new ServiceUnavailableException(
                "UNAVAILABLE", "stream of microgrid " + microgridId + " moved to a new connection", null));
      }
      backoff.reset();
      attempt();
    }
  }

  @Override
  public boolean isConnected() {
    return connected;
  }

  @Override
  public void close() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      connected = false;
      cancelCurrent("subscription closed");
    }
    onClose.run();
  }

  // ---- guarded by lock ----------------------------------------------------------------------

  private void attempt() {
    pendingRetry = null;
    int gen = ++generation;
    Transport t = transport.get();
    ClientCall<StreamMicrogridDispatchesRequest, StreamMicrogridDispatchesResponse> c =
        t.channel()
            .newCall(DispatchMethods.STREAM, CallOptions.DEFAULT);
    call = c;
    c.start(new AttemptListener(gen, t.options().key()), new Metadata());
    c.sendMessage(StreamMicrogridDispatchesRequest.newBuilder().setMicrogridId(microgridId).build());
    c.halfClose();
    c.request(1);
  }

  private void cancelCurrent(String why) {
    generation++;
    cancelSettle();
    if (pendingRetry != null) {
      pendingRetry.cancel(false);
      pendingRetry = null;
    }
    if (call != null) {
      call.cancel(why, null);
      call = null;
    }
  }

  private void cancelSettle() {
    if (settleTimer != null) {
      settleTimer.cancel(false);
      settleTimer = null;
    }
  }

  private void markConnected(boolean healthy) {
    cancelSettle();
    if (healthy) {
      backoff.reset();
    }
    if (!connected) {
      connected = true;
      connectedAt = Instant.now();
      boolean reconnect = everConnected;
      everConnected = true;
      LOG.log(
          Level.INFO,
          "dispatch stream of microgrid {0} {1}",
          microgridId,
          reconnect ? "reconnected" : "connected");
      try {
        listener.onConnected(reconnect);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "stream listener of microgrid " + microgridId + " failed on connect", e);
      }
    }
  }

  private void deliverDisconnected(DispatchApiException cause) {
    try {
      listener.onDisconnected(cause);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "stream listener of microgrid " + microgridId + " failed on disconnect", e);
    }
  }

  private void deliver(StreamMicrogridDispatchesResponse response) {
    ProtoConversion.ConvertedEvent converted = ProtoConversion.eventFromProto(response, microgridId);
    if (converted instanceof ProtoConversion.Unreadable bad) {
      unreadable(bad.dispatchId(), bad.reason());
      return;
    }
    DispatchEvent event = ((ProtoConversion.ReadableEvent) converted).event();
    try {
      listener.onEvent(event);
    } catch (RuntimeException e) {
      LOG.log(
          Level.WARNING,
          "stream listener of microgrid " + microgridId + " failed on dispatch " + event.dispatch().id(),
          e);
    }
  }

  private void unreadable(long dispatchId, String reason) {
    LOG.log(
        Level.WARNING,
        "skipping unreadable dispatch {0} of microgrid {1} from the stream: {2}",
        Long.toUnsignedString(dispatchId),
        microgridId,
        reason);
    try {
      listener.onUnreadable(dispatchId, reason);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "stream listener of microgrid " + microgridId + " failed", e);
    }
  }

  private void ended(Status status, String key) {
    cancelSettle();
    // The delays are taken from the options in use now, not from those the subscription started
    // with, so that an edit of the configuration reaches streams that are already open.
    ClientOptions options = transport.get().options();
    backoff.delays(options.reconnectDelay(), options.maxReconnectDelay());
    boolean wasConnected = connected;
    boolean livedLong =
        wasConnected
            && connectedAt != null
            && Duration.between(connectedAt, Instant.now()).compareTo(backoff.max()) >= 0;
    connected = false;
    call = null;
    if (livedLong) {
      backoff.reset();
    }
    DispatchApiException cause =
        status.isOk()
            ? new ServiceUnavailableException(
                "UNAVAILABLE", "the server ended the stream of microgrid " + microgridId, null)
            : StatusMapping.map("stream of microgrid " + microgridId, status, key);
    Duration delay = backoff.nextDelay();
    LOG.log(
        wasConnected ? Level.WARNING : Level.DEBUG,
        "dispatch stream of microgrid {0} broke ({1}); reconnecting in {2} ms",
        microgridId,
        cause.getMessage(),
        delay.toMillis());
    deliverDisconnected(cause);
    int gen = generation;
    pendingRetry =
        timer.schedule(
            () -> {
              synchronized (lock) {
                if (!closed && gen == generation) {
                  retry(gen);
                }
              }
            },
            delay.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  private void retry(int gen) {
    // The channel keeps its own connect backoff (growing to 2 minutes) beneath ours, and while it
    // waits every attempt fails at once: our backoff decides when to try, so the channel must
    // reconnect now too.
    ManagedChannel channel = transport.get().channel();
    channel.resetConnectBackoff();
    if (channel.getState(false) != ConnectivityState.TRANSIENT_FAILURE) {
      attempt();
      return;
    }
    // After a failed connection the channel stays in TRANSIENT_FAILURE until a connection is READY
    // (gRPC's "sticky" transient failure) and fails every call at once with the old error, even
    // while the reconnect just started is about to succeed: a server that came back would only be
    // reached one backoff delay later. So the attempt waits for the channel's state to change, or
    // for RECONNECT_WAIT when it does not (the server is still away: the attempt then fails at
    // once with the channel's error, which the listener is told).
    AtomicBoolean made = new AtomicBoolean();
    Runnable attemptOnce =
        () -> {
          synchronized (lock) {
            if (made.compareAndSet(false, true) && !closed && gen == generation) {
              attempt();
            }
          }
        };
    channel.notifyWhenStateChanged(
        ConnectivityState.TRANSIENT_FAILURE,
        () -> {
          try {
            timer.execute(attemptOnce);
          } catch (RejectedExecutionException closing) {
            // The connection is closing (its timer stops first): nothing to attempt.
          }
        });
    pendingRetry = timer.schedule(attemptOnce, RECONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Receives the callbacks of one attempt and drops them once the attempt is stale. */
  private final class AttemptListener extends ClientCall.Listener<StreamMicrogridDispatchesResponse> {
    private final int gen;
    private final String key;

    AttemptListener(int gen, String key) {
      this.gen = gen;
      this.key = key;
    }

    private boolean current() {
      return !closed && gen == generation;
    }

    @Override
    public void onReady() {
      // The stream exists on a live connection and our request is on its way. Servers often send
      // no headers until the first event, so this is the first sign of life we get. The server
      // still has to accept the call (a wrong key is refused within milliseconds) and register
      // it, so "connected" is reported once the stream has stayed open for a short settling time,
      // or at once when headers or an event arrive.
      synchronized (lock) {
        if (current() && !connected && settleTimer == null) {
          settleTimer =
              timer.schedule(
                  () -> {
                    synchronized (lock) {
                      settleTimer = null;
                      if (current()) {
                        markConnected(false);
                      }
                    }
                  },
                  CONNECT_SETTLE.toMillis(),
                  TimeUnit.MILLISECONDS);
        }
      }
    }

    @Override
    public void onHeaders(Metadata headers) {
      synchronized (lock) {
        if (current()) {
          markConnected(true);
        }
      }
    }

    @Override
    public void onMessage(StreamMicrogridDispatchesResponse message) {
      synchronized (lock) {
        if (!current()) {
          return;
        }
        markConnected(true);
        deliver(message);
        if (call != null) {
          call.request(1);
        }
      }
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      synchronized (lock) {
        if (current()) {
          ended(status, key);
        }
      }
    }
  }
}
