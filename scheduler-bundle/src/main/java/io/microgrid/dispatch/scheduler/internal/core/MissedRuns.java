package io.microgrid.dispatch.scheduler.internal.core;

import io.microgrid.dispatch.api.Dispatch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Semantics §6: which occurrences of a dispatch were missed. Shared by the scheduler core (a
 * dispatch that becomes known, or resumes from the persisted schedule) and the delivery hub (a
 * listener that comes back after a restart and was told RUNNING before it).
 */
public final class MissedRuns {
  /** At most this many missed runs are listed, the newest ones. */
  public static final int MAX = 100;

  private MissedRuns() {}

  /**
   * Returns the occurrences that started after the last modification, after {@code toldAt} and
   * before now, except {@code current}, the one running now (it is delivered, not missed).
   *
   * @param d the dispatch
   * @param now the current instant
   * @param current the start of the occurrence running now, if any
   * @param toldAt when RUNNING was last told about the dispatch: occurrences up to then were not
   *     missed; null when never
   * @return the newest {@value #MAX} at most, oldest first
   */
  public static List<Instant> of(Dispatch d, Instant now, Optional<Instant> current, Instant toldAt) {
    if (!d.active() || !d.updateTime().isBefore(now)) {
      return List.of();
    }
    List<Instant> starts = d.occurrencesBetween(d.updateTime(), now, MAX + 1);
    if (current.isPresent() && !starts.isEmpty() && starts.get(starts.size() - 1).equals(current.get())) {
      starts = starts.subList(0, starts.size() - 1);
    }
    if (toldAt != null) {
      starts = starts.stream().filter(o -> o.isAfter(toldAt)).toList();
    }
    return newest(starts);
  }

  /**
   * Joins two lists of missed runs.
   *
   * @return their union, oldest first, the newest {@value #MAX} at most
   */
  public static List<Instant> union(List<Instant> a, List<Instant> b) {
    if (a.isEmpty()) {
      return b;
    }
    if (b.isEmpty()) {
      return a;
    }
    TreeSet<Instant> all = new TreeSet<>(a);
    all.addAll(b);
    return newest(List.copyOf(all));
  }

  /**
   * Returns the start of the occurrence that runs now.
   *
   * @param d the dispatch
   * @param until the end of the run now, as {@link Dispatch#until} gives it (empty: infinite)
   * @return the start
   */
  public static Instant currentOccurrence(Dispatch d, Optional<Instant> until) {
    Optional<Duration> duration = d.duration();
    if (duration.isEmpty() || until.isEmpty()) {
      return d.startTime();
    }
    return until.get().minus(duration.get());
  }

  private static List<Instant> newest(List<Instant> starts) {
    if (starts.size() > MAX) {
      starts = starts.subList(starts.size() - MAX, starts.size());
    }
    return List.copyOf(starts);
  }
}
