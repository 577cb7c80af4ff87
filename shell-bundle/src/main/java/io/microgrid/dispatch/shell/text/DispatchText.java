package io.microgrid.dispatch.shell.text;

import io.microgrid.dispatch.api.ComponentCategory;
import io.microgrid.dispatch.api.ComponentType;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.TargetComponents;
import java.io.PrintWriter;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The human-readable output of dispatches, shared by the Gogo commands and {@code dispatch-cli}: a
 * compact table for lists, key: value blocks for single dispatches, one line per event.
 */
public final class DispatchText {
  private static final String[] HEADER = {
    "ID", "TYPE", "START", "DURATION", "TARGET", "ACTIVE", "DRY-RUN", "RECURRENCE"
  };

  private DispatchText() {}

  public static String time(Instant i) {
    return DateTimeFormatter.ISO_INSTANT.format(i);
  }

  public static String duration(Dispatch d) {
    return d.duration().map(DispatchInputs::formatDuration).orElse("infinite");
  }

  /**
   * The target as the user would type it: {@code 1,2,3} or {@code BATTERY,INVERTER}, subtypes
   * after their category's name ({@code STEAM_BOILER,BATTERY:LI_ION}).
   */
  public static String target(TargetComponents t) {
    if (t instanceof TargetComponents.Ids ids) {
      return ids.ids().stream().map(String::valueOf).collect(Collectors.joining(","));
    }
    TargetComponents.Categories c = (TargetComponents.Categories) t;
    return java.util.stream.Stream.concat(
            c.categories().stream().map(ComponentCategory::name),
            c.types().stream().map(ComponentType::toString))
        .collect(Collectors.joining(","));
  }

  public static String yesNo(boolean b) {
    return b ? "yes" : "no";
  }

  public static String recurrence(Dispatch d) {
    return d.recurrence().map(DispatchText::recurrence).orElse("none");
  }

  public static String recurrence(RecurrenceRule r) {
    StringBuilder s = new StringBuilder("every ");
    int n = r.effectiveInterval();
    String unit = unit(r.frequency());
    s.append(n == 1 ? unit : n + " " + unit + "s");
    r.count().ifPresent(c -> s.append(", ").append(c).append(c == 1 ? " time" : " times"));
    r.until().ifPresent(u -> s.append(", until ").append(time(u)));
    by(s, "minutes", r.byMinutes());
    by(s, "hours", r.byHours());
    by(
        s,
        "weekdays",
        r.byWeekdays().stream().map(DayOfWeek::name).map(x -> x.substring(0, 3)).toList());
    by(s, "month days", r.byMonthDays());
    by(s, "months", r.byMonths());
    return s.toString();
  }

  private static String unit(Frequency f) {
    return switch (f) {
      case MINUTELY -> "minute";
      case HOURLY -> "hour";
      case DAILY -> "day";
      case WEEKLY -> "week";
      case MONTHLY -> "month";
      case YEARLY -> "year";
    };
  }

  private static void by(StringBuilder s, String name, List<?> values) {
    if (!values.isEmpty()) {
      s.append(", ").append(name).append(' ');
      s.append(values.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }
  }

  /** Prints one dispatch as {@code key: value} lines. */
  public static void block(PrintWriter out, Dispatch d) {
    out.println("Dispatch " + d.id());
    line(out, "microgrid", String.valueOf(d.microgridId()));
    line(out, "type", d.type());
    line(out, "start", time(d.startTime()));
    line(out, "duration", duration(d));
    line(
        out,
        "target",
        (d.target() instanceof TargetComponents.Ids ? "components " : "categories ")
            + target(d.target()));
    line(out, "active", yesNo(d.active()));
    line(out, "dry run", yesNo(d.dryRun()));
    line(out, "payload", d.payload().isEmpty() ? "{}" : d.payload().toJson());
    line(out, "recurrence", recurrence(d));
    line(out, "created", time(d.createTime()));
    line(out, "updated", time(d.updateTime()));
    line(out, "ends", d.endTime().map(DispatchText::time).orElse("never"));
  }

  private static void line(PrintWriter out, String key, String value) {
    out.printf(Locale.ROOT, "  %-11s %s%n", key + ":", value);
  }

  /** Prints dispatches as a table with a header. */
  public static void table(PrintWriter out, List<Dispatch> dispatches) {
    List<String[]> rows = new ArrayList<>();
    rows.add(HEADER);
    for (Dispatch d : dispatches) {
      rows.add(
          new String[] {
            String.valueOf(d.id()),
            d.type(),
            time(d.startTime()),
            duration(d),
            target(d.target()),
            yesNo(d.active()),
            yesNo(d.dryRun()),
            recurrence(d)
          });
    }
    int[] width = new int[HEADER.length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        width[i] = Math.max(width[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder s = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        s.append(row[i]);
        if (i < row.length - 1) {
          s.append(" ".repeat(width[i] - row[i].length() + 2));
        }
      }
      out.println(s);
    }
  }

  public static String eventName(DispatchEvent e) {
    if (e instanceof DispatchEvent.Created) {
      return "created";
    }
    return e instanceof DispatchEvent.Updated ? "updated" : "deleted";
  }

  /** One line per stream event. */
  public static String eventLine(DispatchEvent e) {
    Dispatch d = e.dispatch();
    return eventName(e)
        + " id="
        + d.id()
        + " type="
        + d.type()
        + " start="
        + time(d.startTime())
        + " duration="
        + duration(d)
        + " target="
        + target(d.target())
        + " active="
        + yesNo(d.active())
        + " dry-run="
        + yesNo(d.dryRun())
        + " recurrence="
        + (d.recurrence().isPresent() ? "\"" + recurrence(d) + "\"" : "none")
        + " payload="
        + d.payload().toJson();
  }

  /** One line per running-state change: {@code RUNNING dispatch 7 type=DEMO ...}. */
  public static String runningStateLine(RunningStateChange c) {
    Dispatch d = c.dispatch();
    return time(c.at())
        + " "
        + c.state()
        + " dispatch "
        + d.id()
        + " microgrid="
        + d.microgridId()
        + " type="
        + d.type()
        + " target="
        + target(d.target())
        + " until="
        + c.until().map(DispatchText::time).orElse("-")
        + (d.dryRun() ? " dry-run" : "")
        + (c.missedRuns().isEmpty() ? "" : " missed=" + c.missedRuns().size())
        + " payload="
        + d.payload().toJson();
  }
}
