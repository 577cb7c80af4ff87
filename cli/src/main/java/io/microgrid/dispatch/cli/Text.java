package io.microgrid.dispatch.cli;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.shell.text.DispatchText;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;

/**
 * The human-readable output: the shell bundle's {@link DispatchText}, which the Gogo commands
 * print with too, so both read the same.
 */
final class Text {
  private Text() {}

  static String time(Instant i) {
    return DispatchText.time(i);
  }

  static String duration(Dispatch d) {
    return DispatchText.duration(d);
  }

  static String target(TargetComponents t) {
    return DispatchText.target(t);
  }

  static String yesNo(boolean b) {
    return DispatchText.yesNo(b);
  }

  static String recurrence(Dispatch d) {
    return DispatchText.recurrence(d);
  }

  static String recurrence(RecurrenceRule r) {
    return DispatchText.recurrence(r);
  }

  static void block(PrintWriter out, Dispatch d) {
    DispatchText.block(out, d);
  }

  static void table(PrintWriter out, List<Dispatch> dispatches) {
    DispatchText.table(out, dispatches);
  }

  static String eventName(DispatchEvent e) {
    return DispatchText.eventName(e);
  }

  static String eventLine(DispatchEvent e) {
    return DispatchText.eventLine(e);
  }
}
