package io.microgrid.dispatch.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link RunningStateListener} is told: an immutable snapshot taken when the transition
 * happened, so reading it later never shows a newer state.
 *
 * @param dispatch the dispatch as it was at the transition
 * @param state the new state
 * @param at the instant of the transition
 * @param until when the current run ends, when known (empty for an infinite dispatch or a stop)
 * @param missedRuns starts of occurrences that were missed before this notification, oldest
 *     first
 */
public record RunningStateChange(
    Dispatch dispatch,
    RunningState state,
    Instant at,
    Optional<Instant> until,
    List<Instant> missedRuns) {

  /** Checks for nulls and copies the missed runs. */
  public RunningStateChange {
    Objects.requireNonNull(dispatch, "dispatch");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(until, "until");
    missedRuns = List.copyOf(Objects.requireNonNull(missedRuns, "missedRuns"));
  }
}
