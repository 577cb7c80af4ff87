package io.microgrid.dispatch.api.internal;

import io.microgrid.dispatch.api.Dispatch;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Evaluates when a dispatch runs. Placeholder: implemented with lib-recur. */
public final class Schedule {
  private Schedule() {}

  /** First occurrence at or after t. */
  public static Optional<Instant> firstOccurrenceAtOrAfter(Dispatch d, Instant t) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Latest occurrence at or before t. */
  public static Optional<Instant> latestOccurrenceAtOrBefore(Dispatch d, Instant t) {
    throw new UnsupportedOperationException("not yet");
  }

  /** Newest occurrences in [from, to), oldest first. */
  public static List<Instant> occurrencesBetween(Dispatch d, Instant from, Instant to, int newest) {
    throw new UnsupportedOperationException("not yet");
  }
}
