package io.microgrid.dispatch.client.testing;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The open StreamMicrogridDispatches calls, per microgrid: fans events out to them, ends them on
 * demand and lets tests wait until a given number is open.
 */
final class StreamHub {

  private final ReentrantLock lock = new ReentrantLock();
  // Signalled on every open and close, so waiters re-check the count instead of sleeping.
  private final Condition changed = lock.newCondition();
  private final Map<Long, Set<Subscriber>> open = new HashMap<>();

  private volatile boolean outage;

  /** While on, streams are refused with UNAVAILABLE, as by a server whose stream side is down. */
  void outage(boolean on) {
    outage = on;
    if (on) {
      breakAll("stream service down (test outage)");
    }
  }

  void open(long microgridId, ServerCallStreamObserver<StreamMicrogridDispatchesResponse> observer) {
    if (outage) {
      observer.onError(
          Status.UNAVAILABLE.withDescription("stream service down (test outage)").asRuntimeException());
      return;
    }
    Subscriber subscriber = new Subscriber(microgridId, observer);
    // Must be set inside the service method; it also keeps onNext on a cancelled call a no-op.
    observer.setOnCancelHandler(() -> remove(subscriber));
    lock.lock();
    try {
      open.computeIfAbsent(microgridId, id -> new LinkedHashSet<>()).add(subscriber);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void publish(long microgridId, StreamMicrogridDispatchesResponse message) {
    for (Subscriber subscriber : snapshot(microgridId)) {
      subscriber.send(message);
    }
  }

  /** Ends every open stream of every microgrid with UNAVAILABLE, as a server restart would. */
  int breakAll(String reason) {
    List<Subscriber> broken = new ArrayList<>();
    lock.lock();
    try {
      open.values().forEach(broken::addAll);
      open.clear();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Subscriber subscriber : broken) {
      subscriber.fail(Status.UNAVAILABLE.withDescription(reason));
    }
    return broken.size();
  }

  int count(long microgridId) {
    lock.lock();
    try {
      return open.getOrDefault(microgridId, Set.of()).size();
    } finally {
      lock.unlock();
    }
  }

  void awaitCount(long microgridId, int expected, Duration timeout) throws InterruptedException {
    long remaining = timeout.toNanos();
    lock.lock();
    try {
      int current;
      while ((current = open.getOrDefault(microgridId, Set.of()).size()) != expected) {
        if (remaining <= 0) {
          throw new AssertionError(
              "expected " + expected + " open stream(s) for microgrid " + microgridId
                  + " within " + timeout + ", but " + current + " are open");
        }
        remaining = changed.awaitNanos(remaining);
      }
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
      if (!ended) {
        observer.onNext(message);
      }
    }

    synchronized void fail(Status status) {
      if (!ended) {
        ended = true;
        observer.onError(status.asRuntimeException());
      }
    }
  }
}
