package io.microgrid.dispatch.benchmarks;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.scheduler.internal.runner.DispatchScheduler;
import io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub;
import io.microgrid.dispatch.scheduler.internal.delivery.ListenerSettings;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The project's scheduler as a gateway runs it: {@link DispatchScheduler} with the system clock,
 * its {@link DeliveryHub} and the listener registered on the hub as the whiteboard would register
 * it, so each notification goes from the scheduler thread through the listener's own queue and
 * thread. The dispatches are handed to it as stream events (its {@code apply} entry point).
 */
final class OurScheduler implements Contender {
  private static final int BATCH = 1000;
  private final Clock clock = Clock.systemUTC();
  private DispatchScheduler scheduler;
  private DeliveryHub hub;

  @Override
  public String name() {
    return "dispatch scheduler";
  }

  @Override
  public void load(List<Dispatch> dispatches, Transitions transitions, LatenessRecorder listener) {
    hub = new DeliveryHub(Workload.MICROGRID, ListenerSettings.DEFAULT, clock, "bench-");
    scheduler = new DispatchScheduler(Workload.MICROGRID, clock, hub);
    scheduler.execute(
        () -> hub.listeners().addRunningStateListener(1L, Map.of(RunningStateListener.TYPE, "*"), listener, scheduler.running()));
    // In batches, as a list or a burst of stream events arrives, so the thread stays responsive.
    for (int from = 0; from < dispatches.size(); from += BATCH) {
      List<Dispatch> batch = dispatches.subList(from, Math.min(dispatches.size(), from + BATCH));
      scheduler.execute(
          () -> {
            for (Dispatch d : batch) {
              scheduler.schedule().apply(new DispatchEvent.Created(d), clock.instant());
            }
          });
    }
    scheduler.query(() -> null);
  }

  @Override
  public void close() {
    if (scheduler != null) {
      scheduler.close();
    }
    if (hub != null) {
      hub.close();
    }
  }
}
