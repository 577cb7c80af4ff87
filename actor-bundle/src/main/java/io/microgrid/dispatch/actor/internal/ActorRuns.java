package io.microgrid.dispatch.actor.internal;

import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * What one binding keeps (semantics §10): a configuration of the driven component per running
 * dispatch or merged identity, written on RUNNING and deleted on STOPPED, and the retries of a
 * component that fails to activate.
 *
 * <p>The scheduler calls it as a {@link RunningStateListener} with the binding's merge mode, so the
 * notifications are already merged: a RUNNING of an identity that runs is a reconfiguration, and a
 * STOPPED comes only when the last dispatch of the identity stops. Whether the component took a
 * write is learnt from SCR, which announces no failed activation: {@link #check()} is called when
 * SCR's change count moves, and a few times after each write with growing pauses, in case SCR
 * batches its announcements.
 *
 * <p>Thread-safe: the scheduler's delivery thread, the executor and SCR's events all come here;
 * every method holds the lock, which ConfigAdmin and SCR calls never wait on for long.
 */
final class ActorRuns implements RunningStateListener {
  /** The first look at SCR after a write; each next one waits twice as long, up to {@link #LAST_LOOK}. */
  private static final Duration FIRST_LOOK = Duration.ofMillis(20);
  private static final Duration LAST_LOOK = Duration.ofSeconds(5);

  private final Binding binding;
  private final Configurations configurations;
  private final ComponentStates components;
  private final ActorReports reports;
  private final ScheduledExecutorService executor;
  private final Clock clock;
  private final Map<String, ActorRun> runs = new LinkedHashMap<>();
  private long serviceId;
  private boolean warnedNoComponent;
  private boolean closed;
  private ScheduledFuture<?> look;
  private Duration nextLook = FIRST_LOOK;

  ActorRuns(
      Binding binding,
      Configurations configurations,
      ComponentStates components,
      ActorReports reports,
      ScheduledExecutorService executor,
      Clock clock) {
    this.binding = binding;
    this.configurations = configurations;
    this.components = components;
    this.reports = reports;
    this.executor = executor;
    this.clock = clock;
  }

  /** The service id of the binding's listener registration, for the delivery reports. */
  synchronized void serviceId(long id) {
    this.serviceId = id;
  }

  @Override
  public synchronized void onRunningStateChange(RunningStateChange change) {
    if (closed) {
      return;
    }
    String identity = binding.merge().identityOf(change.dispatch());
    if (change.state() == RunningState.RUNNING) {
      ActorRun run = runs.computeIfAbsent(identity, k -> new ActorRun(k, configurationName(k)));
      run.ids.add(change.dispatch().id());
      run.change = change;
      // A newer dispatch of the identity, or a reconfiguration, replaces a pending retry.
      run.cancelRetry();
      write(run, change.at());
    } else if (change.state() == RunningState.STOPPED) {
      ActorRun run = runs.remove(identity);
      if (run == null) {
        return;
      }
      run.cancelRetry();
      run.change = change;
      configurations.delete(run.configurationPid);
      ActorRun.View view = run.view(binding, serviceId);
      reports.attempt(view, RunningState.STOPPED);
      reports.outcome(view, RunningState.STOPPED, change.at(), Optional.empty());
    }
  }

  /** Looks at SCR for the outcome of every write not yet known, and plans the retries. */
  synchronized void check() {
    if (closed) {
      return;
    }
    boolean waiting = false;
    for (ActorRun run : runs.values()) {
      if (run.reported == run.attempt) {
        continue;
      }
      Optional<ComponentStates.State> state =
          components.stateOf(binding.actorPid(), run.configurationPid);
      if (state.isEmpty()) {
        if (!warnedNoComponent) {
          warnedNoComponent = true;
          reports.noComponent(binding);
        }
        // The configuration stays: SCR activates the component when its bundle comes, and its
        // arrival moves SCR's change count, which calls this again.
        continue;
      }
      warnedNoComponent = false;
      ComponentStates.State s = state.get();
      if (s.attempt() != run.attempt) {
        waiting = true; // SCR has not seen this write yet
        continue;
      }
      run.kind = s.kind();
      switch (s.kind()) {
        case ACTIVE -> {
          run.reported = run.attempt;
          run.lastFailure = null;
          reports.outcome(run.view(binding, serviceId), RunningState.RUNNING, run.due, Optional.empty());
        }
        case FAILED -> {
          run.reported = run.attempt;
          run.lastFailure = s.failure() == null ? "the component failed to activate" : s.failure();
          run.failures++;
          planRetry(run);
          reports.outcome(
              run.view(binding, serviceId), RunningState.RUNNING, run.due, Optional.of(run.lastFailure));
        }
        default -> waiting = true;
      }
    }
    if (waiting) {
      lookAgain();
    }
  }

  /** Returns what runs now, for the command and the health check. */
  synchronized List<ActorRun.View> views() {
    List<ActorRun.View> out = new ArrayList<>();
    for (ActorRun run : runs.values()) {
      out.add(run.view(binding, serviceId));
    }
    return out;
  }

  /** Returns whether the last look found no component of the binding's actor.pid. */
  synchronized boolean componentMissing() {
    return warnedNoComponent;
  }

  /**
   * Stops every retry and deletes every configuration the binding made: nothing else would ever
   * stop the driven components. Called when the binding goes.
   */
  synchronized void close() {
    closed = true;
    if (look != null) {
      look.cancel(false);
      look = null;
    }
    for (ActorRun run : runs.values()) {
      run.cancelRetry();
      configurations.delete(run.configurationPid);
    }
    runs.clear();
  }

  private void write(ActorRun run, Instant due) {
    run.attempt++;
    run.due = due;
    run.kind = ComponentStates.Kind.NOT_YET;
    run.configurationPid =
        configurations.write(
            binding.actorPid(),
            run.name,
            ActorProperties.of(run.change, run.ids, binding.pid(), run.attempt));
    reports.attempt(run.view(binding, serviceId), RunningState.RUNNING);
    // Look soon after every write, however far the backoff of an earlier one had grown.
    if (look != null) {
      look.cancel(false);
      look = null;
    }
    nextLook = FIRST_LOOK;
    lookAgain();
  }

  private void planRetry(ActorRun run) {
    Duration interval = binding.retryInterval();
    run.nextRetry = clock.instant().plus(interval);
    run.retry =
        executor.schedule(() -> retry(run), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private synchronized void retry(ActorRun run) {
    // A run that stopped, or whose retry a newer write replaced, is not tried again.
    if (closed || runs.get(run.identity) != run || run.nextRetry == null) {
      return;
    }
    Instant due = run.nextRetry;
    run.retry = null;
    run.nextRetry = null;
    // A fresh configuration, not an update of the failed one: an update did not make Felix SCR
    // 2.2 try the activation again (seen in ActorTest, with a component that has a modified
    // method), while a new component configuration is always activated. The failed one goes once
    // the new one is written.
    String failed = run.configurationPid;
    run.name = configurationName(run.identity) + ".retry-" + (run.attempt + 1);
    write(run, due);
    configurations.delete(failed);
  }

  private void lookAgain() {
    if (look != null) {
      return; // one is planned already
    }
    Duration wait = nextLook;
    nextLook = nextLook.multipliedBy(2).compareTo(LAST_LOOK) > 0 ? LAST_LOOK : nextLook.multipliedBy(2);
    look = executor.schedule(this::plannedLook, wait.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void plannedLook() {
    synchronized (this) {
      look = null;
    }
    check();
  }

  /**
   * The name of an identity's configuration: the binding's own name, then the identity, in
   * characters that any ConfigAdmin keeps in a pid, so {@code actor.pid~charger.CHARGE.real}.
   */
  String configurationName(String identity) {
    String pid = binding.pid();
    String own =
        pid.startsWith(BindingConfiguration.PID) && pid.length() > BindingConfiguration.PID.length() + 1
            ? pid.substring(BindingConfiguration.PID.length() + 1)
            : pid;
    return (own + "." + identity).replaceAll("[^A-Za-z0-9._-]", "_");
  }
}
