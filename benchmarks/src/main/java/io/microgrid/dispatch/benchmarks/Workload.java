package io.microgrid.dispatch.benchmarks;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.TargetComponents;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Consumer;

/**
 * The dispatches a benchmark holds: half one-off, half recurring, each with a small payload, as a
 * gateway with many devices would hold them. Every instant is whole milliseconds so that Quartz,
 * which schedules in milliseconds, gets exactly the same transitions. Seeded: every run and every
 * peer sees the same dispatches.
 */
final class Workload {
  static final long MICROGRID = 1;
  static final Payload SMALL_PAYLOAD = Payload.of(Map.of("power_w", 5000, "mode", "charge"));

  private Workload() {}

  /**
   * Dispatches of which {@code measured} start and stop inside {@code [windowStart, windowStart +
   * window - 4 s]} (one START and one STOP each: runs of 1 to 3 s, the recurring ones repeating
   * every minute, so their next run is after the window) and the others start between one hour
   * and 30 days after the window.
   *
   * @param n how many in all
   * @param measured how many run inside the window, spread evenly over the ids
   * @param created their creation and modification time (before the window)
   */
  static List<Dispatch> withWindow(
      int n, int measured, Instant windowStart, Duration window, Instant created, long seed) {
    Random random = new Random(seed);
    List<Dispatch> all = new ArrayList<>(n);
    int every = Math.max(1, n / Math.max(1, measured));
    long spanMillis = Math.max(1, window.toMillis() - 4000);
    int inWindow = 0;
    for (int i = 0; i < n; i++) {
      long id = i + 1;
      boolean recurring = i % 2 == 1;
      if (i % every == 0 && inWindow < measured) {
        inWindow++;
        all.add(inWindow(id, inWindow, windowStart, spanMillis, random, created));
      } else {
        all.add(later(id, windowStart.plus(window), recurring, random, created));
      }
    }
    return all;
  }

  /** Dispatches that all start between one hour and 30 days after {@code from}. */
  static List<Dispatch> later(int n, Instant from, Instant created, long seed) {
    List<Dispatch> all = new ArrayList<>(n);
    later(n, from, created, seed, all::add);
    return all;
  }

  /**
   * The same dispatches as {@link #later(int, Instant, Instant, long)}, handed over one at a time,
   * so that a server can hold a million of them without a second list of them all.
   */
  static void later(int n, Instant from, Instant created, long seed, Consumer<Dispatch> each) {
    Random random = new Random(seed);
    for (int i = 0; i < n; i++) {
      each.accept(later(i + 1, from, i % 2 == 1, random, created));
    }
  }

  /**
   * {@code measured} dispatches that start and stop inside {@code [windowStart, windowStart +
   * window - 4 s]}, as the measured ones of {@link #withWindow}, with ids from {@code firstId}.
   */
  static List<Dispatch> inWindow(
      int measured, long firstId, Instant windowStart, Duration window, Instant created, long seed) {
    Random random = new Random(seed);
    long spanMillis = Math.max(1, window.toMillis() - 4000);
    List<Dispatch> all = new ArrayList<>(measured);
    for (int k = 1; k <= measured; k++) {
      all.add(inWindow(firstId + k - 1, k, windowStart, spanMillis, random, created));
    }
    return all;
  }

  /** The k-th (from 1) dispatch run inside the window: every second one recurs each minute. */
  private static Dispatch inWindow(
      long id, int k, Instant windowStart, long spanMillis, Random random, Instant created) {
    Instant start = windowStart.plusMillis(random.nextLong(spanMillis));
    Duration duration = Duration.ofSeconds(1 + random.nextInt(3));
    Optional<RecurrenceRule> rule =
        (k % 2 == 0)
            ? Optional.of(RecurrenceRule.builder(Frequency.MINUTELY).count(3).build())
            : Optional.empty();
    return dispatch(id, start, duration, rule, created);
  }

  private static Dispatch later(long id, Instant from, boolean recurring, Random random, Instant created) {
    Instant start =
        from.plus(Duration.ofHours(1)).plusSeconds(random.nextInt(30 * 24 * 3600)).truncatedTo(ChronoUnit.SECONDS);
    Optional<RecurrenceRule> rule =
        recurring
            ? Optional.of(
                RecurrenceRule.builder(random.nextBoolean() ? Frequency.DAILY : Frequency.HOURLY)
                    .count(24)
                    .build())
            : Optional.empty();
    return dispatch(id, start, Duration.ofMinutes(15), rule, created);
  }

  /**
   * A dispatch whose type, target and payload are objects of its own, as the client makes them
   * when it reads a dispatch from the wire: shared ones would hide their cost in the heap figures.
   */
  static Dispatch dispatch(
      long id, Instant start, Duration duration, Optional<RecurrenceRule> rule, Instant created) {
    return new Dispatch(
        id,
        MICROGRID,
        new String("BATTERY_CHARGE"),
        start,
        Optional.of(duration),
        TargetComponents.ids(1, 2),
        true,
        false,
        Payload.of(Map.of("power_w", 5000, "mode", new String("charge"))),
        rule,
        created,
        created,
        Optional.empty());
  }

  /**
   * The same dispatch with a payload and target of its own value ({@code power_w} and the second
   * target id taken from its id): what a schedule holds when no two dispatches share them.
   */
  static Dispatch unshared(Dispatch d) {
    return new Dispatch(
        d.id(),
        d.microgridId(),
        d.type(),
        d.startTime(),
        d.duration(),
        TargetComponents.ids(1, 1000 + d.id()),
        d.active(),
        d.dryRun(),
        Payload.of(Map.of("power_w", 5000 + d.id(), "mode", new String("charge"))),
        d.recurrence(),
        d.createTime(),
        d.updateTime(),
        d.endTime());
  }

  /** The same dispatch with another start and a later modification time, as an update gives it. */
  static Dispatch moved(Dispatch d, Instant start, Instant modified) {
    return new Dispatch(
        d.id(),
        d.microgridId(),
        d.type(),
        start,
        d.duration(),
        d.target(),
        d.active(),
        d.dryRun(),
        d.payload(),
        d.recurrence(),
        d.createTime(),
        modified,
        d.endTime());
  }
}
