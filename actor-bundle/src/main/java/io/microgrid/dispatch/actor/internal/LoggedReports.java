package io.microgrid.dispatch.actor.internal;

import io.microgrid.dispatch.api.DeliveryReport;
import io.microgrid.dispatch.api.DeliveryReportListener;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The attempts and outcomes of a binding: one INFO line per attempt and per outcome (a failure is
 * a WARNING), and one {@link DeliveryReport} of kind {@value #KIND} per outcome to every
 * {@link DeliveryReportListener}, as the scheduler sends one per listener call. Reports are sent on
 * their own executor, so a slow or throwing report listener delays no binding and no other.
 */
final class LoggedReports implements ActorReports {
  /** The kind of the delivery reports of dispatch-driven components. */
  static final String KIND = "actor";

  private static final System.Logger LOG = BundleLoggers.get(LoggedReports.class);

  private final Collection<DeliveryReportListener> listeners;
  private final Executor sender;
  private final Clock clock;

  LoggedReports(Collection<DeliveryReportListener> listeners, Executor sender, Clock clock) {
    this.listeners = listeners;
    this.sender = sender;
    this.clock = clock;
  }

  @Override
  public void attempt(ActorRun.View run, RunningState state) {
    if (state == RunningState.STOPPED) {
      LOG.log(
          Level.INFO,
          "dispatch {0} stopped: deleted configuration {1}",
          run.dispatchIds(),
          run.configurationPid());
    } else {
      LOG.log(
          Level.INFO,
          "dispatch {0} runs: attempt {1} wrote configuration {2}",
          run.dispatchIds(),
          run.attempt(),
          run.configurationPid());
    }
  }

  @Override
  public void outcome(ActorRun.View run, RunningState state, Instant due, Optional<String> failure) {
    if (failure.isPresent()) {
      LOG.log(
          Level.WARNING,
          "dispatch {0}: component of configuration {1} failed to activate (attempt {2}), retry at {3}: {4}",
          run.dispatchIds(),
          run.configurationPid(),
          run.attempt(),
          run.nextRetry().map(Instant::toString).orElse("-"),
          failure.get());
    } else if (state == RunningState.RUNNING) {
      LOG.log(
          Level.INFO,
          "dispatch {0}: component of configuration {1} took attempt {2}",
          run.dispatchIds(),
          run.configurationPid(),
          run.attempt());
    }
    Instant now = clock.instant();
    Duration latency = now.isBefore(due) ? Duration.ZERO : Duration.between(due, now);
    DeliveryReport report =
        new DeliveryReport(
            "actor " + run.actorPid() + " of binding " + run.bindingPid(),
            run.bindingServiceId(),
            KIND,
            run.dispatchId(),
            run.microgridId(),
            Optional.of(state),
            due,
            failure.isPresent() ? DeliveryReport.Outcome.FAILED : DeliveryReport.Outcome.DELIVERED,
            latency,
            failure);
    sender.execute(() -> send(report));
  }

  @Override
  public void noComponent(Binding binding) {
    LOG.log(
        Level.WARNING,
        "binding {0}: no DS component has the configuration PID {1} (actor.pid); its configurations"
            + " are kept and start when a bundle provides it",
        binding.pid(),
        binding.actorPid());
  }

  private void send(DeliveryReport report) {
    for (DeliveryReportListener l : listeners) {
      try {
        l.onDeliveryReport(report);
      } catch (RuntimeException e) {
        // A report listener that throws never keeps the report from the others.
        LOG.log(Level.WARNING, "delivery report listener " + l + " threw", e);
      }
    }
  }
}
