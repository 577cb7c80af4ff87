package io.microgrid.dispatch.scheduler.internal.core;

import java.time.Instant;
import java.util.Comparator;

/**
 * A dispatch's next change of state on the timeline. At one instant, stops come before starts
 * and each kind goes in order of dispatch id (semantics §3), so that a device serving one
 * dispatch at a time ends up running the new one.
 *
 * @param at when it is due
 * @param kind whether the dispatch stops or (re)starts
 * @param dispatchId the dispatch
 */
record Transition(Instant at, Kind kind, long dispatchId) implements Comparable<Transition> {

  /** What happens at the transition; declaration order is delivery order at one instant. */
  enum Kind {
    /** The last covering occurrence ends. */
    STOP,
    /** An occurrence starts. */
    START
  }

  private static final Comparator<Transition> ORDER =
      Comparator.comparing(Transition::at)
          .thenComparing(Transition::kind)
          .thenComparingLong(Transition::dispatchId);

  @Override
  public int compareTo(Transition other) {
    return ORDER.compare(this, other);
  }
}
