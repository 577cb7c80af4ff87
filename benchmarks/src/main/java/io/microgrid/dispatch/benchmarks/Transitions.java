package io.microgrid.dispatch.benchmarks;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.scheduler.internal.core.DispatchSchedule;
import io.microgrid.dispatch.scheduler.internal.core.Notifications;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the peers are given: every notification due in the window, worked out in advance by the
 * project's own schedule in virtual time (so that the peers deliver exactly the transitions that
 * our scheduler delivers), and for every other dispatch one pending entry at its next start, so
 * that each peer holds as many pending entries as our timeline does. The peers are thus spared the
 * recurrence evaluation that our scheduler does while running.
 *
 * @param inWindow the notifications due in the window, in order
 * @param pending one notification per dispatch without a transition in the window, at its next start
 */
record Transitions(List<RunningStateChange> inWindow, List<RunningStateChange> pending) {

  static Transitions of(List<Dispatch> dispatches, Instant loadedAt, Instant windowStart, Instant windowEnd) {
    List<RunningStateChange> inWindow = new ArrayList<>();
    java.util.Set<Long> seen = new java.util.HashSet<>();
    DispatchSchedule virtual =
        new DispatchSchedule(
            Workload.MICROGRID,
            new Notifications() {
              @Override
              public void runningStateChanged(RunningStateChange change) {
                if (!change.at().isBefore(windowStart) && !change.at().isAfter(windowEnd)) {
                  inWindow.add(change);
                  seen.add(change.dispatch().id());
                }
              }

              @Override
              public void dispatchEvent(DispatchEvent event, Instant due) {}
            });
    for (Dispatch d : dispatches) {
      virtual.apply(new DispatchEvent.Created(d), loadedAt);
    }
    virtual.advance(windowEnd);
    List<RunningStateChange> pending = new ArrayList<>();
    for (Dispatch d : dispatches) {
      if (!seen.contains(d.id())) {
        d.nextRunAfter(loadedAt)
            .ifPresent(at -> pending.add(
                new RunningStateChange(d, RunningState.RUNNING, at, d.duration().map(at::plus), List.of())));
      }
    }
    return new Transitions(List.copyOf(inWindow), pending);
  }

}
