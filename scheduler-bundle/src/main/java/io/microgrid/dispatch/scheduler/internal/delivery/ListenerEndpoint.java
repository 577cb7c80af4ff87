package io.microgrid.dispatch.scheduler.internal.delivery;

import io.microgrid.dispatch.api.DeliveryReport;
import io.microgrid.dispatch.api.DeliveryReport.Outcome;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One listener registration's delivery: its own ordered queue and its own thread, so that a slow,
 * failing or hanging listener delays only itself and sees its notifications in order (semantics
 * §8). Every notification it accepts ends with exactly one {@link DeliveryReport}, unless the
 * registration is stopped first; then what is still queued is dropped unreported, since the
 * listener is gone and nobody awaits its answer.
 *
 * <p>Timeouts follow Felix EventAdmin: a call that runs longer than the timeout is counted (once
 * per elapsed timeout period while it is stuck, by the {@link Watchdog}); when the timeouts in a
 * row reach {@code denyAfter} the listener is denied: it is not called again, and every
 * notification for it is reported {@link Outcome#DENIED} at once, until {@link #allowAgain()}. A
 * call cannot be stopped, only abandoned: a stuck call keeps its thread.
 *
 * <p>The hub's {@link Clock} dates the reports and measures latencies (a transition's instant is a
 * wall-clock instant). How long a call took is measured on a monotonic ticker ({@link
 * System#nanoTime()}), never on the wall clock: when NTP steps the wall clock forward while a call
 * runs (by hours after a gateway booted with a wrong real-time clock), the call is not late, and
 * three such steps must not deny a healthy listener. The watchdog's periods run on real time too,
 * because only a thread that wakes up can notice a call that never returns.
 */
final class ListenerEndpoint {
  private static final System.Logger LOG = BundleLoggers.get(ListenerEndpoint.class);

  // Wakes the worker to end it; never handed to a listener.
  private static final Delivery STOP = new Delivery("stop", null, Optional.empty(), null, null);

  private final long serviceId;
  private final String name;
  private final Supplier<ListenerSettings> settings;
  private final Watchdog watchdog;
  private final DeliveryReports reports;
  private final Clock clock;
  private final LongSupplier ticker;
  private final LinkedBlockingQueue<Delivery> queue = new LinkedBlockingQueue<>();
  private final Thread worker;

  // The scheduler thread (enqueue, stop, allowAgain), the worker and the watchdog meet here;
  // it is held only for bookkeeping, never during a listener call or anything that can block.
  private final Object lock = new Object();
  private boolean stopped;
  // Set by finish(): nothing more is accepted, what is queued is still delivered.
  private boolean finishing;
  private boolean denied;
  private int deniedAfter; // the timeouts in a row that caused the denial, for its reports
  private int consecutiveTimeouts;
  private long delivered;
  private long failed;
  private long timedOut;
  private long deniedCount;

  /** The call in flight; its fields are guarded by the endpoint's lock. */
  private static final class Call {
    final Delivery delivery;
    final Duration timeout;
    long startedNanos;
    int periodsCounted;
    boolean finished;
    boolean reported;

    Call(Delivery delivery, Duration timeout) {
      this.delivery = delivery;
      this.timeout = timeout;
    }
  }

  private ListenerEndpoint(
      long serviceId,
      String name,
      String threadName,
      Supplier<ListenerSettings> settings,
      Watchdog watchdog,
      DeliveryReports reports,
      Clock clock,
      LongSupplier ticker) {
    this.serviceId = serviceId;
    this.name = name;
    this.settings = settings;
    this.watchdog = watchdog;
    this.reports = reports;
    this.clock = clock;
    this.ticker = ticker;
    this.worker = new Thread(this::work, threadName);
    worker.setDaemon(true);
  }

  /**
   * Makes an endpoint and starts its thread.
   *
   * @param serviceId the listener's {@code service.id}
   * @param name a readable name (kind, service id, class) for reports and logs
   * @param threadName the name of its thread
   * @param settings the current timeout and deny-after, read at every call so changes apply live
   * @param watchdog the hub's watchdog
   * @param reports where reports go
   * @param clock dates reports and measures latencies
   * @param ticker monotonic nanoseconds, which measure how long calls take
   * @return the running endpoint
   */
  static ListenerEndpoint start(
      long serviceId,
      String name,
      String threadName,
      Supplier<ListenerSettings> settings,
      Watchdog watchdog,
      DeliveryReports reports,
      Clock clock,
      LongSupplier ticker) {
    ListenerEndpoint e =
        new ListenerEndpoint(serviceId, name, threadName, settings, watchdog, reports, clock, ticker);
    e.worker.start();
    return e;
  }

  /**
   * Renames the thread, as when the scheduler moves to another microgrid: a thread dump then
   * names the microgrid served, not the one left.
   *
   * @param name the new name
   */
  void rename(String name) {
    worker.setName(name);
  }

  /**
   * Queues a notification; never blocks. A denied listener's notification is reported DENIED at
   * once.
   */
  void enqueue(Delivery delivery) {
    synchronized (lock) {
      if (stopped || finishing) {
        return;
      }
      if (denied) {
        reportDenied(delivery);
        return;
      }
      queue.add(delivery);
    }
  }

  /**
   * Lifts a denial, because the registration changed (semantics §8); the count of timeouts in a row
   * starts again.
   */
  void allowAgain() {
    boolean wasDenied;
    synchronized (lock) {
      wasDenied = denied;
      denied = false;
      consecutiveTimeouts = 0;
    }
    if (wasDenied) {
      LOG.log(Level.INFO, name + " is called again: its service properties changed");
    }
  }

  /**
   * Stops the endpoint: nothing queued is delivered and nothing more is accepted. A call in flight
   * cannot be stopped; its thread ends when it returns.
   */
  void stop() {
    synchronized (lock) {
      stopped = true;
      queue.clear();
      queue.add(STOP);
    }
  }

  /**
   * Ends the endpoint once what is queued has been delivered; nothing more is accepted.
   */
  void finish() {
    synchronized (lock) {
      if (stopped || finishing) {
        return;
      }
      finishing = true;
      queue.add(STOP);
    }
  }

  /**
   * Waits for the thread to end after {@link #stop()} or {@link #finish()}, then stops it (what a
   * finishing endpoint has not delivered by then is dropped) and interrupts it if it has not.
   *
   * @param deadlineNanos {@link System#nanoTime()} by which to give up waiting
   */
  void awaitStopped(long deadlineNanos) {
    try {
      TimeUnit.NANOSECONDS.timedJoin(worker, Math.max(0, deadlineNanos - System.nanoTime()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (worker.isAlive()) {
      stop();
      // A listener that ignores interruption keeps a daemon thread; nothing more can be done.
      worker.interrupt();
    }
  }

  /**
   * Returns the counts so far.
   *
   * @return a snapshot
   */
  ListenerCounters counters() {
    synchronized (lock) {
      return new ListenerCounters(
          delivered, failed, timedOut, deniedCount, consecutiveTimeouts, denied);
    }
  }

  private void work() {
    while (true) {
      Delivery d;
      try {
        d = queue.take();
      } catch (InterruptedException e) {
        synchronized (lock) {
          if (stopped) {
            return;
          }
        }
        continue; // a stray interrupt (the hub interrupts only after stop)
      }
      if (d == STOP) {
        return;
      }
      deliver(d);
      // A listener that leaves its interrupt flag set must not end its own delivery thread.
      Thread.interrupted();
    }
  }

  private void deliver(Delivery d) {
    ListenerSettings s = settings.get();
    Call call = new Call(d, s.timeout());
    synchronized (lock) {
      if (stopped) {
        return;
      }
      if (denied) {
        reportDenied(d);
        return;
      }
      call.startedNanos = ticker.getAsLong();
    }
    Watchdog.Watch watch = watchdog.watch(s.timeout(), periods -> stillRunning(call, periods));
    Throwable failure = null;
    try {
      d.call().run();
    } catch (Throwable t) {
      // Whatever a listener throws is its own failure, never the delivery thread's.
      failure = t;
    }
    watch.cancel();
    returned(call, failure);
  }

  /** The watchdog's check of a call: counts a timeout; returns whether to keep watching. */
  private boolean stillRunning(Call call, int periods) {
    LogLines log = new LogLines();
    try {
      return stillRunning(call, log);
    } finally {
      log.write();
    }
  }

  private boolean stillRunning(Call call, LogLines log) {
    synchronized (lock) {
      if (call.finished) {
        return false;
      }
      call.periodsCounted++;
      countTimeout();
      Duration running = Duration.ofNanos(ticker.getAsLong() - call.startedNanos);
      log.add(
          Level.WARNING,
          name
              + " still running after "
              + running.toMillis()
              + " ms on dispatch "
              + describe(call.delivery)
              + "; timeout "
              + call.timeout.toMillis()
              + " ms, "
              + consecutiveTimeouts
              + " in a row");
      if (!denied && consecutiveTimeouts >= settings.get().denyAfter()) {
        // The stuck call's delivery ends now: it will not be reported again when it returns.
        call.reported = true;
        timedOutReport(call, "still running after " + running.toMillis() + " ms");
        deny(call.delivery, log);
        return false;
      }
      return !denied;
    }
  }

  private void returned(Call call, Throwable failure) {
    LogLines log = new LogLines();
    returned(call, failure, log);
    log.write();
  }

  private void returned(Call call, Throwable failure, LogLines log) {
    synchronized (lock) {
      call.finished = true;
      Instant end = clock.instant();
      Duration took = Duration.ofNanos(ticker.getAsLong() - call.startedNanos);
      boolean late = call.periodsCounted > 0 || took.compareTo(call.timeout) > 0;
      if (late && call.periodsCounted == 0) {
        // Returned late before the watchdog woke up: count the timeout here instead.
        countTimeout();
        log.add(
            Level.WARNING,
            name
                + " returned after "
                + took.toMillis()
                + " ms on dispatch "
                + describe(call.delivery)
                + "; timeout "
                + call.timeout.toMillis()
                + " ms, "
                + consecutiveTimeouts
                + " in a row");
      } else if (!late) {
        consecutiveTimeouts = 0;
      }
      if (!call.reported) {
        call.reported = true;
        if (failure != null) {
          failed++;
          log.add(
              Level.WARNING,
              name + " threw on dispatch " + describe(call.delivery) + ": " + failure);
          log.add(Level.DEBUG, name + " failure on dispatch " + describe(call.delivery), failure);
          reports.publish(
              report(call.delivery, Outcome.FAILED, end, Optional.of(failure.toString())));
        } else if (late) {
          timedOutReport(call, "returned after " + took.toMillis() + " ms");
        } else {
          delivered++;
          reports.publish(report(call.delivery, Outcome.DELIVERED, end, Optional.empty()));
        }
      }
      if (!denied && !stopped && consecutiveTimeouts >= settings.get().denyAfter()) {
        deny(call.delivery, log);
      }
    }
  }

  private void countTimeout() {
    timedOut++;
    consecutiveTimeouts++;
  }

  /** Called with the lock held. */
  private void timedOutReport(Call call, String what) {
    reports.publish(
        report(
            call.delivery,
            Outcome.TIMED_OUT,
            clock.instant(),
            Optional.of(what + ", timeout " + call.timeout.toMillis() + " ms")));
  }

  /** Called with the lock held: denies, and reports what is queued as DENIED, in order. */
  private void deny(Delivery last, LogLines log) {
    denied = true;
    deniedAfter = consecutiveTimeouts;
    log.add(
        Level.ERROR,
        name
            + " denied after "
            + consecutiveTimeouts
            + " timeouts in a row, the last on dispatch "
            + describe(last)
            + ": it is not called again until it is registered again or its service properties"
            + " change");
    List<Delivery> queued = new ArrayList<>();
    queue.drainTo(queued);
    for (Delivery d : queued) {
      if (d == STOP) {
        queue.add(STOP);
      } else {
        reportDenied(d);
      }
    }
  }

  /** Called with the lock held. */
  private void reportDenied(Delivery d) {
    deniedCount++;
    reports.publish(
        report(
            d,
            Outcome.DENIED,
            clock.instant(),
            Optional.of(
                "not called: denied after "
                    + deniedAfter
                    + " timeouts in a row; register it again or change its service properties")));
  }

  private DeliveryReport report(
      Delivery d, Outcome outcome, Instant end, Optional<String> failure) {
    return new DeliveryReport(
        name,
        serviceId,
        d.kind(),
        d.dispatch().id(),
        d.dispatch().microgridId(),
        d.state(),
        d.due(),
        outcome,
        Duration.between(d.due(), end),
        failure);
  }

  private static String describe(Delivery d) {
    return d.dispatch().id()
        + " (microgrid "
        + d.dispatch().microgridId()
        + ", "
        + d.kind()
        + d.state().map(s -> " " + s).orElse("")
        + ")";
  }

  /**
   * Log lines made while the lock is held, written after it is released: the scheduler thread
   * takes the same lock to queue a notification, so a slow log backend must never run under it.
   */
  private static final class LogLines {
    private record Line(Level level, String message, Throwable thrown) {}

    private final List<Line> lines = new ArrayList<>(2);

    void add(Level level, String message) {
      add(level, message, null);
    }

    void add(Level level, String message, Throwable thrown) {
      lines.add(new Line(level, message, thrown));
    }

    void write() {
      for (Line line : lines) {
        if (line.thrown() == null) {
          LOG.log(line.level(), line.message());
        } else {
          LOG.log(line.level(), line.message(), line.thrown());
        }
      }
    }
  }
}
