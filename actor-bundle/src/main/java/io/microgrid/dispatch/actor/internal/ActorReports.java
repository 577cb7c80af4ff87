package io.microgrid.dispatch.actor.internal;

import io.microgrid.dispatch.api.RunningState;
import java.time.Instant;
import java.util.Optional;

/** Where the attempts and outcomes of a binding go: the log and the delivery reports. */
interface ActorReports {
  /**
   * A configuration was written (or deleted, for STOPPED).
   *
   * @param run the run, as it is after the write
   */
  void attempt(ActorRun.View run, RunningState state);

  /**
   * The component took the configuration (failure empty), or failed to activate.
   *
   * @param run the run
   * @param due when the attempt was due: the transition's instant for the first, the retry's
   *     instant for a retry
   * @param failure what SCR says went wrong
   */
  void outcome(ActorRun.View run, RunningState state, Instant due, Optional<String> failure);

  /** No bundle provides a component of the binding's actor.pid (told once until one appears). */
  void noComponent(Binding binding);
}
