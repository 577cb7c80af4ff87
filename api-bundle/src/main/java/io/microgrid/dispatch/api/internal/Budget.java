package io.microgrid.dispatch.api.internal;

/**
 * Counts the steps one schedule query may take, so that no rule, however pathological, makes a
 * query loop for long. A step is one instance taken from lib-recur or one jump of a stream.
 */
final class Budget {
  /** Thrown when a query has used up its steps; caught inside this package. */
  static final class Exhausted extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Exhausted() {
      super("step budget exhausted", null, false, false);
    }
  }

  private long left;

  Budget(long steps) {
    this.left = steps;
  }

  /** Takes one step; throws {@link Exhausted} when none is left. */
  void step() {
    if (--left < 0) {
      throw new Exhausted();
    }
  }
}
