package io.microgrid.dispatch.api.internal;

/**
 * The occurrences of a MINUTELY or HOURLY rule that also has day filters (BYDAY, BYMONTHDAY,
 * BYMONTH), as the occurrences of the rule without them ({@code times}) on the days that a DAILY
 * rule with only the day filters yields ({@code days}).
 *
 * <p>Why: lib-recur gives up on a rule ("too many empty recurrence sets") after 4320 periods in a
 * row without an occurrence, which is three days for MINUTELY and 180 days for HOURLY, so it cannot
 * evaluate "every minute on Mondays" or "every hour in June", which dateutil evaluates. For
 * sub-daily frequencies the day filters only filter (they never expand), so this split yields the
 * same occurrences, and it jumps over the days without a match with lib-recur's fast forward. The
 * DAILY rule still gives up after 4320 days (almost twelve years) without a matching day.
 *
 * <p>The times of a rule whose interval is not a divisor of a day move from day to day, and may
 * never fall on a matching day (HOURLY;INTERVAL=7 falls on the same hours of the same weekdays
 * every week). Like lib-recur, this stream gives up, with an IllegalArgumentException, after
 * {@value #MAX_MISSED_DAYS} matching days in a row without an occurrence. It yields nothing after
 * {@code limit}, the rule's UNTIL, and does not search on past it.
 */
final class DayFilteredStream implements SecondStream {
  private static final long DAY = 86_400L;

  /** Matching days in a row without an occurrence after which the rule counts as failed. */
  static final int MAX_MISSED_DAYS = 500;

  private final SecondStream times;
  private final SecondStream days;
  private final Budget budget;
  private final long limit;
  private long matchingDay = Long.MIN_VALUE;

  /**
   * @param times the rule without its day filters
   * @param days a DAILY rule with only the day filters, started at midnight of the start's day
   * @param budget the query's step budget
   * @param limit the last epoch second an occurrence may have
   */
  DayFilteredStream(SecondStream times, SecondStream days, Budget budget, long limit) {
    this.times = times;
    this.days = days;
    this.budget = budget;
    this.limit = limit;
  }

  @Override
  public long peek() {
    int missed = 0;
    while (true) {
      long t = times.peek();
      if (t > limit) {
        return NONE;
      }
      long day = Math.floorDiv(t, DAY) * DAY;
      if (day == matchingDay) {
        return t;
      }
      days.fastForward(day);
      long match = days.peek();
      if (match == NONE) {
        return NONE;
      }
      if (match == day) {
        matchingDay = day;
        return t;
      }
      if (++missed > MAX_MISSED_DAYS) {
        throw new IllegalArgumentException(
            "no occurrence on " + MAX_MISSED_DAYS + " matching days in a row");
      }
      budget.step();
      times.fastForward(match);
    }
  }

  @Override
  public void next() {
    times.next();
  }

  @Override
  public void fastForward(long second) {
    times.fastForward(second);
  }
}
