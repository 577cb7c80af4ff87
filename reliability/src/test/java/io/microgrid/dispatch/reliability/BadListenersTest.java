package io.microgrid.dispatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.microgrid.dispatch.api.DeliveryReport;
import io.microgrid.dispatch.api.DeliveryReport.Outcome;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.scheduler.internal.runner.DispatchScheduler;
import io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub;
import io.microgrid.dispatch.scheduler.internal.delivery.ListenerSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Suite 3, bad listeners: the scheduler and its delivery hub on the system clock, running 150
 * dispatches of one second that start 10 ms apart (300 transitions), once with a healthy
 * listener alone and once with a listener that throws on every call and one that hangs in its
 * first call beside it.
 *
 * <p>Asserted: the healthy listener gets every transition, in order, at the right instants, both
 * times; the throwing one is still called for every transition (each failure reported), the
 * hanging one is reported timed out and then denied. Reported, not asserted: the healthy
 * listener's latency from each transition's instant to its call, which includes the scheduler's
 * wake-up and the hand-over to the listener's thread.
 */
class BadListenersTest {
  private static final long MICROGRID = 9;
  private static final int DISPATCHES = 150;
  private static final Duration SPACING = Duration.ofMillis(10);
  // Whole seconds, as the API has them: about a hundred run at once, and starts and stops interleave.
  private static final Duration LENGTH = Duration.ofSeconds(1);
  private static final ListenerSettings SETTINGS = new ListenerSettings(Duration.ofMillis(100), 3);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Map<String, Object> ALL_TYPES = Map.of(RunningStateListener.TYPE, "*");

  /** What the healthy listener saw, and what the reports said about the others. */
  record Run(List<Long> latencyMicros, Map<Long, Map<Outcome, Integer>> outcomes, int throwingCalls) {}

  @Test
  void aThrowingAndAHangingListenerDoNotDisturbAHealthyOne() throws Exception {
    Run alone = run("alone-", false);
    Run withBad = run("beside-bad-", true);

    assertEquals(2 * DISPATCHES, withBad.throwingCalls(), "the throwing listener is called every time");
    Map<Outcome, Integer> throwing = withBad.outcomes().get(1L);
    Map<Outcome, Integer> hanging = withBad.outcomes().get(2L);
    assertEquals(2 * DISPATCHES, throwing.getOrDefault(Outcome.FAILED, 0), "every failure reported");
    assertEquals(
        2 * DISPATCHES,
        hanging.getOrDefault(Outcome.TIMED_OUT, 0) + hanging.getOrDefault(Outcome.DENIED, 0),
        "the hanging call and everything after it reported timed out or denied: " + hanging);

    List<String> rows = new ArrayList<>();
    rows.add(Figures.row("transitions (150 dispatches of 1 s, starting 10 ms apart)", 2 * DISPATCHES));
    rows.add(Figures.row("healthy listener: received in order, alone / beside bad ones",
        alone.latencyMicros().size() + " / " + withBad.latencyMicros().size()));
    rows.add(Figures.row("healthy latency alone: p50 / p99 / max", latencies(alone)));
    rows.add(Figures.row("healthy latency beside a throwing and a hanging listener: p50 / p99 / max",
        latencies(withBad)));
    rows.add(Figures.row("throwing listener: calls / reported failed", withBad.throwingCalls() + " / "
        + throwing.getOrDefault(Outcome.FAILED, 0)));
    rows.add(Figures.row("hanging listener (timeout 100 ms, denied after 3): timed out / denied",
        hanging.getOrDefault(Outcome.TIMED_OUT, 0) + " / " + hanging.getOrDefault(Outcome.DENIED, 0)));
    Figures.publish("Bad listeners", rows);
  }

  private static String latencies(Run run) {
    return Figures.millis(Figures.percentile(run.latencyMicros(), 50)) + " / "
        + Figures.millis(Figures.percentile(run.latencyMicros(), 99)) + " / "
        + Figures.millis(Figures.percentile(run.latencyMicros(), 100));
  }

  private Run run(String threadPrefix, boolean badNeighbours) throws Exception {
    Clock clock = Clock.systemUTC();
    DeliveryHub hub = new DeliveryHub(MICROGRID, SETTINGS, clock, threadPrefix);
    DispatchScheduler scheduler = new DispatchScheduler(MICROGRID, clock, hub);
    CountDownLatch releaseHanging = new CountDownLatch(1);
    try {
      Map<Long, Map<Outcome, Integer>> outcomes = new ConcurrentHashMap<>();
      AtomicInteger reports = new AtomicInteger();
      hub.addDeliveryReportListener(
          100,
          (DeliveryReport r) -> {
            outcomes.computeIfAbsent(r.serviceId(), id -> new ConcurrentHashMap<>()).merge(r.outcome(), 1, Integer::sum);
            reports.incrementAndGet();
          });
      List<RunningStateChange> healthyGot = new CopyOnWriteArrayList<>();
      List<Long> latencyMicros = new CopyOnWriteArrayList<>();
      RunningStateListener healthy =
          change -> {
            Instant called = Instant.now();
            latencyMicros.add(ChronoUnit.MICROS.between(change.at(), called));
            healthyGot.add(change);
          };
      AtomicInteger throwingCalls = new AtomicInteger();
      RunningStateListener throwing =
          change -> {
            throwingCalls.incrementAndGet();
            throw new IllegalStateException("a device bundle with a bug");
          };
      RunningStateListener hanging =
          change -> {
            try {
              releaseHanging.await(); // a device that never answers
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          };
      scheduler.execute(
          () -> {
            if (badNeighbours) {
              hub.listeners().addRunningStateListener(1, ALL_TYPES, throwing, scheduler.running());
              hub.listeners().addRunningStateListener(2, ALL_TYPES, hanging, scheduler.running());
            }
            hub.listeners().addRunningStateListener(3, ALL_TYPES, healthy, scheduler.running());
          });

      // Far enough ahead that all of them are known before the first starts.
      Instant first = clock.instant().plusSeconds(2).truncatedTo(ChronoUnit.MILLIS);
      List<Dispatch> dispatches = new ArrayList<>();
      for (int i = 0; i < DISPATCHES; i++) {
        dispatches.add(dispatch(i + 1, first.plus(SPACING.multipliedBy(i))));
      }
      // In time order; at one instant stops before starts (semantics §3).
      List<String> expected =
          dispatches.stream()
              .flatMap(
                  d -> java.util.stream.Stream.of(
                      new Object[] {d.startTime(), 1, "RUNNING " + d.id() + " at " + d.startTime()},
                      new Object[] {d.startTime().plus(LENGTH), 0, "STOPPED " + d.id() + " at " + d.startTime().plus(LENGTH)}))
              .sorted(
                  java.util.Comparator.<Object[], Instant>comparing(t -> (Instant) t[0])
                      .thenComparing(t -> (Integer) t[1]))
              .map(t -> (String) t[2])
              .toList();
      scheduler.execute(
          () -> dispatches.forEach(d -> scheduler.schedule().apply(new DispatchEvent.Created(d), scheduler.now())));

      Await.until(
          () -> healthyGot.size() >= 2 * DISPATCHES,
          WAIT,
          () -> "the healthy listener got " + healthyGot.size() + " of " + 2 * DISPATCHES);
      List<String> got =
          healthyGot.stream().map(c -> c.state() + " " + c.dispatch().id() + " at " + c.at()).toList();
      assertEquals(expected, got, "the healthy listener, " + (badNeighbours ? "beside bad ones" : "alone"));
      if (badNeighbours) {
        Await.until(
            () -> throwingCalls.get() >= 2 * DISPATCHES
                && count(outcomes, 1) >= 2 * DISPATCHES
                && count(outcomes, 2) >= 2 * DISPATCHES,
            WAIT,
            () -> "every delivery to the bad listeners reported: " + outcomes);
      }
      Await.until(() -> count(outcomes, 3) >= 2 * DISPATCHES, WAIT, () -> "the healthy one's reports");
      assertEquals(Map.of(Outcome.DELIVERED, 2 * DISPATCHES), outcomes.get(3L), "the healthy one's reports");
      return new Run(List.copyOf(latencyMicros), Map.copyOf(outcomes), throwingCalls.get());
    } finally {
      scheduler.close();
      releaseHanging.countDown();
      hub.close();
    }
  }

  private static int count(Map<Long, Map<Outcome, Integer>> outcomes, long serviceId) {
    return outcomes.getOrDefault(serviceId, Map.of()).values().stream().mapToInt(Integer::intValue).sum();
  }

  private static Dispatch dispatch(long id, Instant start) {
    Instant known = start.minus(Duration.ofHours(1));
    return new Dispatch(
        id, MICROGRID, "BAD_NEIGHBOURS", start, Optional.of(LENGTH), TargetComponents.ids(1), true,
        false, Payload.EMPTY, Optional.empty(), known, known, Optional.of(start.plus(LENGTH)));
  }
}
