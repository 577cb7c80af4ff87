package io.microgrid.dispatch.scheduler.internal.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import io.microgrid.dispatch.scheduler.internal.core.Dispatches;
import io.microgrid.dispatch.scheduler.internal.core.Recorder;
import io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub;
import io.microgrid.dispatch.scheduler.internal.delivery.ListenerSettings;
import io.microgrid.dispatch.scheduler.internal.persist.ScheduleStore;
import io.microgrid.dispatch.testing.VirtualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The persisted schedule across a restart: a scheduler that followed a real server on loopback is
 * closed, and a new one starts with no server reachable at all. Virtual time: the clock is set,
 * and a task on the scheduler thread makes it look at the clock.
 */
class PersistedSchedulerTest {
  private static final long MICROGRID = 31;
  // Tomorrow: the client refuses to create a dispatch that starts in the (real) past.
  private static final Instant T = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.HOURS).plus(Duration.ofDays(1));

  @TempDir Path dir;

  private ScheduleStore store(Clock clock) {
    return new ScheduleStore(mg -> dir.resolve("schedule-" + mg + ".pb"), clock);
  }

  private static DispatchConnection connect(DispatchTestServer server) {
    return DispatchConnection.open(
        ClientOptions.builder("grpc://127.0.0.1:" + server.port() + "?ssl=false")
            .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
            .build());
  }

  /** Lets the scheduler look at the clock now, and waits until it has. */
  private static void lookAtTheClock(DispatchScheduler scheduler) {
    scheduler.execute(() -> {});
    scheduler.query(() -> null);
  }

  /** Follows the server until in sync, then closes: the copy is on disk. */
  private void followThenClose(DispatchScheduler scheduler, DispatchConnection client) throws InterruptedException {
    scheduler.useClient(client);
    assertTrue(scheduler.awaitSyncs(1, Duration.ofSeconds(15)), "in sync with the server");
    scheduler.close();
  }

  @Test
  void aRestartWithoutAnyServerStartsAndStopsDispatchesOnTimeFromTheFile() throws Exception {
    VirtualClock clock = new VirtualClock(T);
    Dispatch d;
    try (DispatchTestServer server = DispatchTestServer.start(null, clock);
        DispatchConnection client = connect(server)) {
      d = client.create(
          MICROGRID,
          NewDispatch.builder("CHARGE", TargetComponents.ids(1))
              .startTime(T.plus(Duration.ofMinutes(10)))
              .duration(Duration.ofMinutes(5))
              .build());
      followThenClose(new DispatchScheduler(MICROGRID, clock, new Recorder(), store(clock)), client);
    }
    assertTrue(Files.exists(dir.resolve("schedule-31.pb")));

    // No server, no client: only the file.
    Recorder out = new Recorder();
    DispatchScheduler restarted = new DispatchScheduler(MICROGRID, clock, out, store(clock));
    try {
      assertEquals(List.of(d), restarted.query(() -> restarted.schedule().dispatches()));
      clock.set(T.plus(Duration.ofMinutes(9)));
      lookAtTheClock(restarted);
      assertEquals(List.of(), restarted.query(out::take), "not before its start");
      clock.set(T.plus(Duration.ofMinutes(10)));
      lookAtTheClock(restarted);
      assertEquals(
          List.of("RUNNING " + d.id() + " at " + d.startTime() + " until " + d.startTime().plus(Duration.ofMinutes(5))),
          restarted.query(out::take));
      clock.set(T.plus(Duration.ofMinutes(15)));
      lookAtTheClock(restarted);
      assertEquals(List.of("STOPPED " + d.id() + " at " + T.plus(Duration.ofMinutes(15))), restarted.query(out::take));
    } finally {
      restarted.close();
    }
  }

  /** A device: what it was told, in order. */
  static final class Device implements RunningStateListener {
    final BlockingQueue<RunningStateChange> told = new LinkedBlockingQueue<>();

    @Override
    public void onRunningStateChange(RunningStateChange change) {
      told.add(change);
    }

    RunningStateChange next() throws InterruptedException {
      RunningStateChange c = told.poll(10, TimeUnit.SECONDS);
      assertNotNull(c, "nothing told within 10 s");
      return c;
    }
  }

  /** A scheduler as SchedulerComponent wires it, with a hub of real listener endpoints. */
  private record Gateway(DispatchScheduler scheduler, DeliveryHub hub) implements AutoCloseable {
    void register(long serviceId, Device device, String memoryKey) {
      scheduler.execute(
          () -> hub.listeners().addRunningStateListener(
              serviceId, Map.of(RunningStateListener.TYPE, "*"), device, memoryKey, scheduler.running()));
    }

    @Override
    public void close() {
      scheduler.close();
      hub.close();
    }
  }

  private Gateway gateway(Clock clock) {
    DeliveryHub hub = new DeliveryHub(MICROGRID, ListenerSettings.DEFAULT, clock, "test-");
    return new Gateway(new DispatchScheduler(MICROGRID, clock, hub, store(clock), hub.listeners()), hub);
  }

  @Test
  void aListenerIsToldWhatEndedWhileTheGatewayWasDownAndNotAgainWhatItKnows() throws Exception {
    VirtualClock clock = new VirtualClock(T.minus(Duration.ofMinutes(1)));
    Dispatch everyTen;
    Dispatch twoHours;
    Device device = new Device();
    try (DispatchTestServer server = DispatchTestServer.start(null, clock);
        DispatchConnection client = connect(server)) {
      everyTen = client.create(
          MICROGRID,
          NewDispatch.builder("CHARGE", TargetComponents.ids(1))
              .startTime(T)
              .duration(Duration.ofMinutes(5))
              // Four runs: T, T+10, T+20, T+30 min.
              .recurrence(RecurrenceRule.builder(Frequency.MINUTELY).interval(10).count(4).build())
              .build());
      twoHours = client.create(
          MICROGRID,
          NewDispatch.builder("HOLD", TargetComponents.ids(2)).startTime(T).duration(Duration.ofHours(2)).build());
      clock.set(T.plus(Duration.ofMinutes(1)));
      Gateway before = gateway(clock);
      before.register(100, device, "pid:device");
      followThenClose(before.scheduler(), client);
      before.hub().close();
    }
    // Told RUNNING for both while the gateway was up.
    assertEquals(RunningState.RUNNING, device.next().state());
    assertEquals(RunningState.RUNNING, device.next().state());

    // Down for 36 minutes, no server when it comes back; the device registers again (new service id).
    clock.set(T.plus(Duration.ofMinutes(37)));
    Device sameDevice = new Device();
    Device newDevice = new Device();
    try (Gateway after = gateway(clock)) {
      after.register(200, sameDevice, "pid:device");
      after.register(201, newDevice, "pid:another-device");

      RunningStateChange stopped = sameDevice.next();
      assertEquals(everyTen.id(), stopped.dispatch().id());
      assertEquals(RunningState.STOPPED, stopped.state());
      assertEquals(T.plus(Duration.ofMinutes(35)), stopped.at(), "§9: when its last run ended, not the restart");
      assertEquals(
          List.of(T.plus(Duration.ofMinutes(10)), T.plus(Duration.ofMinutes(20)), T.plus(Duration.ofMinutes(30))),
          stopped.missedRuns());

      RunningStateChange caughtUp = newDevice.next();
      assertEquals(twoHours.id(), caughtUp.dispatch().id(), "a listener never seen is caught up");
      assertEquals(RunningState.RUNNING, caughtUp.state());

      clock.set(T.plus(Duration.ofHours(2)));
      lookAtTheClock(after.scheduler());
      RunningStateChange end = sameDevice.next();
      assertEquals(twoHours.id(), end.dispatch().id(), "no RUNNING again for the run it knew, only its end");
      assertEquals(RunningState.STOPPED, end.state());
      assertNull(sameDevice.told.poll(), "nothing else");
    }
  }

  @Test
  void aFloodOfChangesCostsAFewWritesNotOnePerChange() throws Exception {
    VirtualClock clock = new VirtualClock(Dispatches.T0);
    ScheduleStore store = store(clock);
    DispatchScheduler scheduler = new DispatchScheduler(Dispatches.MICROGRID, clock, new Recorder(), store);
    int events = 10_000;
    long started = System.nanoTime();
    try {
      for (int i = 1; i <= events; i++) {
        Dispatch d = Dispatches.dispatch(i, Dispatches.T0.plus(Duration.ofHours(1)), Duration.ofMinutes(5));
        scheduler.execute(() -> scheduler.schedule().apply(new io.microgrid.dispatch.api.DispatchEvent.Created(d), scheduler.now()));
      }
      scheduler.query(() -> null);
    } finally {
      scheduler.close(); // saves what is pending at once
    }
    long millis = Duration.ofNanos(System.nanoTime() - started).toMillis();
    System.out.printf("%d stream events in %d ms: %d writes of the persisted schedule%n", events, millis, store.writes());
    assertTrue(store.writes() >= 1 && store.writes() <= 1 + millis / DispatchScheduler.SAVE_DELAY.toMillis() + 1,
        "at most one write per " + DispatchScheduler.SAVE_DELAY.toMillis() + " ms, got " + store.writes());
    DispatchScheduler restarted = new DispatchScheduler(Dispatches.MICROGRID, clock, new Recorder(), store(clock));
    try {
      assertEquals(events, restarted.query(() -> restarted.schedule().dispatches().size()), "the last change is on disk");
    } finally {
      restarted.close();
    }
  }
}
