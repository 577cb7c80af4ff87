package io.microgrid.dispatch.api.internal;

import org.dmfs.rfc5545.DateTime;
import org.dmfs.rfc5545.recur.RecurrenceRule;
import org.dmfs.rfc5545.recur.RecurrenceRuleIterator;

/**
 * The occurrences of one lib-recur rule from a start, with a fast forward that does not walk the
 * rule's periods one by one from the start.
 *
 * <p>lib-recur's own {@code fastForward} steps through every period between its position and the
 * target (only YEARLY jumps), so fast-forwarding a MINUTELY rule that started years ago costs
 * hundreds of thousands of steps. Where the periods have a fixed length in UTC (MINUTELY, HOURLY,
 * DAILY, WEEKLY) this stream instead restarts the rule at a later start on the same grid, {@code
 * start + k * period}: a rule restarted there yields exactly the original occurrences from that
 * instant on, because every field that the rule takes from its start (second, minute, hour,
 * weekday) is the same there, and so are the phase of the interval and the week. MONTHLY and YEARLY
 * keep lib-recur's fast forward, which is cheap for them (at most 12 steps a year).
 */
final class LibRecurStream implements SecondStream {
  /** A jump over more periods than this restarts the rule rather than stepping. */
  private static final long RESTART_AFTER_PERIODS = 64;

  private final RecurrenceRule rule;
  private final long start;
  private final long period;
  private final Budget budget;
  private RecurrenceRuleIterator iterator;

  /**
   * @param rule the lib-recur rule, without COUNT or UNTIL; only this stream uses it
   * @param start the rule's start (DTSTART), epoch second
   * @param period the fixed length of the rule's period times its interval, in seconds, or 0 when
   *     the periods vary (MONTHLY, YEARLY)
   * @param budget the query's step budget
   */
  LibRecurStream(RecurrenceRule rule, long start, long period, Budget budget) {
    this.rule = rule;
    this.start = start;
    this.period = period;
    this.budget = budget;
  }

  private void open(long origin) {
    budget.step();
    iterator = rule.iterator(new DateTime(DateTime.UTC, Math.multiplyExact(origin, 1000L)));
  }

  @Override
  public long peek() {
    if (iterator == null) {
      open(start);
    }
    return iterator.hasNext() ? Math.floorDiv(iterator.peekMillis(), 1000L) : NONE;
  }

  @Override
  public void next() {
    budget.step();
    iterator.nextMillis();
  }

  @Override
  public void fastForward(long second) {
    if (iterator == null && second <= start) {
      open(start);
      return;
    }
    long at = iterator == null ? start : peek();
    if (second <= at) {
      return;
    }
    if (period > 0 && (iterator == null || (second - at) / period > RESTART_AFTER_PERIODS)) {
      open(start + Math.floorDiv(second - start, period) * period);
    } else if (iterator == null) {
      open(start);
    }
    budget.step();
    iterator.fastForward(Math.multiplyExact(second, 1000L));
  }
}
