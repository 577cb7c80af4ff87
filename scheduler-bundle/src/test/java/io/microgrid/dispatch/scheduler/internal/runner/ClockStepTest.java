package io.microgrid.dispatch.scheduler.internal.runner;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.scheduler.internal.core.Dispatches;
import io.microgrid.dispatch.scheduler.internal.core.Notifications;
import io.microgrid.dispatch.testing.VirtualClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A wake-up that fires early, because the wall clock stepped back after it was armed, is armed again. */
class ClockStepTest {
  @Test
  void aTransitionIsDeliveredAfterTheWallClockStepsBack() throws Exception {
    VirtualClock clock = VirtualClock.following(Clock.systemUTC());
    BlockingQueue<RunningStateChange> changes = new LinkedBlockingQueue<>();
    Notifications out = new Notifications() {
      public void runningStateChanged(RunningStateChange c) { changes.add(c); }
      public void dispatchEvent(DispatchEvent e, Instant due) {}
    };
    DispatchScheduler scheduler = new DispatchScheduler(Dispatches.MICROGRID, clock, out);
    try {
      Dispatch d = Dispatches.dispatch(1, Instant.now().plusMillis(500), Duration.ofSeconds(5));
      scheduler.execute(() -> scheduler.schedule().apply(new DispatchEvent.Created(d), scheduler.now()));
      scheduler.query(() -> null); // the wake-up is armed for the start
      clock.stepBack(Duration.ofMillis(300)); // NTP steps the wall clock back
      assertNotNull(changes.poll(3, TimeUnit.SECONDS), "RUNNING never came after the clock stepped back");
    } finally {
      scheduler.close();
    }
  }
}
