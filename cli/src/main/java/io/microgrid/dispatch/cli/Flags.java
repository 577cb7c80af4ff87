package io.microgrid.dispatch.cli;

import picocli.CommandLine.Option;

/** Pairs of options of which at most one may be given; picocli reports giving both. */
final class Flags {
  private Flags() {}

  /** {@code --active} or {@code --inactive} as a filter of {@code list}. */
  static final class ActiveFilter {
    @Option(names = "--active", required = true, description = "Only active dispatches.")
    boolean active;

    @Option(names = "--inactive", required = true, description = "Only inactive dispatches.")
    boolean inactive;

    static Boolean value(ActiveFilter a) {
      return a == null ? null : a.active;
    }
  }

  /** {@code --active} or {@code --inactive} as a field of {@code create} and {@code update}. */
  static final class Active {
    @Option(names = "--active", required = true,
        description = "Make it active: it runs when due (the default of create).")
    boolean active;

    @Option(names = "--inactive", required = true,
        description = "Make it inactive: kept, but it does not run.")
    boolean inactive;

    static Boolean value(Active a) {
      return a == null ? null : a.active;
    }
  }

  /** {@code --recurring} or {@code --one-off}. */
  static final class Recurring {
    @Option(names = "--recurring", required = true, description = "Only recurring dispatches.")
    boolean recurring;

    @Option(names = "--one-off", required = true, description = "Only one-off dispatches.")
    boolean oneOff;

    static Boolean value(Recurring r) {
      return r == null ? null : r.recurring;
    }
  }
}
