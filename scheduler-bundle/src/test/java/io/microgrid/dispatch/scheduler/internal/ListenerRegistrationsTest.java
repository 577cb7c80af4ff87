package io.microgrid.dispatch.scheduler.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.scheduler.internal.core.Dispatches;
import io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub;
import io.microgrid.dispatch.scheduler.internal.delivery.ListenerSettings;
import io.microgrid.dispatch.scheduler.internal.runner.DispatchScheduler;
import io.microgrid.dispatch.testing.VirtualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What the whiteboard's departures do to the hub: the listener is silenced on the thread that
 * reports the departure, its removal waits for the scheduler thread. The scheduler thread is held
 * on a latch to show the order; nothing sleeps.
 */
class ListenerRegistrationsTest {
  private static final long WAIT_SECONDS = 10;

  private final VirtualClock clock = new VirtualClock(Dispatches.T0);
  private final DeliveryHub hub =
      new DeliveryHub(Dispatches.MICROGRID, ListenerSettings.DEFAULT, clock, "reg-");
  private final DispatchScheduler scheduler = new DispatchScheduler(Dispatches.MICROGRID, clock, hub);
  private final ListenerRegistrations registrations = new ListenerRegistrations(scheduler, hub);
  private final CountDownLatch release = new CountDownLatch(1);

  @AfterEach
  void close() {
    release.countDown();
    scheduler.close();
    hub.close();
  }

  /** Records what it is told. */
  static final class Listener implements RunningStateListener {
    final BlockingQueue<RunningStateChange> told = new LinkedBlockingQueue<>();

    @Override
    public void onRunningStateChange(RunningStateChange change) {
      told.add(change);
    }

    long nextId() throws InterruptedException {
      RunningStateChange c = told.poll(WAIT_SECONDS, TimeUnit.SECONDS);
      assertNotNull(c, "not told in time");
      return c.dispatch().id();
    }
  }

  private void startRunning(long id) {
    scheduler.execute(
        () ->
            scheduler
                .schedule()
                .apply(
                    new DispatchEvent.Created(
                        Dispatches.dispatch(id, Dispatches.T0.minusSeconds(60), Duration.ofHours(1))),
                    clock.instant()));
  }

  @Test
  void aDepartedListenerIsSilencedAtOnceAndRemovedOnTheSchedulerThread() throws Exception {
    Listener gone = new Listener();
    Listener stays = new Listener();
    registrations.runningAdded(10, Map.of(RunningStateListener.TYPE, "*"), gone, null);
    registrations.runningAdded(11, Map.of(RunningStateListener.TYPE, "*"), stays, null);
    startRunning(1);
    assertEquals(1, gone.nextId());
    assertEquals(1, stays.nextId());

    CountDownLatch held = new CountDownLatch(1);
    scheduler.execute(
        () -> {
          held.countDown();
          try {
            release.await(WAIT_SECONDS, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    assertTrue(held.await(WAIT_SECONDS, TimeUnit.SECONDS), "the scheduler thread is held");

    registrations.runningRemoved(10, false); // returns although the scheduler thread is held

    // Silenced at once: its endpoint thread ends before the scheduler thread moves on.
    Optional<Thread> worker =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals("reg-listener-10"))
            .findFirst();
    if (worker.isPresent()) {
      worker.get().join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertFalse(worker.get().isAlive(), "a departed listener's thread ends at once");
    }
    // Not removed yet: the registry is the scheduler thread's, and it is still held.
    assertTrue(hub.listeners().runningStateListenerCounters(10).isPresent(), "removed off the scheduler thread");

    release.countDown();
    scheduler.query(() -> null);
    assertEquals(Optional.empty(), hub.listeners().runningStateListenerCounters(10), "removed on the scheduler thread");
    startRunning(2);
    assertEquals(2, stays.nextId());
    assertTrue(gone.told.isEmpty(), "nothing after its departure: " + gone.told);
  }
}
