package io.microgrid.dispatch.server;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open StreamMicrogridDispatches calls, per microgrid: fans every change out to them, ends
 * them all when the server stops (or a test breaks them), and lets a caller wait until a given
 * number is open.
 */
public final class StreamHub {

  private final ReentrantLock lock = new ReentrantLock();
  // Signalled on every open and close, so that waiters re-check the count instead of polling.
  private final Condition changed = lock.newCondition();
  // Guarded by lock.
  private final Map<Long, Set<Subscriber>> open = new HashMap<>();

  /**
   * Registers a stream, then sends its response headers at once: a client that sees the headers
   * knows that every later change reaches it.
   *
   * @param microgridId the microgrid the stream follows
   * @param observer the call's observer; must be called from within the service method
   * @param sendHeaders sends the call's response headers
   */
  public void open(
      long microgridId,
      ServerCallStreamObserver<StreamMicrogridDispatchesResponse> observer,
      Runnable sendHeaders) {
    Subscriber subscriber = new Subscriber(microgridId, observer);
    // Must be set inside the service method; it also makes onNext on a cancelled call a no-op.
    observer.setOnCancelHandler(() -> remove(subscriber));
    // The subscriber's monitor is held from before it is visible until its headers are out, so
    // that no event is sent before the headers.
    synchronized (subscriber) {
      lock.lock();
      try {
        open.computeIfAbsent(microgridId, id -> new LinkedHashSet<>()).add(subscriber);
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      try {
        sendHeaders.run();
      } catch (RuntimeException e) {
        // The client went away already; its cancel handler removes the subscriber.
      }
    }
  }

  /** Sends {@code message} to every open stream of the microgrid. */
  public void publish(long microgridId, StreamMicrogridDispatchesResponse message) {
    for (Subscriber subscriber : snapshot(microgridId)) {
      subscriber.send(message);
    }
  }

  /** Ends every open stream of every microgrid with {@code status}. Returns how many it ended. */
  public int closeAll(Status status) {
    List<Subscriber> ended = new ArrayList<>();
    lock.lock();
    try {
      open.values().forEach(ended::addAll);
      open.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Subscriber subscriber : ended) {
      subscriber.fail(status);
    }
    return ended.size();
  }

  /** How many streams of the microgrid are open. */
  public int count(long microgridId) {
    lock.lock();
    try {
      return open.getOrDefault(microgridId, Set.of()).size();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until exactly {@code expected} streams of the microgrid are open (0 waits for all to
   * close).
   *
   * @return whether that happened within {@code timeout}
   */
  public boolean awaitCount(long microgridId, int expected, Duration timeout)
      throws InterruptedException {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      while (open.getOrDefault(microgridId, Set.of()).size() != expected) {
        if (remaining <= 0) {
          return false;
        }
        remaining = changed.awaitNanos(remaining);
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  private List<Subscriber> snapshot(long microgridId) {
    lock.lock();
    try {
      return List.copyOf(open.getOrDefault(microgridId, Set.of()));
    } finally {
      lock.unlock();
    }
  }

  private void remove(Subscriber subscriber) {
    lock.lock();
    try {
      Set<Subscriber> subscribers = open.get(subscriber.microgridId);
      if (subscribers != null && subscribers.remove(subscriber)) {
        if (subscribers.isEmpty()) {
          open.remove(subscriber.microgridId);
        }
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * One open stream. A StreamObserver is not thread-safe and refuses onNext after onError, so
   * every use goes through this object's monitor and stops once the stream has ended.
   */
  private static final class Subscriber {
    final long microgridId;
    private final ServerCallStreamObserver<StreamMicrogridDispatchesResponse> observer;
    private boolean ended;

    Subscriber(long microgridId, ServerCallStreamObserver<StreamMicrogridDispatchesResponse> observer) {
      this.microgridId = microgridId;
      this.observer = observer;
    }

    synchronized void send(StreamMicrogridDispatchesResponse message) {
      if (ended) {
        return;
      }
      try {
        observer.onNext(message);
      } catch (RuntimeException e) {
        // The call was cancelled or closed underneath us (client gone): stop using it; the
        // cancel handler removes it from the hub.
        ended = true;
      }
    }

    synchronized void fail(Status status) {
      if (!ended) {
        ended = true;
        try {
          observer.onError(status.asRuntimeException());
        } catch (RuntimeException e) {
          // Already closed by gRPC; nothing left to tell.
        }
      }
    }
  }
}
