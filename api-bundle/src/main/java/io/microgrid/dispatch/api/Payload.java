package io.microgrid.dispatch.api;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The free-form JSON object that a dispatch carries for its consumer. Immutable.
 *
 * <p>The Dispatch API accepts payloads of at most {@value #MAX_DEPTH} levels and
 * {@value #MAX_BYTES} bytes; {@link #checkLimits(String)} says whether this one fits.
 */
public final class Payload {
  /** The deepest nesting the Dispatch API accepts; the payload object itself is level 1. */
  public static final int MAX_DEPTH = 5;

  /** The largest payload the Dispatch API accepts, in bytes of compact UTF-8 JSON (50 KB). */
  public static final int MAX_BYTES = 50 * 1024;

  /** The payload without any field. */
  public static final Payload EMPTY = new Payload(new JsonValue.JsonObject(Map.of()));

  private final JsonValue.JsonObject json;

  private Payload(JsonValue.JsonObject json) {
    this.json = json;
  }

  /**
   * Makes a payload from a JSON object.
   *
   * @param json the object
   * @return the payload
   */
  public static Payload of(JsonValue.JsonObject json) {
    return json.fields().isEmpty() ? EMPTY : new Payload(json);
  }

  /**
   * Makes a payload from plain Java values (see {@link JsonValue#of(Object)}).
   *
   * @param fields the members of the top-level object
   * @return the payload
   * @throws IllegalArgumentException when a value cannot be JSON
   */
  public static Payload of(Map<String, ?> fields) {
    return of((JsonValue.JsonObject) JsonValue.of(fields));
  }

  /**
   * Returns the members of the payload object.
   *
   * @return an immutable map in the order the members were given
   */
  public Map<String, JsonValue> fields() {
    return json.fields();
  }

  /**
   * Looks up one member.
   *
   * @param name the member's name
   * @return its value, or empty when absent
   */
  public Optional<JsonValue> get(String name) {
    return Optional.ofNullable(json.fields().get(name));
  }

  /**
   * Returns the payload as a JSON object value.
   *
   * @return the object
   */
  public JsonValue.JsonObject asJson() {
    return json;
  }

  /**
   * Returns the nesting depth: 1 for an object of scalars (or an empty object).
   *
   * @return the depth
   */
  public int depth() {
    return Math.max(1, json.depth());
  }

  /**
   * Returns the payload as compact JSON text.
   *
   * @return the JSON text
   */
  public String toJson() {
    return json.toJson();
  }

  /**
   * Returns whether the payload has no member.
   *
   * @return true when empty
   */
  public boolean isEmpty() {
    return json.fields().isEmpty();
  }

  /**
   * Checks the limits of the Dispatch API.
   *
   * @param field the name of the field this payload is given as, for the message
   * @throws IllegalArgumentException when the payload is too deep or too large
   */
  public void checkLimits(String field) {
    int depth = depth();
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException(
          field + " is nested " + depth + " levels deep; at most " + MAX_DEPTH + " are allowed");
    }
    int bytes = toJson().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_BYTES) {
      throw new IllegalArgumentException(
          field + " is " + bytes + " bytes as JSON; at most " + MAX_BYTES + " are allowed");
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Payload other && json.equals(other.json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return toJson();
  }
}
