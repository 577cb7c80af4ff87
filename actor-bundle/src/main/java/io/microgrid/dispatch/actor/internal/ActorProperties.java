package io.microgrid.dispatch.actor.internal;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.JsonValue;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.shell.text.DispatchText;
import java.time.Instant;
import java.util.Collection;
import java.util.Hashtable;
import java.util.Map;

/**
 * The properties of a driven component's configuration (semantics §10): what runs, in types a
 * configuration annotation reads directly.
 */
final class ActorProperties {
  /** The dispatch in effect: the one whose start (or reconfiguration) was told last. */
  static final String DISPATCH_ID = "dispatch.id";
  /** Every dispatch of a merged run that was told RUNNING (one id without merging). */
  static final String DISPATCH_IDS = "dispatch.ids";
  static final String TYPE = "dispatch.type";
  static final String MICROGRID_ID = "microgrid.id";
  static final String TARGET = "dispatch.target";
  static final String DRY_RUN = "dispatch.dry.run";
  static final String START = "dispatch.start";
  static final String UNTIL = "dispatch.until";
  static final String PAYLOAD = "dispatch.payload";
  static final String PAYLOAD_PREFIX = "payload.";
  /**
   * Counts the writes of the configuration for one run; a write that changes nothing else still
   * changes this, so ConfigAdmin passes it on and SCR tries a failed component again.
   */
  static final String ATTEMPT = "dispatch.attempt";
  /** The binding's {@code service.pid}: finds the configurations a binding made. */
  static final String BINDING = "dispatch.actor.binding";

  private ActorProperties() {}

  /**
   * Returns the properties for one write.
   *
   * @param change the RUNNING notification in effect
   * @param ids the dispatches of the run, ascending
   * @param bindingPid the binding's marker
   * @param attempt the write's number in this run, from 1
   * @return the properties, ready for {@code Configuration.update}
   */
  static Hashtable<String, Object> of(
      RunningStateChange change, Collection<Long> ids, String bindingPid, int attempt) {
    Dispatch d = change.dispatch();
    Hashtable<String, Object> p = new Hashtable<>();
    p.put(DISPATCH_ID, d.id());
    p.put(DISPATCH_IDS, ids.toArray(new Long[0]));
    p.put(TYPE, d.type());
    p.put(MICROGRID_ID, d.microgridId());
    p.put(TARGET, DispatchText.target(d.target()));
    p.put(DRY_RUN, d.dryRun());
    // The start of the run in effect, not of the notification: a reconfiguration is told when it
    // happens, and a recurring dispatch's run starts at its occurrence (until - duration).
    Instant start = change.until().flatMap(u -> d.duration().map(u::minus)).orElse(d.startTime());
    p.put(START, start.toString());
    // Absent for an infinite dispatch: ConfigAdmin has no null, and an annotation's default
    // then says "no end".
    change.until().ifPresent(u -> p.put(UNTIL, u.toString()));
    p.put(PAYLOAD, d.payload().toJson());
    for (Map.Entry<String, JsonValue> f : d.payload().fields().entrySet()) {
      Object scalar = scalar(f.getValue());
      if (scalar != null) {
        p.put(PAYLOAD_PREFIX + f.getKey(), scalar);
      }
    }
    p.put(ATTEMPT, attempt);
    p.put(BINDING, bindingPid);
    return p;
  }

  /**
   * A top-level scalar as ConfigAdmin holds it; null for null, arrays and objects, which only the
   * JSON text carries. A whole number is a Long (JSON, like protobuf's Struct, has only doubles),
   * so that an {@code int} or {@code long} annotation member reads it as it was written.
   */
  private static Object scalar(JsonValue value) {
    if (value instanceof JsonValue.JsonString s) {
      return s.value();
    }
    if (value instanceof JsonValue.JsonBoolean b) {
      return b.value();
    }
    if (value instanceof JsonValue.JsonNumber n) {
      double v = n.value();
      return v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) (long) v : (Object) v;
    }
    return null;
  }
}
