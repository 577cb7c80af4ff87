package io.microgrid.dispatch.cli;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.JsonValue;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.shell.text.DispatchText;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code --json} output: a small writer over the API types. Field names are snake_case like
 * the Dispatch API's; instants are ISO-8601 UTC; durations are whole seconds ({@code null} for
 * infinite); absent values are {@code null}.
 */
final class Json {
  private Json() {}

  static String write(Object value) {
    StringBuilder out = new StringBuilder();
    append(out, value);
    return out.toString();
  }

  private static void append(StringBuilder out, Object value) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Optional<?> o) {
      append(out, o.orElse(null));
    } else if (value instanceof Boolean || value instanceof Long || value instanceof Integer) {
      out.append(value);
    } else if (value instanceof String s) {
      new JsonValue.JsonString(s).appendJson(out);
    } else if (value instanceof Instant i) {
      new JsonValue.JsonString(DateTimeFormatter.ISO_INSTANT.format(i)).appendJson(out);
    } else if (value instanceof Enum<?> e) {
      new JsonValue.JsonString(e.name()).appendJson(out);
    } else if (value instanceof Payload p) {
      p.asJson().appendJson(out);
    } else if (value instanceof JsonValue j) {
      j.appendJson(out);
    } else if (value instanceof Map<?, ?> map) {
      out.append('{');
      Iterator<? extends Map.Entry<?, ?>> it = map.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        new JsonValue.JsonString(String.valueOf(e.getKey())).appendJson(out);
        out.append(':');
        append(out, e.getValue());
        if (it.hasNext()) {
          out.append(',');
        }
      }
      out.append('}');
    } else if (value instanceof Collection<?> list) {
      out.append('[');
      Iterator<?> it = list.iterator();
      while (it.hasNext()) {
        append(out, it.next());
        if (it.hasNext()) {
          out.append(',');
        }
      }
      out.append(']');
    } else {
      new JsonValue.JsonString(value.toString()).appendJson(out);
    }
  }

  static Map<String, Object> dispatch(Dispatch d) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", d.id());
    m.put("microgrid_id", d.microgridId());
    m.put("type", d.type());
    m.put("start_time", d.startTime());
    m.put("duration", d.duration().map(x -> x.getSeconds()).orElse(null));
    m.put("target", target(d.target()));
    m.put("active", d.active());
    m.put("dry_run", d.dryRun());
    m.put("payload", d.payload());
    m.put("recurrence", d.recurrence().map(Json::recurrence).orElse(null));
    m.put("create_time", d.createTime());
    m.put("update_time", d.updateTime());
    m.put("end_time", d.endTime().orElse(null));
    return m;
  }

  static Map<String, Object> target(TargetComponents t) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (t instanceof TargetComponents.Ids ids) {
      m.put("ids", ids.ids());
    } else if (t instanceof TargetComponents.Categories c) {
      m.put("categories", c.categories().stream().map(x -> x.name()).toList());
      if (!c.types().isEmpty()) {
        // Subtypes (since API v1.1), as an operator types them: BATTERY:LI_ION.
        m.put("types", c.types().stream().map(x -> x.toString()).toList());
      }
    }
    return m;
  }

  static Map<String, Object> recurrence(RecurrenceRule r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("frequency", r.frequency());
    m.put("interval", r.interval());
    m.put("count", r.count().isPresent() ? (Object) r.count().getAsInt() : null);
    m.put("until", r.until().orElse(null));
    m.put("by_minutes", r.byMinutes());
    m.put("by_hours", r.byHours());
    m.put("by_weekdays", r.byWeekdays());
    m.put("by_monthdays", r.byMonthDays());
    m.put("by_months", r.byMonths());
    return m;
  }

  static Map<String, Object> event(DispatchEvent e) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("event", DispatchText.eventName(e));
    m.put("dispatch", dispatch(e.dispatch()));
    return m;
  }
}
