package io.microgrid.dispatch.scheduler.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.microgrid.dispatch.api.DeliveryReport;
import io.microgrid.dispatch.api.DeliveryReportListener;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchLifecycleListener;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.api.TargetComponents;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Dispatches, changes and recording listeners shared by the delivery tests. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2025-03-01T08:00:00Z");
  static final long MICROGRID = 7;

  /** Long enough that a waiting test has surely failed, short enough not to hang the build. */
  static final long WAIT_SECONDS = 10;

  private Fixtures() {}

  static Dispatch dispatch(long id, String type) {
    return dispatch(id, MICROGRID, type, TargetComponents.ids(1));
  }

  static Dispatch dispatch(long id, String type, TargetComponents target) {
    return dispatch(id, MICROGRID, type, target);
  }

  static Dispatch dispatch(long id, long microgrid, String type, TargetComponents target) {
    return new Dispatch(
        id,
        microgrid,
        type,
        T0,
        Optional.of(Duration.ofHours(1)),
        target,
        true,
        false,
        Payload.EMPTY,
        Optional.empty(),
        T0.minusSeconds(3600),
        T0.minusSeconds(60),
        Optional.empty());
  }

  static RunningStateChange running(Dispatch d, Instant at) {
    return new RunningStateChange(
        d, RunningState.RUNNING, at, Optional.of(at.plusSeconds(3600)), List.of());
  }

  static RunningStateChange stopped(Dispatch d, Instant at) {
    return new RunningStateChange(d, RunningState.STOPPED, at, Optional.empty(), List.of());
  }

  static Map<String, Object> props(Object... keysAndValues) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  static Map<String, Object> type(Object type) {
    return props(RunningStateListener.TYPE, type);
  }

  /** Records what it is told, in order. */
  static class RecordingListener implements RunningStateListener, DispatchLifecycleListener {
    final BlockingQueue<Object> received = new LinkedBlockingQueue<>();

    @Override
    public void onRunningStateChange(RunningStateChange change) {
      received.add(change);
    }

    @Override
    public void onDispatchEvent(DispatchEvent event) {
      received.add(event);
    }

    RunningStateChange nextChange() throws InterruptedException {
      return (RunningStateChange) next();
    }

    Object next() throws InterruptedException {
      Object o = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(o, "the listener was not called in time");
      return o;
    }

    /**
     * Returns what the listener is told up to and including the change of the marker dispatch. A
     * listener sees its notifications in order, so this proves that nothing else was delivered in
     * between, without waiting for time to pass.
     */
    List<String> untilMarker(long markerId) throws InterruptedException {
      List<String> seen = new ArrayList<>();
      while (true) {
        Object o = next();
        seen.add(describe(o));
        if (dispatchOf(o).id() == markerId) {
          return seen;
        }
      }
    }

    /** Returns the next {@code n} notifications, described as "STATE id" or "Event id". */
    List<String> take(int n) throws InterruptedException {
      List<String> seen = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        seen.add(describe(next()));
      }
      return seen;
    }

    private static Dispatch dispatchOf(Object o) {
      return o instanceof RunningStateChange c ? c.dispatch() : ((DispatchEvent) o).dispatch();
    }

    private static String describe(Object o) {
      return (o instanceof RunningStateChange c
              ? c.state().toString()
              : o.getClass().getSimpleName())
          + " "
          + dispatchOf(o).id();
    }
  }

  /** Records the reports, per listener service id. */
  static final class ReportRecorder implements DeliveryReportListener {
    private final Map<Long, BlockingQueue<DeliveryReport>> reports = new ConcurrentHashMap<>();

    @Override
    public void onDeliveryReport(DeliveryReport report) {
      queue(report.serviceId()).add(report);
    }

    private BlockingQueue<DeliveryReport> queue(long serviceId) {
      return reports.computeIfAbsent(serviceId, k -> new LinkedBlockingQueue<>());
    }

    DeliveryReport next(long serviceId) throws InterruptedException {
      DeliveryReport r = queue(serviceId).poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(r, "no delivery report in time for service " + serviceId);
      return r;
    }

    /** Reports already received and not yet taken. */
    List<DeliveryReport> drained(long serviceId) {
      List<DeliveryReport> out = new ArrayList<>();
      queue(serviceId).drainTo(out);
      return out;
    }
  }
}
