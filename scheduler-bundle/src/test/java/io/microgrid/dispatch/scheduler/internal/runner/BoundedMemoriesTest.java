package io.microgrid.dispatch.scheduler.internal.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Semantics §9: the listener memories in the persisted file are bounded. One that no listener
 * claimed within 7 days, or whose dispatch ended while the gateway ran, is dropped, so that the
 * file does not grow with listeners that never come back (a device whose memory key changes at
 * each start, as a generated factory PID does). Virtual days, a real file.
 */
class BoundedMemoriesTest {
  private static final long MG = Dispatches.MICROGRID;

  @TempDir Path dir;

  private final VirtualClock clock = new VirtualClock(Dispatches.T0);

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

  private ScheduleStore store() {
    return new ScheduleStore(mg -> dir.resolve("schedule-" + mg + ".pb"), clock);
  }

  /** A gateway as SchedulerComponent wires it. */
  private final class Gateway {
    final DeliveryHub hub = new DeliveryHub(MG, ListenerSettings.DEFAULT, clock, "test-");
    final DispatchScheduler scheduler = new DispatchScheduler(MG, clock, hub, store(), hub.listeners());

    /** Registers a device and waits until it is told that the dispatch runs. */
    void registerRunning(long serviceId, String memoryKey) throws InterruptedException {
      Device device = new Device();
      scheduler.execute(
          () -> hub.listeners().addRunningStateListener(
              serviceId, Map.of(RunningStateListener.TYPE, "*"), device, memoryKey, scheduler.running()));
      assertEquals(RunningState.RUNNING, device.next().state());
    }

    /** The framework stops: the listener leaves with its memory kept, then the scheduler. */
    void frameworkStops(long... serviceIds) {
      scheduler.query(
          () -> {
            for (long id : serviceIds) {
              hub.listeners().removeRunningStateListener(id, true);
            }
            return null;
          });
      scheduler.close();
      hub.close();
    }
  }

  private Set<String> keysOnDisk() {
    return new TreeSet<>(store().load(MG).orElseThrow().listeners().keySet());
  }

  @Test
  void memoriesOfListenersThatNeverComeBackAreDroppedAfterSevenDaysAndTheFileStaysBounded()
      throws Exception {
    // Runs for ever from an hour before T0: every device is told RUNNING and remembers it.
    Dispatch forever = Dispatches.dispatch(1, Dispatches.T0.minus(Duration.ofHours(1)), null);
    List<Long> sizes = new ArrayList<>();
    int days = 30;
    for (int day = 0; day < days; day++) {
      Gateway g = new Gateway();
      if (day == 0) {
        g.scheduler.execute(() -> g.scheduler.schedule().apply(new DispatchEvent.Created(forever), g.scheduler.now()));
      }
      // Each start the device registers under a new key and the old ones never come back.
      g.registerRunning(100 + day, "pid:device-" + day);
      g.frameworkStops(100 + day);
      sizes.add(Files.size(dir.resolve("schedule-" + MG + ".pb")));
      clock.set(clock.instant().plus(Duration.ofDays(1)));
    }

    Set<String> lastWeek = new TreeSet<>();
    for (int day = days - 7; day < days; day++) {
      lastWeek.add("pid:device-" + day);
    }
    assertEquals(lastWeek, keysOnDisk(), "only the memories unclaimed for less than 7 days");
    long week = sizes.get(7);
    assertTrue(
        sizes.subList(7, days).stream().allMatch(s -> s <= week + 16),
        "the file stops growing after a week: " + sizes);
  }

  @Test
  void aMemoryWhoseDispatchEndedWhileTheGatewayRanIsDropped() throws Exception {
    Dispatch twoHours = Dispatches.dispatch(2, Dispatches.T0, Duration.ofHours(2));
    Gateway before = new Gateway();
    before.scheduler.execute(
        () -> before.scheduler.schedule().apply(new DispatchEvent.Created(twoHours), before.scheduler.now()));
    before.registerRunning(100, "pid:device");
    before.frameworkStops(100);
    assertEquals(Set.of("pid:device"), keysOnDisk());

    // Back an hour later; the device does not come back before the dispatch ends.
    clock.set(Dispatches.T0.plus(Duration.ofHours(1)));
    Gateway after = new Gateway();
    after.scheduler.query(() -> null); // resumed from the file at T0 + 1 h, while it still ran
    clock.set(Dispatches.T0.plus(Duration.ofHours(2)));
    after.scheduler.execute(() -> {});
    after.scheduler.query(() -> null);
    after.frameworkStops();

    assertEquals(Set.of(), keysOnDisk(), "the STOPPED it missed is no longer owed");
  }
}
