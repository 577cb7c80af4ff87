package io.microgrid.dispatch.scheduler.internal.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.scheduler.internal.core.Dispatches;
import io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub;
import io.microgrid.dispatch.scheduler.internal.delivery.ListenerSettings;
import io.microgrid.dispatch.scheduler.internal.persist.ScheduleStore;
import io.microgrid.dispatch.testing.VirtualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Semantics §9: deleting a scheduler's configuration tells STOPPED to every listener it told
 * RUNNING (nothing else ever would), while stopping the bundle or the framework tells nothing,
 * since the persisted schedule catches up at the next start. Wired as SchedulerComponent wires
 * it: a runner and a hub of real listener endpoints.
 */
class ConfigurationDeletedTest {
  private static final Instant NOW = Dispatches.at("01:00");
  // Runs from 00:00 to 02:00: running at NOW.
  private static final Dispatch TWO_HOURS = Dispatches.dispatch(1, Dispatches.at("00:00"), Duration.ofHours(2));

  @TempDir Path dir;

  /** A device that records what it is told. */
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

  private final VirtualClock clock = new VirtualClock(NOW);
  private final DeliveryHub hub = new DeliveryHub(Dispatches.MICROGRID, ListenerSettings.DEFAULT, clock, "test-");
  private DispatchScheduler scheduler;

  /** A gateway whose device has been told RUNNING for the dispatch. */
  private Device runningDevice() throws InterruptedException {
    scheduler = new DispatchScheduler(
        Dispatches.MICROGRID,
        clock,
        hub,
        new ScheduleStore(mg -> dir.resolve("schedule-" + mg + ".pb"), clock),
        hub.listeners());
    Device device = new Device();
    scheduler.execute(
        () -> hub.listeners().addRunningStateListener(
            100, Map.of(RunningStateListener.TYPE, "*"), device, "pid:device", scheduler.running()));
    scheduler.execute(() -> scheduler.schedule().apply(new DispatchEvent.Created(TWO_HOURS), scheduler.now()));
    assertEquals(RunningState.RUNNING, device.next().state());
    return device;
  }

  @Test
  void deletingTheConfigurationTellsStoppedToEveryListenerToldRunning() throws Exception {
    Device device = runningDevice();
    clock.set(Dispatches.at("01:30"));

    // What SchedulerComponent's deactivate does for DEACTIVATION_REASON_CONFIGURATION_DELETED.
    scheduler.stopRunning();
    hub.closeAfterQueued();
    scheduler.close();

    RunningStateChange stopped = device.next();
    assertEquals(RunningState.STOPPED, stopped.state());
    assertEquals(TWO_HOURS.id(), stopped.dispatch().id());
    assertEquals(Dispatches.at("01:30"), stopped.at(), "at once, when the configuration went away");
    assertNull(device.told.poll(), "nothing else");
  }

  @Test
  void stoppingTheBundleTellsNothing() throws Exception {
    Device device = runningDevice();

    // What SchedulerComponent's deactivate does for any other reason (bundle or framework stops).
    scheduler.close();
    hub.close();

    assertNull(device.told.poll(200, TimeUnit.MILLISECONDS), "the persisted schedule catches up at the next start");
  }
}
