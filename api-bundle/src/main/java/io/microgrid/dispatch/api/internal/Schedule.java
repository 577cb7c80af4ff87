package io.microgrid.dispatch.api.internal;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates when a dispatch runs: the occurrences of its recurrence rule (semantics §1), equal to
 * those of python-dateutil's {@code rrule} for the same rule, in UTC with DTSTART = the dispatch's
 * start time, computed with lib-recur (embedded privately in this bundle).
 *
 * <p>These are pure schedule functions: whether the dispatch is active, and an infinite duration,
 * are {@link Dispatch}'s business. A dispatch without a rule has one occurrence, its start.
 *
 * <h2>Where lib-recur is adapted to dateutil</h2>
 *
 * <ul>
 *   <li>INTERVAL 0 means 1 (lib-recur refuses 0).
 *   <li>Empty by-lists are left out of the rule (never "matches nothing").
 *   <li>The rule is iterated with {@code RecurrenceRule.iterator(start)} (lib-recur's {@code
 *       OfRule}), never with {@code OfRuleAndFirst}, which yields a start that does not match the
 *       rule as an extra first instance; COUNT therefore counts only real occurrences.
 *   <li>Months too short for a day are skipped, as lib-recur does when no RSCALE/SKIP is given; the
 *       rule never sets SKIP (whose FORWARD/BACKWARD would roll over into the next month).
 *   <li>MINUTELY and HOURLY rules with day filters are split into a time rule and a DAILY day rule
 *       ({@link DayFilteredStream}): lib-recur alone gives up after three days of minutes or 180
 *       days of hours without an occurrence.
 *   <li>YEARLY with BYMONTHDAY and no BYMONTH means that day of every month (RFC 5545, dateutil);
 *       lib-recur expands it in the start's month only, so every month is named ({@link
 *       CompiledRule}).
 *   <li>The rule reaches lib-recur as RFC 5545 text: its setters take BYMONTH counted from 0.
 *   <li>The start's fraction of a second is kept on every occurrence (dateutil drops it, lib-recur
 *       works in whole seconds).
 *   <li>Occurrences end with the year 9999, as in dateutil.
 * </ul>
 *
 * <h2>Cost, and its caps</h2>
 *
 * <ul>
 *   <li>No query iterates from the start: {@link LibRecurStream} jumps to the wanted instant.
 *       {@link #firstOccurrenceAtOrAfter} takes a handful of steps; {@link
 *       #latestOccurrenceAtOrBefore} and {@link #occurrencesBetween} search backwards from the end
 *       of the range in windows that grow fourfold (from one period of the rule, or {@code newest}
 *       periods); in the window that holds the latest occurrence they walk at most {@value #WALK} occurrences,
 *       then bisect. A query costs a few microseconds to a few hundred (every minute of June, asked
 *       in December).
 *   <li>COUNT is the exception: whether an occurrence is within the count needs the occurrences
 *       before it counted (lib-recur's COUNT cannot fast-forward at all). A MINUTELY, HOURLY, DAILY
 *       or WEEKLY rule without by-lists has its last occurrence computed, {@code start + (count -
 *       1) * interval periods}. Other rules are counted; the count is kept per dispatch (by id,
 *       microgrid, update time, start and rule; the newest {@value #COUNT_CACHE_SIZE} dispatches)
 *       and only extended, so each occurrence is counted once, not once per query. One query counts
 *       at most {@value #COUNT_STEPS} occurrences; when a query would need more (a rule of more
 *       than that many occurrences, queried far from the instant counted to so far) it takes the
 *       rule as not ended yet, and the next query counts on from there.
 *   <li>Every other query takes at most {@value #QUERY_STEPS} steps (an occurrence taken from
 *       lib-recur, a jump, a restart of a rule). A query that would need more is cut short: {@link
 *       #occurrencesBetween} returns the newest occurrences it had found completely (fewer than
 *       asked), the other two treat the dispatch as failed (below). Neither happens with rules that
 *       dateutil itself evaluates in reasonable time.
 *   <li>lib-recur itself gives up after 4320 periods in a row without an occurrence (about twelve
 *       years for DAILY); a split MINUTELY or HOURLY rule gives up after {@value
 *       DayFilteredStream#MAX_MISSED_DAYS} matching days in a row on which its times never fall.
 *       Such a rule fails (below); dateutil would search on until the year 9999.
 *   <li>Occurrences end with 9999-12-31T23:59:59Z, as dateutil's do, which bounds every walk over
 *       periods.
 * </ul>
 *
 * <h2>Failures</h2>
 *
 * <p>Nothing is thrown out of this class for a rule. When lib-recur fails on a dispatch's rule (for
 * instance an hour that an HOURLY interval never reaches, which dateutil refuses too), the dispatch
 * has no occurrences, and one warning naming the dispatch, its microgrid and the problem is logged,
 * once per dispatch version (id, microgrid, update time; the newest {@value #FAILED_CACHE_SIZE}
 * failed ones are remembered).
 */
public final class Schedule {
  private static final System.Logger LOG = BundleLoggers.get(Schedule.class);

  /** Occurrences one query counts at most for a COUNT rule. */
  static final int COUNT_STEPS = 1_000_000;

  /** Steps one query takes at most, other than counting. */
  static final int QUERY_STEPS = 1_000_000;

  /** Occurrences walked in a search window before the search bisects. */
  static final int WALK = 64;

  static final int COUNT_CACHE_SIZE = 10_000;
  static final int FAILED_CACHE_SIZE = 4_096;

  /** One version of one dispatch's schedule. */
  private record Key(
      long id, long microgridId, Instant updateTime, Instant start, RecurrenceRule rule) {
    static Key of(Dispatch d, RecurrenceRule rule) {
      return new Key(d.id(), d.microgridId(), d.updateTime(), d.startTime(), rule);
    }
  }

  /**
   * How far a COUNT rule has been counted: {@code seen} occurrences up to and including epoch
   * second {@code last}; complete when the count is reached or the rule has no more occurrences
   * (then {@code last} is the last occurrence, or before the start when there is none).
   */
  private record Counted(long last, long seen, boolean complete) {}

  private static final Lru<Counted> COUNTED = new Lru<>(COUNT_CACHE_SIZE);
  private static final Lru<String> FAILED = new Lru<>(FAILED_CACHE_SIZE);

  private Schedule() {}

  /**
   * Returns the first occurrence at or after an instant.
   *
   * @param d the dispatch
   * @param t the instant
   * @return the occurrence, or empty when there is none
   */
  public static Optional<Instant> firstOccurrenceAtOrAfter(Dispatch d, Instant t) {
    if (d.recurrence().isEmpty()) {
      return d.startTime().isBefore(t) ? Optional.empty() : Optional.of(d.startTime());
    }
    return evaluate(d, Optional.empty(), (key, rule) -> first(key, rule, t));
  }

  /**
   * Returns the latest occurrence at or before an instant.
   *
   * @param d the dispatch
   * @param t the instant
   * @return the occurrence, or empty when there is none
   */
  public static Optional<Instant> latestOccurrenceAtOrBefore(Dispatch d, Instant t) {
    if (d.recurrence().isEmpty()) {
      return d.startTime().isAfter(t) ? Optional.empty() : Optional.of(d.startTime());
    }
    return evaluate(d, Optional.empty(), (key, rule) -> latest(key, rule, t));
  }

  /**
   * Returns the newest occurrences {@code o} with {@code from <= o < to}, oldest first.
   *
   * @param d the dispatch
   * @param from the first instant, inclusive
   * @param to the last instant, exclusive
   * @param newest at most this many, the newest ones
   * @return the occurrences
   */
  public static List<Instant> occurrencesBetween(Dispatch d, Instant from, Instant to, int newest) {
    if (newest <= 0 || !from.isBefore(to)) {
      return List.of();
    }
    if (d.recurrence().isEmpty()) {
      Instant s = d.startTime();
      return !s.isBefore(from) && s.isBefore(to) ? List.of(s) : List.of();
    }
    return evaluate(d, List.of(), (key, rule) -> between(key, rule, from, to, newest));
  }

  private interface Query<T> {
    T run(Key key, CompiledRule rule);
  }

  private static <T> T evaluate(Dispatch d, T none, Query<T> query) {
    RecurrenceRule r = d.recurrence().orElseThrow();
    Key key = Key.of(d, r);
    if (FAILED.get(key) != null) {
      return none;
    }
    try {
      return query.run(key, new CompiledRule(r, d.startTime()));
    } catch (RuntimeException e) {
      // Whatever lib-recur throws (IllegalArgumentException "too many empty recurrence sets",
      // ArrayIndexOutOfBoundsException, ...), and our own step cap.
      String problem =
          e instanceof Budget.Exhausted
              ? "evaluating it takes more than " + QUERY_STEPS + " steps"
              : e.toString();
      if (FAILED.putIfAbsent(key, problem) == null) {
        LOG.log(
            Level.WARNING,
            "Dispatch {0} of microgrid {1}: its recurrence rule {2} cannot be evaluated ({3});"
                + " the dispatch is treated as having no occurrences",
            Long.toString(d.id()),
            Long.toString(d.microgridId()),
            r,
            problem);
      }
      return none;
    }
  }

  private static Optional<Instant> first(Key key, CompiledRule c, Instant t) {
    long from = Math.max(c.start, c.ceilSecond(t));
    if (from > c.last) {
      return Optional.empty();
    }
    long o;
    if (from == c.start && c.startIsAnOccurrence()) {
      // The first occurrence of a dispatch that has not started yet is its start when no by-list
      // can exclude it: lib-recur is not asked, which made such a question (every future dispatch
      // of a sync) cost a rule parse and an iterator.
      o = c.start;
    } else {
      SecondStream s = c.stream(new Budget(QUERY_STEPS));
      s.fastForward(from);
      o = s.peek();
    }
    if (o > c.last) {
      return Optional.empty();
    }
    long end = countEnd(key, c, o);
    return end == SecondStream.NONE || end == o ? Optional.of(c.instant(o)) : Optional.empty();
  }

  private static Optional<Instant> latest(Key key, CompiledRule c, Instant t) {
    long x = Math.min(c.last, c.floorSecond(t));
    if (x < c.start) {
      return Optional.empty();
    }
    long end = countEnd(key, c, x);
    if (end != SecondStream.NONE) {
      return end < c.start ? Optional.empty() : Optional.of(c.instant(end));
    }
    long found = latest(c, c.start, x, new Budget(QUERY_STEPS));
    return found == SecondStream.NONE ? Optional.empty() : Optional.of(c.instant(found));
  }

  /**
   * Returns the latest occurrence in {@code [lowest, x]} of the rule without COUNT, or NONE.
   *
   * <p>Searches windows {@code [x - width + 1, x]} whose width starts at one period and grows
   * fourfold until one holds an occurrence. In that window it walks at most {@value #WALK}
   * occurrences, then bisects: a dense rule after a long gap (every minute of June, asked in
   * December) costs a few dozen fast forwards instead of a walk through a month of minutes.
   */
  private static long latest(CompiledRule c, long lowest, long x, Budget budget) {
    long width = c.nominalPeriod();
    while (true) {
      long lower = x - lowest < width ? lowest : x - width + 1;
      SecondStream s = c.stream(budget);
      s.fastForward(lower);
      long found = SecondStream.NONE;
      int walked = 0;
      for (long p = s.peek(); p <= x; p = s.peek()) {
        if (++walked > WALK) {
          return bisect(c, found, x, budget);
        }
        found = p;
        s.next();
      }
      if (found != SecondStream.NONE || lower == lowest) {
        return found;
      }
      width = grow(width);
    }
  }

  /** Returns the latest occurrence at or before x, given an occurrence {@code lo <= x}. */
  private static long bisect(CompiledRule c, long lo, long x, Budget budget) {
    // Invariant: lo is an occurrence <= x; no occurrence lies in [hi, x].
    long hi = x + 1;
    while (hi - lo > 1) {
      long mid = lo + (hi - lo) / 2;
      SecondStream s = c.stream(budget);
      s.fastForward(mid);
      long p = s.peek();
      if (p <= x) {
        lo = p;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static List<Instant> between(
      Key key, CompiledRule c, Instant from, Instant to, int newest) {
    long lowest = Math.max(c.start, c.ceilSecond(from));
    // The last grid second whose occurrence is before `to`.
    long x = Math.min(c.last, c.ceilSecond(to) - 1);
    if (x < lowest) {
      return List.of();
    }
    long end = countEnd(key, c, x);
    if (end != SecondStream.NONE) {
      x = end;
      if (x < lowest) {
        return List.of();
      }
    }
    Budget budget = new Budget(QUERY_STEPS);
    // Start the windows at the latest occurrence, not at `to`, which may lie after a long gap.
    x = latest(c, lowest, x, budget);
    if (x == SecondStream.NONE) {
      return List.of();
    }
    long width = saturatedProduct(c.nominalPeriod(), newest);
    ArrayDeque<Long> complete = new ArrayDeque<>();
    try {
      while (true) {
        long lower = x - lowest < width ? lowest : x - width + 1;
        SecondStream s = c.stream(budget);
        s.fastForward(lower);
        ArrayDeque<Long> found = new ArrayDeque<>();
        for (long p = s.peek(); p <= x; p = s.peek()) {
          found.addLast(p);
          if (found.size() > newest) {
            found.removeFirst();
          }
          s.next();
        }
        complete = found;
        if (found.size() >= newest || lower == lowest) {
          break;
        }
        width = grow(width);
      }
    } catch (Budget.Exhausted e) {
      // Keep the newest occurrences of the last window that was searched completely.
    }
    List<Instant> result = new ArrayList<>(complete.size());
    for (long p : complete) {
      result.add(c.instant(p));
    }
    return List.copyOf(result);
  }

  private static long grow(long width) {
    return saturatedProduct(width, 4);
  }

  private static long saturatedProduct(long a, long b) {
    return Math.multiplyHigh(a, b) != 0 || a * b < 0 ? Long.MAX_VALUE : a * b;
  }

  /**
   * Returns the last occurrence of a COUNT rule when it is at or before {@code x}, counting as far
   * as needed (and allowed) from where the last query stopped.
   *
   * @return the epoch second of the last occurrence (before the start when the rule has none), or
   *     {@link SecondStream#NONE} when the rule has no COUNT, or goes on after {@code x}, or has
   *     not been counted that far yet
   */
  private static long countEnd(Key key, CompiledRule c, long x) {
    if (c.rule.count().isEmpty()) {
      return SecondStream.NONE;
    }
    long count = c.rule.count().getAsInt();
    long period = c.plainPeriod();
    if (period > 0) {
      // Every period holds exactly one occurrence: no counting needed.
      long end =
          c.start + Math.min(count - 1, (CompiledRule.MAX_SECOND - c.start) / period) * period;
      return end <= x ? end : SecondStream.NONE;
    }
    Counted counted = COUNTED.get(key);
    if (counted == null) {
      counted = new Counted(c.start - 1, 0, false);
    }
    if (counted.complete()) {
      return counted.last() <= x ? counted.last() : SecondStream.NONE;
    }
    if (counted.last() >= x) {
      return SecondStream.NONE;
    }
    long last = counted.last();
    long seen = counted.seen();
    boolean complete = false;
    Budget budget = new Budget(COUNT_STEPS);
    try {
      SecondStream s = c.stream(budget);
      s.fastForward(last + 1);
      while (true) {
        long p = s.peek();
        if (p > c.last) {
          complete = true;
          break;
        }
        if (p > x) {
          break;
        }
        s.next();
        last = p;
        if (++seen == count) {
          complete = true;
          break;
        }
      }
    } catch (Budget.Exhausted e) {
      // Counted as far as allowed; the next query goes on from here.
    }
    COUNTED.put(key, new Counted(last, seen, complete));
    return complete && last <= x ? last : SecondStream.NONE;
  }

  /** A small, thread-safe, least recently used map. */
  private static final class Lru<V> {
    private final Map<Key, V> map;

    Lru(int size) {
      this.map =
          new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, V> eldest) {
              return size() > size;
            }
          };
    }

    synchronized V get(Key key) {
      return map.get(key);
    }

    synchronized void put(Key key, V value) {
      map.put(key, value);
    }

    synchronized V putIfAbsent(Key key, V value) {
      return map.putIfAbsent(key, value);
    }
  }
}
