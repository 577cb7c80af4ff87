package io.microgrid.dispatch.api.internal;

import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.RecurrenceRule;
import java.time.DayOfWeek;
import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import org.dmfs.rfc5545.recur.Freq;
import org.dmfs.rfc5545.recur.InvalidRecurrenceRuleException;
import org.dmfs.rfc5545.recur.RecurrenceRule.RfcMode;

/**
 * A dispatch's recurrence rule, ready to be evaluated with lib-recur the way python-dateutil's
 * {@code rrule} evaluates it, in UTC from the dispatch's start.
 *
 * <p>Occurrences are handled as whole epoch seconds (lib-recur's resolution); the start's fraction
 * of a second is added to every occurrence, so the first occurrence of a rule that matches its
 * start is the start itself. (dateutil drops the fraction: {@code dtstart.replace(microsecond=0)};
 * a dispatch must not run before its start time, so the fraction is kept.)
 *
 * <p>Not thread-safe: every query makes its own.
 *
 * <p>COUNT and UNTIL are never given to lib-recur: its COUNT cannot be fast-forwarded (it counts
 * every instance), so {@link Schedule} applies COUNT itself with a cached count; UNTIL is applied
 * here, to the instant with its fraction.
 */
final class CompiledRule {
  /** 0001-01-01T00:00:00Z: dateutil's {@code datetime.MINYEAR}. */
  static final long MIN_SECOND = Instant.parse("0001-01-01T00:00:00Z").getEpochSecond();

  /**
   * 9999-12-31T23:59:59Z: dateutil's {@code datetime.MAXYEAR}; it ends every rule there, and so
   * does this class. This also bounds every loop over periods.
   */
  static final long MAX_SECOND = Instant.parse("9999-12-31T23:59:59Z").getEpochSecond();

  private static final long MINUTE = 60L;
  private static final long HOUR = 3_600L;
  private static final long DAY = 86_400L;
  private static final List<Integer> ALL_MONTHS = List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);

  final RecurrenceRule rule;

  /** The start, epoch second. */
  final long start;

  /** The start's fraction of a second, added to every occurrence. */
  final int nanos;

  /** The last epoch second an occurrence may have: UNTIL (inclusive) or {@link #MAX_SECOND}. */
  final long last;

  private final Freq freq;
  private final int interval;
  private final boolean splitDays;

  // The lib-recur rules, parsed once per query. lib-recur's RecurrenceRule is not thread-safe
  // (iterator() writes to it), and neither is this class: each query compiles its own.
  // WEEKLY with month days: evaluated split, as the sub-daily rules with day filters are.
  private final boolean weeklyMonthDays;
  private org.dmfs.rfc5545.recur.RecurrenceRule full;
  private org.dmfs.rfc5545.recur.RecurrenceRule times;
  private org.dmfs.rfc5545.recur.RecurrenceRule days;

  /**
   * Checks a rule and its start.
   *
   * @throws IllegalArgumentException when the start is outside the years 1 to 9999
   */
  CompiledRule(RecurrenceRule rule, Instant start) {
    this.rule = rule;
    this.start = start.getEpochSecond();
    this.nanos = start.getNano();
    if (this.start < MIN_SECOND || this.start > MAX_SECOND) {
      throw new IllegalArgumentException("start time " + start + " is outside the years 1 to 9999");
    }
    this.last = Math.min(MAX_SECOND, rule.until().map(this::floorSecond).orElse(MAX_SECOND));
    this.freq = freq(rule.frequency());
    // lib-recur refuses INTERVAL=0; the API reads it as 1.
    this.interval = rule.effectiveInterval();
    this.weeklyMonthDays = freq == Freq.WEEKLY && !rule.byMonthDays().isEmpty();
    this.splitDays =
        weeklyMonthDays
            || (freq == Freq.MINUTELY || freq == Freq.HOURLY)
                && (!rule.byWeekdays().isEmpty()
                    || !rule.byMonthDays().isEmpty()
                    || !rule.byMonths().isEmpty());
  }

  private static Freq freq(Frequency f) {
    return switch (f) {
      case MINUTELY -> Freq.MINUTELY;
      case HOURLY -> Freq.HOURLY;
      case DAILY -> Freq.DAILY;
      case WEEKLY -> Freq.WEEKLY;
      case MONTHLY -> Freq.MONTHLY;
      case YEARLY -> Freq.YEARLY;
    };
  }

  /**
   * Whether the start is an occurrence whatever its date and time: true when the rule has no
   * by-lists, since the frequency and interval count from the start (RFC 5545, dateutil).
   */
  boolean startIsAnOccurrence() {
    return rule.byMinutes().isEmpty()
        && rule.byHours().isEmpty()
        && rule.byWeekdays().isEmpty()
        && rule.byMonthDays().isEmpty()
        && rule.byMonths().isEmpty();
  }

  /**
   * Returns the occurrences of the rule without COUNT and UNTIL, from the start on.
   *
   * @param budget the query's step budget
   * @return a new stream
   */
  SecondStream stream(Budget budget) {
    if (!splitDays) {
      if (full == null) {
        full = libRecurRule(freq, interval, timeParts() + dayParts());
      }
      return new LibRecurStream(full, start, fixedPeriod(), budget);
    }
    if (times == null) {
      // WEEKLY;BYMONTHDAY is not RFC 5545 (lib-recur refuses it) but dateutil evaluates it, and a
      // server may send it: every day (or every BYDAY day) of the interval's weeks, at the rule's
      // times, on the days the month days (and months) allow.
      times =
          libRecurRule(
              freq, interval, weeklyMonthDays ? timeParts() + weekdaysOrAll() : timeParts());
      days = libRecurRule(Freq.DAILY, 1, dayParts());
    }
    return new DayFilteredStream(
        new LibRecurStream(times, start, fixedPeriod(), budget),
        new LibRecurStream(days, Math.floorDiv(start, DAY) * DAY, DAY, budget),
        budget,
        last);
  }

  /**
   * Makes a lib-recur rule from its RFC 5545 text. The text is parsed rather than set part by part
   * because lib-recur's setters take some values in its internal form (BYMONTH counts months from 0
   * there), while its parser takes RFC 5545's.
   */
  private static org.dmfs.rfc5545.recur.RecurrenceRule libRecurRule(
      Freq freq, int interval, String parts) {
    String text = ruleText(freq, interval, parts);
    try {
      return new org.dmfs.rfc5545.recur.RecurrenceRule(text, RfcMode.RFC5545_STRICT);
    } catch (InvalidRecurrenceRuleException e) {
      throw new IllegalArgumentException("lib-recur refuses " + text + ": " + e.getMessage(), e);
    }
  }

  private static String ruleText(Freq freq, int interval, String parts) {
    // dateutil's default week start (calendar.firstweekday()) is Monday; lib-recur's too, but
    // WEEKLY with an interval depends on it, so it is stated.
    return "FREQ=" + freq.name() + ";INTERVAL=" + interval + ";WKST=MO" + parts;
  }

  private String weekdaysOrAll() {
    return rule.byWeekdays().isEmpty() ? ";BYDAY=MO,TU,WE,TH,FR,SA,SU" : byDayPart();
  }

  private String byDayPart() {
    StringBuilder s = new StringBuilder();
    if (!rule.byWeekdays().isEmpty()) {
      s.append(";BYDAY=");
      String sep = "";
      for (DayOfWeek d : new TreeSet<>(rule.byWeekdays())) {
        s.append(sep).append(d.name(), 0, 2);
        sep = ",";
      }
    }
    return s.toString();
  }

  private String timeParts() {
    return byPart("BYMINUTE", rule.byMinutes()) + byPart("BYHOUR", rule.byHours());
  }

  private String dayParts() {
    StringBuilder s = new StringBuilder(byDayPart());
    List<Integer> months = rule.byMonths();
    if (freq == Freq.YEARLY && months.isEmpty() && !rule.byMonthDays().isEmpty()) {
      // YEARLY;BYMONTHDAY=d means day d of every month (RFC 5545 and dateutil); lib-recur
      // expands it in the start's month only. Naming every month gives the same rule to both.
      months = ALL_MONTHS;
    }
    return s.append(byPart("BYMONTHDAY", rule.byMonthDays()))
        .append(byPart("BYMONTH", months))
        .toString();
  }

  private static String byPart(String name, List<Integer> values) {
    // An empty by-list means "not given" (semantics §1), never "matches nothing".
    if (values.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder(";").append(name).append('=');
    String sep = "";
    for (int v : new TreeSet<>(values)) {
      s.append(sep).append(v);
      sep = ",";
    }
    return s.toString();
  }

  /** The length of interval periods in seconds when it is fixed in UTC; else 0. */
  private long fixedPeriod() {
    return switch (freq) {
      case MINUTELY -> MINUTE * interval;
      case HOURLY -> HOUR * interval;
      case DAILY -> DAY * interval;
      case WEEKLY -> 7 * DAY * interval;
      default -> 0;
    };
  }

  /**
   * Returns the fixed period of a rule that yields exactly one occurrence per period (MINUTELY to
   * WEEKLY without by-lists: the start's time, or weekday and time, every interval), or 0.
   */
  long plainPeriod() {
    boolean plain =
        rule.byMinutes().isEmpty()
            && rule.byHours().isEmpty()
            && rule.byWeekdays().isEmpty()
            && rule.byMonthDays().isEmpty()
            && rule.byMonths().isEmpty();
    return plain ? fixedPeriod() : 0;
  }

  /**
   * Returns about how far apart occurrences are at least, to size the first window of a backwards
   * search: the interval times the frequency's period (a month counts 31 days, a year 366).
   */
  long nominalPeriod() {
    return switch (freq) {
      case MONTHLY -> 31 * DAY * interval;
      case YEARLY -> 366 * DAY * interval;
      default -> fixedPeriod();
    };
  }

  /** Returns the occurrence that lies on an epoch second of the grid. */
  Instant instant(long second) {
    return Instant.ofEpochSecond(second, nanos);
  }

  /** Returns the first grid second whose occurrence is at or after t. */
  long ceilSecond(Instant t) {
    return t.getNano() <= nanos ? t.getEpochSecond() : t.getEpochSecond() + 1;
  }

  /** Returns the last grid second whose occurrence is at or before t. */
  long floorSecond(Instant t) {
    return t.getNano() >= nanos ? t.getEpochSecond() : t.getEpochSecond() - 1;
  }
}
