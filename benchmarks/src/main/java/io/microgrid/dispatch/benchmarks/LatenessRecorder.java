package io.microgrid.dispatch.benchmarks;

import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one listener that every implementation calls: it notes, for each transition inside the
 * measured window, how long after the transition's instant it was called, read from the system
 * clock as the transition's instant is. Thread-safe, so that peers calling it from several threads
 * are measured the same way.
 */
final class LatenessRecorder implements RunningStateListener {
  private final Instant from;
  private final Instant to;
  private final long[] latenessNanos;
  private final AtomicInteger count = new AtomicInteger();
  private final CountDownLatch done;

  LatenessRecorder(Instant from, Instant to, int expected) {
    this.from = from;
    this.to = to;
    this.latenessNanos = new long[expected];
    this.done = new CountDownLatch(expected);
  }

  @Override
  public void onRunningStateChange(RunningStateChange change) {
    Instant now = Instant.now();
    Instant at = change.at();
    if (at.isBefore(from) || at.isAfter(to)) {
      return;
    }
    int i = count.getAndIncrement();
    if (i < latenessNanos.length) {
      latenessNanos[i] = (now.getEpochSecond() - at.getEpochSecond()) * 1_000_000_000L + (now.getNano() - at.getNano());
      done.countDown();
    }
  }

  boolean await(long millis) throws InterruptedException {
    return done.await(millis, TimeUnit.MILLISECONDS);
  }

  /** How many transitions of the window were delivered (more than expected means duplicates). */
  int delivered() {
    return count.get();
  }

  long[] sortedLateness() {
    return Stats.sorted(latenessNanos, Math.min(count.get(), latenessNanos.length));
  }
}
