package io.microgrid.dispatch.actor.internal;

import java.time.Duration;
import java.util.Map;

/**
 * A binding as checked from its configuration (semantics §10, contract: factory PID {@value
 * BindingConfiguration#PID}).
 *
 * @param pid the binding configuration's {@code service.pid}: the marker of what it made
 * @param microgridId the microgrid
 * @param type the dispatch type
 * @param actorPid the factory PID of the driven component
 * @param merge how dispatches are merged
 * @param retryInterval how often a failed activation is retried
 */
record Binding(
    String pid, long microgridId, String type, String actorPid, MergeMode merge, Duration retryInterval) {

  static final String MICROGRID_ID = "microgrid.id";
  static final String TYPE = "dispatch.type";
  static final String ACTOR_PID = "actor.pid";
  static final String MERGE = "dispatch.merge";
  static final String RETRY_INTERVAL = "retry.interval.seconds";
  static final long DEFAULT_RETRY_SECONDS = 60;

  /**
   * Reads a binding from its configuration's properties.
   *
   * @param properties the component's properties (the configuration's and {@code service.pid})
   * @return the binding
   * @throws IllegalArgumentException naming the one property to fix, and what it must be
   */
  static Binding parse(Map<String, ?> properties) {
    String pid = String.valueOf(properties.get("service.pid"));
    long microgrid = microgrid(properties.get(MICROGRID_ID));
    String type = required(properties, TYPE, "the dispatch type that drives the component");
    String actorPid = required(properties, ACTOR_PID, "the factory PID of the DS component to drive");
    Object mergeValue = properties.get(MERGE);
    MergeMode merge =
        MergeMode.of(mergeValue == null ? null : String.valueOf(mergeValue))
            .orElseThrow(
                () -> invalid(MERGE, "must be type or type+target, or absent, got \"" + mergeValue + "\""));
    return new Binding(pid, microgrid, type, actorPid, merge, retryInterval(properties.get(RETRY_INTERVAL)));
  }

  private static long microgrid(Object value) {
    if (value == null) {
      throw invalid(MICROGRID_ID, "must be set to the id of a microgrid (> 0)");
    }
    long id;
    try {
      id = value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw invalid(MICROGRID_ID, "must be a number (> 0), got \"" + value + "\"");
    }
    if (id <= 0) {
      throw invalid(MICROGRID_ID, "must be the id of a microgrid (> 0), got " + id);
    }
    return id;
  }

  private static String required(Map<String, ?> properties, String name, String what) {
    Object value = properties.get(name);
    if (value == null || String.valueOf(value).isBlank()) {
      throw invalid(name, "must be set to " + what);
    }
    return String.valueOf(value).trim();
  }

  private static Duration retryInterval(Object value) {
    if (value == null) {
      return Duration.ofSeconds(DEFAULT_RETRY_SECONDS);
    }
    long seconds;
    try {
      seconds = value instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw invalid(RETRY_INTERVAL, "must be a number of seconds (> 0), got \"" + value + "\"");
    }
    if (seconds <= 0) {
      throw invalid(RETRY_INTERVAL, "must be a number of seconds (> 0), got " + seconds);
    }
    return Duration.ofSeconds(seconds);
  }

  private static IllegalArgumentException invalid(String property, String why) {
    return new IllegalArgumentException(
        "configuration " + BindingConfiguration.PID + " is invalid: " + property + " " + why);
  }
}
