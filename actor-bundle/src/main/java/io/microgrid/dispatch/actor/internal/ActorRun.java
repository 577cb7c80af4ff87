package io.microgrid.dispatch.actor.internal;

import io.microgrid.dispatch.api.RunningStateChange;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledFuture;

/**
 * One running dispatch, or merged identity, of a binding: its configuration and how the driven
 * component took it. Guarded by the {@link ActorRuns} that holds it.
 */
final class ActorRun {
  /** What the command and the health check see of a run. */
  record View(
      String bindingPid,
      String actorPid,
      long microgridId,
      long bindingServiceId,
      String identity,
      List<Long> dispatchIds,
      long dispatchId,
      String configurationPid,
      int attempt,
      String state,
      Optional<String> lastFailure,
      int failures,
      Optional<Instant> nextRetry) {}

  final String identity;
  /** The name of its configuration: the identity's, or a retry's after a failed activation. */
  String name;
  final Set<Long> ids = new TreeSet<>();
  RunningStateChange change;
  String configurationPid;
  /** The write in effect, from 1. */
  int attempt;
  /** When the write in effect was due: the transition's instant, or the retry's. */
  Instant due;
  /** The attempt whose outcome was reported last; 0 for none. */
  int reported;
  ComponentStates.Kind kind = ComponentStates.Kind.NOT_YET;
  String lastFailure;
  int failures;
  ScheduledFuture<?> retry;
  Instant nextRetry;

  ActorRun(String identity, String name) {
    this.identity = identity;
    this.name = name;
  }

  void cancelRetry() {
    if (retry != null) {
      retry.cancel(false);
      retry = null;
    }
    nextRetry = null;
  }

  View view(Binding binding, long serviceId) {
    return new View(
        binding.pid(),
        binding.actorPid(),
        binding.microgridId(),
        serviceId,
        identity,
        List.copyOf(ids),
        change.dispatch().id(),
        configurationPid,
        attempt,
        switch (kind) {
          case NOT_YET -> "pending";
          case UNSATISFIED -> "unsatisfied";
          case ACTIVE -> "active";
          case FAILED -> "failed";
        },
        Optional.ofNullable(lastFailure),
        failures,
        Optional.ofNullable(nextRetry));
  }
}
