package io.microgrid.dispatch.scheduler.internal.delivery;

import io.microgrid.dispatch.api.DeliveryReport;
import io.microgrid.dispatch.api.DeliveryReportListener;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Hands every {@link DeliveryReport} to the registered {@link DeliveryReportListener}s on one
 * thread of its own, so that neither a report listener nor the number of reports ever delays a
 * delivery. Reports reach the listeners in the order they were published.
 */
final class DeliveryReports implements AutoCloseable {
  private static final System.Logger LOG = BundleLoggers.get(DeliveryReports.class);

  // Ordered by service id so that report listeners are called in a stable order.
  private final Map<Long, DeliveryReportListener> listeners = new ConcurrentSkipListMap<>();
  private final ThreadPoolExecutor thread;

  // The name of the thread, and the thread once started, so that a rename reaches it.
  private volatile String threadName;
  private volatile Thread worker;

  DeliveryReports(String threadName) {
    this.threadName = threadName;
    thread =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, this.threadName);
              t.setDaemon(true);
              worker = t;
              return t;
            });
    thread.prestartAllCoreThreads();
  }

  /**
   * Renames the thread, as when the scheduler moves to another microgrid: a thread dump then
   * names the microgrid served, not the one left.
   *
   * @param name the new name
   */
  void rename(String name) {
    threadName = name;
    Thread t = worker;
    if (t != null) {
      t.setName(name);
    }
  }

  void add(long serviceId, DeliveryReportListener listener) {
    listeners.put(serviceId, listener);
  }

  /** After this returns, the listener gets no report that was not already being handed to it. */
  void remove(long serviceId) {
    listeners.remove(serviceId);
  }

  /**
   * Queues a report for every report listener; never blocks. Reports published while no report
   * listener is registered are not kept: they describe the past, which a late listener cannot act
   * on.
   */
  void publish(DeliveryReport report) {
    if (listeners.isEmpty()) {
      return;
    }
    try {
      thread.execute(() -> handOut(report));
    } catch (RejectedExecutionException closed) {
      // The hub is closing.
    }
  }

  private void handOut(DeliveryReport report) {
    for (Map.Entry<Long, DeliveryReportListener> e : listeners.entrySet()) {
      try {
        e.getValue().onDeliveryReport(report);
      } catch (RuntimeException | LinkageError | AssertionError x) {
        LOG.log(
            Level.WARNING,
            "DeliveryReportListener service "
                + e.getKey()
                + " threw on the report for dispatch "
                + report.dispatchId()
                + " (microgrid "
                + report.microgridId()
                + ", listener service "
                + report.serviceId()
                + "), ignored: "
                + x);
      }
    }
  }

  /** Hands out what is queued, waiting at most {@code wait}, then stops the thread. */
  void close(Duration wait) {
    thread.shutdown();
    try {
      if (!thread.awaitTermination(wait.toNanos(), TimeUnit.NANOSECONDS)) {
        thread.shutdownNow();
      }
    } catch (InterruptedException e) {
      thread.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    close(Duration.ZERO);
  }
}
