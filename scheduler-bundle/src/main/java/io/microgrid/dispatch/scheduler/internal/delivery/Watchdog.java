package io.microgrid.dispatch.scheduler.internal.delivery;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntPredicate;

/**
 * Wakes up once per timeout period of a listener call that is still running, so that a call that
 * never returns is noticed (semantics §8: logged, counted, and eventually denied). One thread
 * serves every endpoint of a hub: its checks only take an endpoint's short lock, never wait for a
 * listener.
 */
final class Watchdog implements AutoCloseable {
  /** A watched call; cancel it when the call returns. */
  interface Watch {
    /** Stops the checks; harmless when they stopped already. */
    void cancel();
  }

  private final ScheduledThreadPoolExecutor timer;

  Watchdog(String threadName) {
    timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, threadName);
              t.setDaemon(true);
              return t;
            });
    // Most calls return in time: without this every cancelled check would sit in the queue
    // until its period elapsed.
    timer.setRemoveOnCancelPolicy(true);
    // Started now rather than on the first call, so that a thread dump shows it from the start.
    timer.prestartAllCoreThreads();
  }

  /**
   * Calls {@code onPeriod} from the watchdog thread after each elapsed period, with the number of
   * periods elapsed so far (1, 2, ...), until it returns false or the watch is cancelled.
   *
   * @param period the timeout
   * @param onPeriod the check; returns whether to keep watching
   * @return the watch
   */
  Watch watch(Duration period, IntPredicate onPeriod) {
    PeriodicCheck check = new PeriodicCheck(onPeriod);
    try {
      long nanos = period.toNanos();
      check.future = timer.scheduleAtFixedRate(check, nanos, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException closed) {
      // The hub is closing: nothing is watched any more.
    }
    return check;
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }

  private static final class PeriodicCheck implements Runnable, Watch {
    private final IntPredicate onPeriod;
    private volatile ScheduledFuture<?> future;
    private volatile boolean cancelled;
    private int periods; // only touched by the single watchdog thread

    PeriodicCheck(IntPredicate onPeriod) {
      this.onPeriod = onPeriod;
    }

    @Override
    public void run() {
      if (cancelled) {
        return;
      }
      if (!onPeriod.test(++periods)) {
        cancel();
      }
    }

    @Override
    public void cancel() {
      cancelled = true;
      ScheduledFuture<?> f = future;
      // The first period may elapse before future is set; the flag stops it then.
      if (f != null) {
        f.cancel(false);
      }
    }
  }
}
