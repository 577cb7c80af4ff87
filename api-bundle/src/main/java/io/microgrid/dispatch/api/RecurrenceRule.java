package io.microgrid.dispatch.api;

import java.time.DayOfWeek;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * When a dispatch repeats: the subset of RFC 5545 recurrence rules that the Dispatch API
 * supports, evaluated in UTC from the dispatch's start time.
 *
 * <p>An empty by-list means the rule does not constrain that field. The rule ends after
 * {@code count} occurrences, at {@code until} (inclusive), or never.
 *
 * @param frequency how often it repeats
 * @param interval every how many periods; 0 and 1 both mean every period
 * @param count the number of occurrences, when the rule ends by count
 * @param until the last instant an occurrence may have, when the rule ends by time
 * @param byMinutes minutes of the hour, 0..59
 * @param byHours hours of the day, 0..23
 * @param byWeekdays days of the week
 * @param byMonthDays days of the month, 1..31, or -31..-1 counting from the month's end; with
 *     WEEKLY (which RFC 5545 does not allow and the server refuses on create) the days of the
 *     interval's weeks that fall on these month days, as python-dateutil evaluates it, so that
 *     such a dispatch sent by a server is still scheduled
 * @param byMonths months of the year, 1..12
 */
public record RecurrenceRule(
    Frequency frequency,
    int interval,
    OptionalInt count,
    Optional<Instant> until,
    List<Integer> byMinutes,
    List<Integer> byHours,
    List<DayOfWeek> byWeekdays,
    List<Integer> byMonthDays,
    List<Integer> byMonths) {

  /**
   * Checks every field and copies the lists.
   *
   * @throws IllegalArgumentException naming the first field that is out of range
   */
  public RecurrenceRule {
    Objects.requireNonNull(frequency, "recurrence.frequency");
    Objects.requireNonNull(count, "recurrence.count");
    Objects.requireNonNull(until, "recurrence.until");
    if (interval < 0) {
      throw new IllegalArgumentException("recurrence.interval must be >= 0, got " + interval);
    }
    if (count.isPresent() && until.isPresent()) {
      throw new IllegalArgumentException("recurrence: give count or until, not both");
    }
    if (count.isPresent() && count.getAsInt() < 1) {
      throw new IllegalArgumentException("recurrence.count must be >= 1, got " + count.getAsInt());
    }
    byMinutes = checkRange("recurrence.byMinutes", byMinutes, 0, 59);
    byHours = checkRange("recurrence.byHours", byHours, 0, 23);
    byWeekdays = List.copyOf(byWeekdays);
    byMonthDays = checkRange("recurrence.byMonthDays", byMonthDays, -31, 31);
    if (byMonthDays.contains(0)) {
      throw new IllegalArgumentException("recurrence.byMonthDays: 0 is not a day of the month");
    }
    byMonths = checkRange("recurrence.byMonths", byMonths, 1, 12);
  }

  private static List<Integer> checkRange(String field, List<Integer> values, int min, int max) {
    List<Integer> copy = List.copyOf(values);
    for (int v : copy) {
      if (v < min || v > max) {
        throw new IllegalArgumentException(
            field + " must be between " + min + " and " + max + ", got " + v);
      }
    }
    return copy;
  }

  /**
   * Starts a rule of the given frequency.
   *
   * @param frequency how often it repeats
   * @return a builder
   */
  public static Builder builder(Frequency frequency) {
    return new Builder(frequency);
  }

  /**
   * Returns the interval as a period count, with 0 read as 1.
   *
   * @return the effective interval, at least 1
   */
  public int effectiveInterval() {
    return Math.max(1, interval);
  }

  /** Builds a {@link RecurrenceRule}; the rule is checked by {@link #build()}. */
  public static final class Builder {
    private final Frequency frequency;
    private int interval = 1;
    private OptionalInt count = OptionalInt.empty();
    private Optional<Instant> until = Optional.empty();
    private List<Integer> byMinutes = List.of();
    private List<Integer> byHours = List.of();
    private List<DayOfWeek> byWeekdays = List.of();
    private List<Integer> byMonthDays = List.of();
    private List<Integer> byMonths = List.of();

    private Builder(Frequency frequency) {
      this.frequency = frequency;
    }

    /**
     * Sets the interval.
     *
     * @param interval every how many periods
     * @return this builder
     */
    public Builder interval(int interval) {
      this.interval = interval;
      return this;
    }

    /**
     * Ends the rule after a number of occurrences.
     *
     * @param count the number of occurrences
     * @return this builder
     */
    public Builder count(int count) {
      this.count = OptionalInt.of(count);
      this.until = Optional.empty();
      return this;
    }

    /**
     * Ends the rule at an instant (inclusive).
     *
     * @param until the last instant an occurrence may have
     * @return this builder
     */
    public Builder until(Instant until) {
      this.until = Optional.of(until);
      this.count = OptionalInt.empty();
      return this;
    }

    /**
     * Sets the minutes of the hour.
     *
     * @param minutes 0..59
     * @return this builder
     */
    public Builder byMinutes(Integer... minutes) {
      this.byMinutes = List.of(minutes);
      return this;
    }

    /**
     * Sets the hours of the day.
     *
     * @param hours 0..23
     * @return this builder
     */
    public Builder byHours(Integer... hours) {
      this.byHours = List.of(hours);
      return this;
    }

    /**
     * Sets the days of the week.
     *
     * @param weekdays the days
     * @return this builder
     */
    public Builder byWeekdays(DayOfWeek... weekdays) {
      this.byWeekdays = List.of(weekdays);
      return this;
    }

    /**
     * Sets the days of the month.
     *
     * @param days 1..31 or -31..-1
     * @return this builder
     */
    public Builder byMonthDays(Integer... days) {
      this.byMonthDays = List.of(days);
      return this;
    }

    /**
     * Sets the months of the year.
     *
     * @param months 1..12
     * @return this builder
     */
    public Builder byMonths(Integer... months) {
      this.byMonths = List.of(months);
      return this;
    }

    /**
     * Builds the rule.
     *
     * @return the rule
     * @throws IllegalArgumentException naming the field that is out of range
     */
    public RecurrenceRule build() {
      return new RecurrenceRule(
          frequency, interval, count, until, byMinutes, byHours, byWeekdays, byMonthDays, byMonths);
    }
  }
}
