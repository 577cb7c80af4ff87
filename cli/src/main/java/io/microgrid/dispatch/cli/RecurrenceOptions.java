package io.microgrid.dispatch.cli;

import io.microgrid.dispatch.shell.text.DispatchInputs;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.RecurrenceRule;
import java.time.DayOfWeek;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The recurrence options of {@code create} and {@code update}. The by-options are repeatable and
 * take comma lists ({@code --by-hour 8,20}); in {@code update}, an empty value ({@code
 * --by-hour=}) clears that list.
 */
final class RecurrenceOptions {
  @Option(
      names = {"-f", "--frequency"},
      paramLabel = "FREQ",
      converter = Inputs.FrequencyConverter.class,
      description = "Repeat MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY or YEARLY.")
  Frequency frequency;

  @Option(names = "--interval", paramLabel = "N",
      description = "Every N periods of the frequency (default 1).")
  Integer interval;

  @Option(names = "--count", paramLabel = "N", description = "End after N occurrences.")
  Integer count;

  @Option(names = "--until", paramLabel = "TIME", converter = Inputs.TimeConverter.class,
      description = "End at TIME (inclusive). Not with --count.")
  DispatchInputs.Time until;

  @Option(names = "--by-minute", paramLabel = "MINUTE", description = "Minutes of the hour, 0-59, e.g. 0,30.")
  List<String> byMinute = new ArrayList<>();

  @Option(names = "--by-hour", paramLabel = "HOUR", description = "Hours of the day, 0-23, e.g. 8,20.")
  List<String> byHour = new ArrayList<>();

  @Option(names = "--by-weekday", paramLabel = "DAY",
      description = "Days of the week, MON..SUN or MONDAY..SUNDAY, e.g. MON,FRI.")
  List<String> byWeekday = new ArrayList<>();

  @Option(names = "--by-monthday", paramLabel = "DAY",
      description = "Days of the month, 1..31, or -31..-1 from the month's end.")
  List<String> byMonthday = new ArrayList<>();

  @Option(names = "--by-month", paramLabel = "MONTH",
      description = {"Months, 1..12 or JAN..DEC.",
          "The by-options take comma lists and may be repeated; in update, an empty value "
              + "(--by-hour=) clears that list."})
  List<String> byMonth = new ArrayList<>();

  /** Returns whether any recurrence option was given. */
  boolean any() {
    return frequency != null || anyButFrequency();
  }

  private boolean anyButFrequency() {
    return interval != null
        || count != null
        || until != null
        || !byMinute.isEmpty()
        || !byHour.isEmpty()
        || !byWeekday.isEmpty()
        || !byMonthday.isEmpty()
        || !byMonth.isEmpty();
  }

  /** The rule for a new dispatch; {@code null} when no recurrence option was given. */
  RecurrenceRule rule(CommandLine cmd) {
    if (!any()) {
      return null;
    }
    if (frequency == null) {
      throw new ParameterException(cmd, "the recurrence options need --frequency");
    }
    return merge(null, cmd);
  }

  /**
   * The rule after applying the given options to {@code current} (or to a new rule when null):
   * what is not given stays as it is.
   */
  RecurrenceRule merge(RecurrenceRule current, CommandLine cmd) {
    if (count != null && until != null) {
      throw new ParameterException(cmd, "give --count or --until, not both");
    }
    if (current == null && frequency == null) {
      throw new ParameterException(
          cmd, "the dispatch does not repeat yet: give --frequency with the recurrence options");
    }
    try {
      RecurrenceRule.Builder b =
          RecurrenceRule.builder(frequency != null ? frequency : current.frequency());
      if (interval != null) {
        b.interval(interval);
      } else if (current != null) {
        b.interval(current.interval());
      }
      if (count != null) {
        b.count(count);
      } else if (until != null) {
        b.until(until.instant());
      } else if (current != null) {
        current.count().ifPresent(b::count);
        current.until().ifPresent(b::until);
      }
      b.byMinutes(
          pick(cmd, "--by-minute", byMinute, Integer::valueOf, current, RecurrenceRule::byMinutes)
              .toArray(Integer[]::new));
      b.byHours(
          pick(cmd, "--by-hour", byHour, Integer::valueOf, current, RecurrenceRule::byHours)
              .toArray(Integer[]::new));
      b.byWeekdays(
          pick(cmd, "--by-weekday", byWeekday, DispatchInputs::parseWeekday, current,
                  RecurrenceRule::byWeekdays)
              .toArray(DayOfWeek[]::new));
      b.byMonthDays(
          pick(cmd, "--by-monthday", byMonthday, Integer::valueOf, current,
                  RecurrenceRule::byMonthDays)
              .toArray(Integer[]::new));
      b.byMonths(
          pick(cmd, "--by-month", byMonth, DispatchInputs::parseMonth, current, RecurrenceRule::byMonths)
              .toArray(Integer[]::new));
      return b.build();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cmd, e.getMessage());
    }
  }

  private static <T> List<T> pick(
      CommandLine cmd,
      String option,
      List<String> given,
      Function<String, T> parse,
      RecurrenceRule current,
      Function<RecurrenceRule, List<T>> currentValues) {
    if (given.isEmpty()) {
      return current == null ? List.of() : currentValues.apply(current);
    }
    List<T> values = new ArrayList<>();
    for (String g : given) {
      for (String part : g.split(",")) {
        String p = part.trim();
        if (p.isEmpty()) {
          continue;
        }
        try {
          values.add(parse.apply(p));
        } catch (IllegalArgumentException e) {
          String why =
              e instanceof NumberFormatException ? "'" + p + "' is not a whole number" : e.getMessage();
          throw new ParameterException(cmd, "Invalid value for option '" + option + "': " + why);
        }
      }
    }
    return values;
  }
}
