package io.microgrid.dispatch.actor.internal;

import static io.microgrid.dispatch.actor.internal.Fixtures.T0;
import static io.microgrid.dispatch.actor.internal.Fixtures.dispatch;
import static io.microgrid.dispatch.actor.internal.Fixtures.running;
import static io.microgrid.dispatch.actor.internal.Fixtures.stopped;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.RunningState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A binding's configurations and retries (semantics §10) against a fake ConfigAdmin and a fake SCR
 * whose component takes or refuses each write as the test says. Outcomes are awaited as events
 * with a timeout; a retry interval of 50 ms keeps the retries short.
 */
class ActorRunsTest {
  private static final String BINDING_PID = "io.microgrid.dispatch.actor~charger";
  private static final String ACTOR = "com.example.Charger";
  private static final long WAIT_SECONDS = 10;

  private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
  private final FakeConfigurations configurations = new FakeConfigurations();
  private final Reports reports = new Reports();

  @AfterEach
  void stop() {
    executor.shutdownNow();
  }

  private ActorRuns runs(MergeMode merge, Duration retry, ComponentStates components) {
    Binding binding = new Binding(BINDING_PID, 7, "CHARGE", ACTOR, merge, retry);
    return new ActorRuns(binding, configurations, components, reports, executor, Clock.systemUTC());
  }

  /** A component that takes each write for whose attempt {@code failureOfAttempt} gives null, and fails the others. */
  private ComponentStates component(IntFunction<String> failureOfAttempt) {
    return (factoryPid, pid) -> {
      Hashtable<String, Object> p = configurations.written.get(pid);
      if (p == null) {
        return Optional.of(new ComponentStates.State(ComponentStates.Kind.NOT_YET, 0, null));
      }
      int attempt = (Integer) p.get(ActorProperties.ATTEMPT);
      String failure = failureOfAttempt.apply(attempt);
      return Optional.of(new ComponentStates.State(
          failure == null ? ComponentStates.Kind.ACTIVE : ComponentStates.Kind.FAILED, attempt, failure));
    };
  }

  @Test
  void runningWritesOneConfigurationThatStoppedDeletes() throws Exception {
    ActorRuns runs = runs(MergeMode.NONE, Duration.ofMinutes(1), component(a -> null));
    runs.onRunningStateChange(running(dispatch(5), T0));

    String pid = ACTOR + "~charger.dispatch-5";
    assertEquals(5L, configurations.written.get(pid).get("dispatch.id"));
    Outcome delivered = reports.next();
    assertEquals(Optional.empty(), delivered.failure());
    assertEquals(RunningState.RUNNING, delivered.state());
    assertEquals(T0, delivered.due(), "due at the dispatch's start");

    runs.onRunningStateChange(stopped(dispatch(5), T0.plusSeconds(60)));
    assertFalse(configurations.written.containsKey(pid), "deleted on STOPPED");
    assertEquals(RunningState.STOPPED, reports.next().state());
    assertTrue(runs.views().isEmpty());
  }

  @Test
  void aMergedRunIsOneConfigurationUpdatedWithEveryDispatchThatJoins() throws Exception {
    ActorRuns runs = runs(MergeMode.TYPE, Duration.ofMinutes(1), component(a -> null));
    runs.onRunningStateChange(running(dispatch(1), T0));
    reports.next();
    runs.onRunningStateChange(running(dispatch(2), T0.plusSeconds(1)));
    reports.next();

    assertEquals(1, configurations.written.size());
    Hashtable<String, Object> p = configurations.written.get(ACTOR + "~charger.CHARGE.real");
    assertArrayEquals(new Long[] {1L, 2L}, (Long[]) p.get("dispatch.ids"));
    assertEquals(2L, p.get("dispatch.id"), "the dispatch in effect: the latest start");
    assertEquals(2, p.get("dispatch.attempt"));
  }

  @Test
  void aDryRunIsAConfigurationOfItsOwnUnderMerging() {
    ActorRuns runs = runs(MergeMode.TYPE, Duration.ofMinutes(1), component(a -> null));
    runs.onRunningStateChange(running(dispatch(1), T0));
    runs.onRunningStateChange(running(dispatch(2, true, Map.of()), T0));
    assertTrue(configurations.written.containsKey(ACTOR + "~charger.CHARGE.real"));
    assertTrue(configurations.written.containsKey(ACTOR + "~charger.CHARGE.dry"));
  }

  @Test
  void aComponentThatFailsIsRetriedUntilItActivates() throws Exception {
    ActorRuns runs =
        runs(MergeMode.NONE, Duration.ofMillis(50), component(a -> a < 3 ? "boom " + a : null));
    runs.onRunningStateChange(running(dispatch(5), T0));

    Outcome first = reports.next();
    assertEquals(Optional.of("boom 1"), first.failure());
    Outcome second = reports.next();
    assertEquals(Optional.of("boom 2"), second.failure());
    Outcome third = reports.next();
    assertEquals(Optional.empty(), third.failure(), "the third attempt activates");
    assertEquals(3, third.run().attempt());
    assertEquals(2, third.run().failures());
    assertEquals(Optional.empty(), third.run().nextRetry(), "nothing left to retry");
    assertEquals(
        java.util.Set.of(ACTOR + "~charger.dispatch-5.retry-3"),
        configurations.written.keySet(),
        "each retry is a fresh configuration, and the failed one is gone");
  }

  @Test
  void aNewerDispatchOfTheIdentityReplacesThePendingRetry() throws Exception {
    ActorRuns runs =
        runs(MergeMode.TYPE, Duration.ofHours(1), component(a -> a == 1 ? "boom" : null));
    runs.onRunningStateChange(running(dispatch(1), T0));
    Outcome failed = reports.next();
    assertTrue(failed.run().nextRetry().isPresent(), "a retry is planned: " + failed.run());

    runs.onRunningStateChange(running(dispatch(2), T0.plusSeconds(1)));
    Outcome taken = reports.next();
    assertEquals(Optional.empty(), taken.failure());
    assertEquals(2L, taken.run().dispatchId());
    assertEquals(Optional.empty(), runs.views().get(0).nextRetry(), "the retry was replaced");
    assertEquals(2, runs.views().get(0).attempt(), "written once more, by the newer dispatch");
  }

  @Test
  void aMissingComponentIsToldOnceAndItsConfigurationKept() {
    ActorRuns runs = runs(MergeMode.NONE, Duration.ofMinutes(1), (f, p) -> Optional.empty());
    runs.onRunningStateChange(running(dispatch(1), T0));
    runs.onRunningStateChange(running(dispatch(2), T0));
    runs.check();
    runs.check();
    assertEquals(1, reports.noComponent.get());
    assertEquals(2, configurations.written.size(), "kept, to start when the bundle comes");
    assertTrue(runs.componentMissing());
  }

  @Test
  void closingDeletesEveryConfigurationItMade() {
    ActorRuns runs = runs(MergeMode.NONE, Duration.ofMinutes(1), component(a -> null));
    runs.onRunningStateChange(running(dispatch(1), T0));
    runs.onRunningStateChange(running(dispatch(2), T0));
    runs.close();
    assertTrue(configurations.written.isEmpty());
    runs.onRunningStateChange(running(dispatch(3), T0));
    assertTrue(configurations.written.isEmpty(), "nothing after close");
  }

  /** One outcome as reported. */
  record Outcome(ActorRun.View run, RunningState state, Instant due, Optional<String> failure) {}

  static final class Reports implements ActorReports {
    final BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
    final AtomicInteger noComponent = new AtomicInteger();

    @Override
    public void attempt(ActorRun.View run, RunningState state) {}

    @Override
    public void outcome(ActorRun.View run, RunningState state, Instant due, Optional<String> failure) {
      outcomes.add(new Outcome(run, state, due, failure));
    }

    @Override
    public void noComponent(Binding binding) {
      noComponent.incrementAndGet();
    }

    Outcome next() throws InterruptedException {
      Outcome o = outcomes.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(o, "no outcome in time");
      return o;
    }
  }

  static final class FakeConfigurations implements Configurations {
    final Map<String, Hashtable<String, Object>> written = new ConcurrentHashMap<>();

    @Override
    public String write(String factoryPid, String name, Hashtable<String, Object> properties) {
      String pid = factoryPid + "~" + name;
      written.put(pid, properties);
      return pid;
    }

    @Override
    public void delete(String pid) {
      written.remove(pid);
    }

    @Override
    public int deleteMarked(String bindingPid) {
      int before = written.size();
      written.values().removeIf(p -> bindingPid.equals(p.get(ActorProperties.BINDING)));
      return before - written.size();
    }
  }
}
