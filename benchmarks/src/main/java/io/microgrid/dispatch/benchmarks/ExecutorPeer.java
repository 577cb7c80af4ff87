package io.microgrid.dispatch.benchmarks;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.RunningStateChange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The hand-made alternative: one {@link ScheduledThreadPoolExecutor} task per transition, with as
 * many threads as our scheduler uses on this path (two: the scheduler thread and the listener's
 * thread).
 */
final class ExecutorPeer implements Contender {
  static final int THREADS = 2;
  private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(THREADS);

  ExecutorPeer() {
    executor.setRemoveOnCancelPolicy(true);
  }

  @Override
  public String name() {
    return "ScheduledThreadPoolExecutor";
  }

  @Override
  public void load(List<Dispatch> dispatches, Transitions transitions, LatenessRecorder listener) {
    schedule(transitions.pending(), listener);
    schedule(transitions.inWindow(), listener);
  }

  private void schedule(List<RunningStateChange> changes, LatenessRecorder listener) {
    for (RunningStateChange c : changes) {
      long delay = Duration.between(Instant.now(), c.at()).toNanos();
      executor.schedule(() -> listener.onRunningStateChange(c), delay, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
