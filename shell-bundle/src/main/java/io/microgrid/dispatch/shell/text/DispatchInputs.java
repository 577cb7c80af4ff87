package io.microgrid.dispatch.shell.text;

import io.microgrid.dispatch.api.ComponentCategory;
import io.microgrid.dispatch.api.ComponentType;
import io.microgrid.dispatch.api.DispatchQuery.SortField;
import io.microgrid.dispatch.api.DispatchQuery.SortOrder;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.TargetComponents;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parsing of everything a user types: times, durations, targets, id ranges, payloads, recurrence
 * values. Shared by the Gogo commands of this bundle and by {@code dispatch-cli}, so both accept
 * exactly the same text. Each parser throws {@link IllegalArgumentException} with a message that
 * says what was expected.
 */
public final class DispatchInputs {
  /** The most ids one {@code delete} accepts, so a typo like {@code 1-100000000} does no harm. */
  public static final int MAX_IDS = 10_000;

  public static final String TIME_HELP =
      "ISO-8601 (2026-12-01T08:00:00Z; without a zone: UTC) or relative: now, in 10 minutes, "
          + "+10m, 2 hours ago, -1d";
  public static final String DURATION_HELP = "15m, 1h30m, 90s, 2 hours, or plain seconds";

  private static final Pattern DURATION_PART =
      Pattern.compile("(\\d+)\\s*([a-z]+)\\s*(?:,|and)?\\s*");
  private static final Pattern ID_RANGE = Pattern.compile("(\\d+)\\s*(?:-|\\.\\.)\\s*(\\d+)");
  private static final Pattern SPACE_BETWEEN_DATE_AND_TIME =
      Pattern.compile("^(\\d{4}-\\d{2}-\\d{2}) (\\d{2}:.*)$");

  private DispatchInputs() {}

  /**
   * A parsed time: the instant, and whether the user said "now" (a dispatch created to start now
   * is sent without a start time, so the client stamps it when it sends).
   *
   * @param instant the instant
   * @param now whether the text was {@code now}
   */
  public record Time(Instant instant, boolean now) {}

  public static Time parseTime(String text, Instant now) {
    String t = text.trim().toLowerCase(Locale.ROOT).replaceAll("\\s+", " ");
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty time; expected " + TIME_HELP);
    }
    Instant base = now.truncatedTo(ChronoUnit.SECONDS);
    if (t.equals("now")) {
      return new Time(base, true);
    }
    try {
      if (t.startsWith("+")) {
        return new Time(base.plus(parseDuration(t.substring(1))), false);
      }
      if (t.startsWith("-") && t.length() > 1 && Character.isDigit(t.charAt(1))) {
        return new Time(base.minus(parseDuration(t.substring(1))), false);
      }
      if (t.startsWith("in ")) {
        return new Time(base.plus(parseDuration(t.substring(3))), false);
      }
      if (t.endsWith(" ago")) {
        return new Time(base.minus(parseDuration(t.substring(0, t.length() - 4))), false);
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a time: " + e.getMessage() + "; expected " + TIME_HELP);
    }
    String iso = SPACE_BETWEEN_DATE_AND_TIME.matcher(text.trim()).replaceFirst("$1T$2");
    try {
      return new Time(OffsetDateTime.parse(iso).toInstant(), false);
    } catch (DateTimeParseException e) {
      // next form
    }
    try {
      return new Time(ZonedDateTime.parse(iso).toInstant(), false);
    } catch (DateTimeParseException e) {
      // next form
    }
    try {
      return new Time(LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC), false);
    } catch (DateTimeParseException e) {
      // next form
    }
    try {
      return new Time(LocalDate.parse(iso).atStartOfDay(ZoneOffset.UTC).toInstant(), false);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + text + "' is not a time; expected " + TIME_HELP);
    }
  }

  public static Duration parseDuration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    if (t.isEmpty()) {
      throw new IllegalArgumentException("empty duration; expected " + DURATION_HELP);
    }
    if (t.chars().allMatch(Character::isDigit)) {
      return seconds(text, t);
    }
    if (t.startsWith("p")) {
      try {
        Duration d = Duration.parse(t.toUpperCase(Locale.ROOT));
        if (d.isNegative() || d.getNano() != 0) {
          throw new IllegalArgumentException(
              "duration '" + text + "' must be whole, non-negative seconds");
        }
        return d;
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a duration; expected " + DURATION_HELP);
      }
    }
    Matcher m = DURATION_PART.matcher(t);
    Duration total = Duration.ZERO;
    int at = 0;
    while (at < t.length()) {
      if (!m.find(at) || m.start() != at) {
        throw new IllegalArgumentException(
            "'" + text + "' is not a duration; expected " + DURATION_HELP);
      }
      long n;
      try {
        n = Long.parseLong(m.group(1));
        total = total.plusSeconds(Math.multiplyExact(n, unitSeconds(text, m.group(2))));
      } catch (NumberFormatException | ArithmeticException e) {
        throw new IllegalArgumentException("duration '" + text + "' is too long");
      }
      at = m.end();
    }
    return total;
  }

  private static Duration seconds(String text, String digits) {
    try {
      return Duration.ofSeconds(Long.parseLong(digits));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("duration '" + text + "' is too long");
    }
  }

  private static long unitSeconds(String text, String unit) {
    return switch (unit) {
      case "s", "sec", "secs", "second", "seconds" -> 1;
      case "m", "min", "mins", "minute", "minutes" -> 60;
      case "h", "hr", "hrs", "hour", "hours" -> 3600;
      case "d", "day", "days" -> 86_400;
      case "w", "week", "weeks" -> 7 * 86_400;
      default -> throw new IllegalArgumentException(
          "'" + text + "': unknown unit '" + unit + "' (use s, m, h, d or w)");
    };
  }

  /** Formats a duration compactly: {@code 1h30m}, {@code 15m}, {@code 0s}. */
  public static String formatDuration(Duration d) {
    long s = d.getSeconds();
    if (s == 0) {
      return "0s";
    }
    StringBuilder out = new StringBuilder();
    long days = s / 86_400;
    long hours = s % 86_400 / 3600;
    long minutes = s % 3600 / 60;
    long seconds = s % 60;
    if (days > 0) {
      out.append(days).append('d');
    }
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (minutes > 0) {
      out.append(minutes).append('m');
    }
    if (seconds > 0) {
      out.append(seconds).append('s');
    }
    return out.toString();
  }

  public static long parsePositiveId(String text, String what) {
    try {
      long id = Long.parseLong(text.trim());
      if (id > 0) {
        return id;
      }
    } catch (NumberFormatException e) {
      // below
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a " + what + " (a whole number > 0)");
  }

  /** Parses {@code 1,2,5-7} or {@code 1..3} into ids, in the given order. */
  public static List<Long> parseIdRanges(String text) {
    List<Long> ids = new ArrayList<>();
    for (String part : text.split(",", -1)) {
      String p = part.trim();
      if (p.isEmpty()) {
        throw new IllegalArgumentException(
            "'" + text + "' has an empty element; expected ids and ranges like 1,2,5-7");
      }
      Matcher range = ID_RANGE.matcher(p);
      if (range.matches()) {
        long from = parsePositiveId(range.group(1), "dispatch id");
        long to = parsePositiveId(range.group(2), "dispatch id");
        if (to < from) {
          throw new IllegalArgumentException(
              "range '" + p + "' ends before it starts; write " + to + "-" + from);
        }
        if (to - from >= MAX_IDS) {
          throw new IllegalArgumentException(
              "range '" + p + "' has " + (to - from + 1) + " ids; at most " + MAX_IDS
                  + " at once");
        }
        for (long id = from; id <= to; id++) {
          ids.add(id);
        }
      } else {
        ids.add(parsePositiveId(p, "dispatch id or range (like 5-7)"));
      }
    }
    return ids;
  }

  /**
   * Parses the id arguments of a delete, each like {@link #parseIdRanges}: {@code 1 4-6 8..9
   * 10,12}. An id given twice is deleted once, so the second try cannot report a "not found" that
   * the user did not cause.
   *
   * @param args the arguments, at least one
   * @return the distinct ids in the order first given, at most {@link #MAX_IDS}
   * @throws IllegalArgumentException for no argument, a malformed one, or too many ids
   */
  public static List<Long> parseIdArguments(List<String> args) {
    if (args == null || args.isEmpty()) {
      throw new IllegalArgumentException("give at least one dispatch id, like 5, 1,2 or 5-7");
    }
    Set<Long> ids = new LinkedHashSet<>();
    for (String arg : args) {
      ids.addAll(parseIdRanges(arg));
      if (ids.size() > MAX_IDS) {
        throw new IllegalArgumentException(
            "more than " + MAX_IDS + " ids at once; split them over several commands");
      }
    }
    return List.copyOf(ids);
  }

  /**
   * Parses {@code 1,2,3} (component ids) or {@code BATTERY,INVERTER} (categories), a category
   * optionally narrowed to a subtype after a colon: {@code BATTERY:LI_ION,INVERTER:PV,EV_CHARGER:DC}.
   */
  public static TargetComponents parseTarget(String text) {
    String[] parts = text.split(",", -1);
    List<Long> ids = new ArrayList<>();
    List<ComponentCategory> categories = new ArrayList<>();
    List<ComponentType> types = new ArrayList<>();
    for (String part : parts) {
      String p = part.trim();
      if (p.isEmpty()) {
        throw new IllegalArgumentException(
            "target '" + text + "' has an empty element; expected component ids like 1,2,3 "
                + "or categories like BATTERY,INVERTER");
      }
      if (p.chars().allMatch(Character::isDigit)) {
        try {
          ids.add(Long.parseLong(p));
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("component id '" + p + "' is too large");
        }
      } else if (p.contains(":")) {
        int colon = p.indexOf(':');
        ComponentCategory category = parseCategory(p.substring(0, colon).trim());
        types.add(parseType(category, p.substring(colon + 1).trim(), p));
      } else {
        categories.add(parseCategory(p));
      }
    }
    if (!ids.isEmpty() && !(categories.isEmpty() && types.isEmpty())) {
      throw new IllegalArgumentException(
          "target '" + text + "' mixes component ids and categories; give one kind");
    }
    return ids.isEmpty()
        ? new TargetComponents.Categories(categories, types)
        : new TargetComponents.Ids(ids);
  }

  private static ComponentType parseType(ComponentCategory category, String name, String element) {
    if (!ComponentType.hasTypes(category)) {
      throw new IllegalArgumentException(
          "'" + element + "': " + category.name()
              + " has no subtypes; only BATTERY, INVERTER and EV_CHARGER have");
    }
    String upper = name.toUpperCase(Locale.ROOT).replace('-', '_');
    ComponentType type;
    try {
      type = ComponentType.parse(category, upper);
    } catch (IllegalArgumentException e) {
      type = null;
    }
    // As for categories: a number is taken as it is (TYPE_<n>), a name must be known.
    if (type == null || !(type.isKnown() || upper.matches("TYPE_\\d+")) || type.number() == 0) {
      throw new IllegalArgumentException(
          "'" + element + "' names no " + category.name() + " subtype; subtypes: "
              + String.join(", ", typeNames(category)));
    }
    return type;
  }

  /** The subtype names of a category, as typed after its name: {@code LI_ION}. */
  public static List<String> typeNames(ComponentCategory category) {
    List<String> names = new ArrayList<>();
    for (int n = 1; n < 16; n++) {
      ComponentType t = new ComponentType(category, n);
      if (t.isKnown()) {
        names.add(t.name());
      }
    }
    return names;
  }

  private static ComponentCategory parseCategory(String name) {
    String upper = name.toUpperCase(Locale.ROOT).replace('-', '_');
    if (upper.matches("CATEGORY_\\d+")) {
      return ComponentCategory.parse(upper);
    }
    ComponentCategory c;
    try {
      c = ComponentCategory.parse(upper);
    } catch (IllegalArgumentException e) {
      c = null;
    }
    if (c == null || !c.isKnown() || c.equals(ComponentCategory.UNSPECIFIED)) {
      throw new IllegalArgumentException(
          "'" + name + "' is neither a component id nor a category; categories: "
              + String.join(", ", categoryNames()));
    }
    return c;
  }

  public static List<String> categoryNames() {
    List<String> names = new ArrayList<>();
    for (int n = 1; n < 64; n++) {
      ComponentCategory c = new ComponentCategory(n);
      if (c.isKnown()) {
        names.add(c.name());
      }
    }
    return names;
  }

  /**
   * Parses a JSON object (strictly, RFC 8259: no comments, no single quotes, no trailing text)
   * into a payload within the API's limits.
   *
   * @param text the JSON text
   * @return the payload
   * @throws IllegalArgumentException with a message starting with {@code payload}
   */
  public static Payload parsePayload(String text) {
    Object root;
    try {
      root = StrictJson.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("payload is not valid JSON: " + e.getMessage());
    }
    if (!(root instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(
          "payload must be a JSON object like {\"power_w\": 5000}");
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> fields = (Map<String, ?>) root;
    Payload payload = Payload.of(fields);
    payload.checkLimits("payload");
    return payload;
  }

  public static Frequency parseFrequency(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    for (Frequency f : Frequency.values()) {
      if (f.name().equals(t)) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a frequency; one of MINUTELY, HOURLY, DAILY, WEEKLY, MONTHLY, YEARLY");
  }

  public static DayOfWeek parseWeekday(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    for (DayOfWeek d : DayOfWeek.values()) {
      if (d.name().equals(t) || (t.length() >= 2 && d.name().startsWith(t) && t.length() <= 3)) {
        return d;
      }
    }
    throw new IllegalArgumentException(
        "'" + text + "' is not a weekday; use MONDAY..SUNDAY or MON..SUN");
  }

  public static int parseMonth(String text) {
    String t = text.trim().toUpperCase(Locale.ROOT);
    if (t.chars().allMatch(Character::isDigit) && !t.isEmpty() && t.length() <= 2) {
      int n = Integer.parseInt(t);
      if (n >= 1 && n <= 12) {
        return n;
      }
    }
    for (Month m : Month.values()) {
      if (m.name().equals(t) || (t.length() == 3 && m.name().startsWith(t))) {
        return m.getValue();
      }
    }
    throw new IllegalArgumentException("'" + text + "' is not a month; use 1..12 or JAN..DEC");
  }

  public static SortField parseSortField(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT).replace('_', '-')) {
      case "start", "start-time" -> SortField.START_TIME;
      case "create", "create-time", "created" -> SortField.CREATE_TIME;
      case "update", "update-time", "last-update-time", "updated" -> SortField.LAST_UPDATE_TIME;
      default -> throw new IllegalArgumentException(
          "'" + text + "' is not a sort field; one of start-time, create-time, update-time");
    };
  }

  public static SortOrder parseSortOrder(String text) {
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "asc", "ascending" -> SortOrder.ASCENDING;
      case "desc", "descending" -> SortOrder.DESCENDING;
      default -> throw new IllegalArgumentException("'" + text + "' is not an order; asc or desc");
    };
  }
}
