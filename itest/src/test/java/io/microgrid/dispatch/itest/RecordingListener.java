package io.microgrid.dispatch.itest;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A device's {@link RunningStateListener} as the tests register it: remembers every notification
 * and the wall-clock time it arrived, so a test can wait for the next one and check that it came
 * on time.
 */
final class RecordingListener implements RunningStateListener {

  /** One notification and the system time at which the listener was called. */
  record Call(RunningStateChange change, Instant calledAt) {
    long dispatchId() {
      return change.dispatch().id();
    }

    RunningState state() {
      return change.state();
    }

    Instant at() {
      return change.at();
    }

    /** How late the listener was called, measured from the instant of the transition. */
    Duration latency() {
      return Duration.between(change.at(), calledAt);
    }

    @Override
    public String toString() {
      return state() + " of dispatch " + dispatchId() + " (microgrid "
          + change.dispatch().microgridId() + ") at " + at() + ", called at " + calledAt;
    }
  }

  private final BlockingQueue<Call> calls = new LinkedBlockingQueue<>();
  private final String name;

  RecordingListener(String name) {
    this.name = name;
  }

  @Override
  public void onRunningStateChange(RunningStateChange change) {
    calls.add(new Call(change, Instant.now()));
  }

  /** Waits for the next notification, failing the test when none arrives in time. */
  Call next(Duration timeout) throws InterruptedException {
    Call call = calls.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(call, () -> name + " was not called within " + timeout);
    return call;
  }

  /** Everything received and not yet taken by {@link #next}, without waiting. */
  List<Call> rest() {
    List<Call> rest = new ArrayList<>();
    calls.drainTo(rest);
    return rest;
  }

  @Override
  public String toString() {
    return name;
  }
}
