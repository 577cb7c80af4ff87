package io.microgrid.dispatch.logging.internal;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.JsonValue;
import io.microgrid.dispatch.api.RunningStateChange;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Formats notifications as the contract's {@code dispatch-event} lines: the prefix, then one JSON
 * object with exactly the fields {@code kind}, {@code state}, {@code dispatch_id}, {@code
 * microgrid_id}, {@code type}, {@code at}, {@code notified_at}, {@code until}, {@code dry_run},
 * {@code payload} and {@code missed_runs}, in that order.
 *
 * <p>Instants are ISO-8601 in UTC with milliseconds ({@code 2026-11-23T10:00:00.000Z}). Every
 * character outside printable ASCII is written as a {@code \\uXXXX} escape, so a line reads the
 * same whatever the platform's output encoding, and a line never contains a line break.
 */
final class EventLines {
  /** What every line starts with, the space included. */
  static final String PREFIX = "dispatch-event ";

  private static final DateTimeFormatter INSTANT =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  private EventLines() {}

  /**
   * Formats a running-state change: kind {@code running}, the state, the instant of the
   * transition, the end of the current run when known, and the missed runs.
   *
   * @param change the change
   * @param notifiedAt the wall clock when the listener was called
   * @return the line, without a line terminator
   */
  static String running(RunningStateChange change, Instant notifiedAt) {
    return line(
        "running",
        change.state().name(),
        change.dispatch(),
        change.at(),
        notifiedAt,
        change.until(),
        change.missedRuns());
  }

  /**
   * Formats a lifecycle event: kind {@code created}, {@code updated} or {@code deleted}, state
   * null, {@code at} the time it was received (the same as {@code notified_at}), no until and no
   * missed runs.
   *
   * @param event the event
   * @param notifiedAt the wall clock when the listener was called
   * @return the line, without a line terminator
   */
  static String lifecycle(DispatchEvent event, Instant notifiedAt) {
    return line(
        kind(event), null, event.dispatch(), notifiedAt, notifiedAt, Optional.empty(), List.of());
  }

  /**
   * Formats an instant as the lines do.
   *
   * @param instant the instant
   * @return ISO-8601, UTC, milliseconds
   */
  static String instant(Instant instant) {
    return INSTANT.format(instant);
  }

  private static String kind(DispatchEvent event) {
    if (event instanceof DispatchEvent.Created) {
      return "created";
    }
    if (event instanceof DispatchEvent.Updated) {
      return "updated";
    }
    return "deleted";
  }

  private static String line(
      String kind,
      String state,
      Dispatch dispatch,
      Instant at,
      Instant notifiedAt,
      Optional<Instant> until,
      List<Instant> missedRuns) {
    StringBuilder json = new StringBuilder(256);
    json.append("{\"kind\":").append(string(kind));
    json.append(",\"state\":").append(state == null ? "null" : string(state));
    json.append(",\"dispatch_id\":").append(dispatch.id());
    json.append(",\"microgrid_id\":").append(dispatch.microgridId());
    json.append(",\"type\":").append(string(dispatch.type()));
    json.append(",\"at\":").append(string(instant(at)));
    json.append(",\"notified_at\":").append(string(instant(notifiedAt)));
    json.append(",\"until\":").append(until.map(u -> string(instant(u))).orElse("null"));
    json.append(",\"dry_run\":").append(dispatch.dryRun());
    json.append(",\"payload\":").append(dispatch.payload().toJson());
    json.append(",\"missed_runs\":[");
    for (int i = 0; i < missedRuns.size(); i++) {
      if (i > 0) {
        json.append(',');
      }
      json.append(string(instant(missedRuns.get(i))));
    }
    json.append("]}");
    return PREFIX + asciiOnly(json);
  }

  private static String string(String value) {
    return new JsonValue.JsonString(value).toJson();
  }

  /**
   * Escapes every character outside printable ASCII. Such characters can only occur inside JSON
   * strings (the structure is ASCII), where the escape means the same character.
   */
  private static String asciiOnly(CharSequence json) {
    StringBuilder out = new StringBuilder(json.length() + 16);
    for (int i = 0; i < json.length(); i++) {
      char c = json.charAt(i);
      if (c >= 0x20 && c < 0x7f) {
        out.append(c);
      } else {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      }
    }
    return out.toString();
  }
}
