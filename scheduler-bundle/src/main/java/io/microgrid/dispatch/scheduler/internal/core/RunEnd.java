package io.microgrid.dispatch.scheduler.internal.core;

import io.microgrid.dispatch.api.Dispatch;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Semantics §9: when a run that ended while the gateway was down really ended, so that the STOPPED
 * told at start-up carries that instant rather than the restart's. Shared by the scheduler core
 * (resuming its schedule) and delivery (resuming a listener's memory).
 */
public final class RunEnd {
  private RunEnd() {}

  /**
   * Returns the end of the last occurrence of a dispatch that started before now: the instant it
   * stopped running, for a dispatch told RUNNING at {@code toldAt} and not running now.
   *
   * @param d the dispatch as it was told
   * @param toldAt when RUNNING was told; null when unknown
   * @param now the current instant
   * @return that end, or {@code now} when it cannot be told apart (an infinite dispatch, no
   *     occurrence found, or an end outside [toldAt, now])
   */
  public static Instant of(Dispatch d, Instant toldAt, Instant now) {
    Optional<Duration> duration = d.duration();
    if (duration.isEmpty() || toldAt == null) {
      return now;
    }
    // The run told at toldAt covered it, so it started no earlier than a duration before: only
    // occurrences from there on need to be evaluated.
    List<Instant> last = d.occurrencesBetween(toldAt.minus(duration.get()), now, 1);
    if (last.isEmpty()) {
      return now;
    }
    Instant end = last.get(0).plus(duration.get());
    return end.isAfter(now) || end.isBefore(toldAt) ? now : end;
  }
}
