package io.microgrid.dispatch.scheduler.internal.delivery;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
 *
 * <p>Almost every call returns long before its timeout, and a watch is made for every call, on the
 * path from a transition to its listener. So starting and cancelling a watch wakes no thread: the
 * watches are kept in a set, and one check is scheduled at the earliest deadline of them all. A
 * new watch reschedules it only when its deadline comes earlier, which with one timeout per
 * listener is only when nothing is watched. Scheduling a timer per call instead woke the watchdog
 * thread on every notification, a thread more competing for the cores at the instant a listener
 * is due.
 */
final class Watchdog implements AutoCloseable {
  /** A watched call; cancel it when the call returns. */
  interface Watch {
    /** Stops the checks; harmless when they stopped already. */
    void cancel();
  }

  private final ScheduledThreadPoolExecutor timer;
  private final Set<PeriodicCheck> watched = ConcurrentHashMap.newKeySet();

  // The one scheduled check of the watched set, and its deadline (System.nanoTime()).
  private ScheduledFuture<?> nextCheck;
  private long nextCheckAt;

  // The name of the thread, and the thread once started, so that a rename reaches it.
  private volatile String threadName;
  private volatile Thread thread;

  Watchdog(String threadName) {
    this.threadName = threadName;
    timer =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, this.threadName);
              t.setDaemon(true);
              thread = t;
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    // Started now rather than on the first call, so that a thread dump shows it from the start.
    timer.prestartAllCoreThreads();
  }

  /**
   * Renames the thread, as when the scheduler moves to another microgrid: a thread dump then
   * names the microgrid served, not the one left.
   *
   * @param name the new name
   */
  void rename(String name) {
    threadName = name;
    Thread t = thread;
    if (t != null) {
      t.setName(name);
    }
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
    PeriodicCheck check = new PeriodicCheck(period.toNanos(), onPeriod, System.nanoTime());
    watched.add(check);
    checkBy(check.deadline);
    return check;
  }

  @Override
  public void close() {
    timer.shutdownNow();
    watched.clear();
  }

  /** Makes sure a check runs by {@code deadline}. */
  private synchronized void checkBy(long deadline) {
    if (nextCheck != null && deadline - nextCheckAt >= 0) {
      return;
    }
    if (nextCheck != null) {
      nextCheck.cancel(false);
    }
    try {
      nextCheck =
          timer.schedule(this::check, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      nextCheckAt = deadline;
    } catch (RejectedExecutionException closed) {
      // The hub is closing: nothing is watched any more.
      nextCheck = null;
    }
  }

  /** On the watchdog thread: runs the checks that are due, then schedules the next one. */
  private void check() {
    synchronized (this) {
      nextCheck = null;
    }
    long now = System.nanoTime();
    long earliest = 0;
    boolean any = false;
    for (PeriodicCheck c : watched) {
      // Every period that elapsed counts, also when this check runs late.
      while (!c.cancelled && now - c.deadline >= 0) {
        c.deadline += c.periodNanos;
        if (!c.onPeriod.test(++c.periods)) {
          c.cancelled = true;
        }
      }
      if (c.cancelled) {
        watched.remove(c);
        continue;
      }
      if (!any || c.deadline - earliest < 0) {
        earliest = c.deadline;
        any = true;
      }
    }
    if (any) {
      checkBy(earliest);
    }
  }

  private final class PeriodicCheck implements Watch {
    private final long periodNanos;
    private final IntPredicate onPeriod;
    private volatile boolean cancelled;
    // Only touched by the watchdog thread once the watch is made.
    private long deadline;
    private int periods;

    PeriodicCheck(long periodNanos, IntPredicate onPeriod, long startedAt) {
      this.periodNanos = Math.max(1, periodNanos);
      this.onPeriod = onPeriod;
      this.deadline = startedAt + this.periodNanos;
    }

    @Override
    public void cancel() {
      cancelled = true;
      watched.remove(this);
    }
  }
}
