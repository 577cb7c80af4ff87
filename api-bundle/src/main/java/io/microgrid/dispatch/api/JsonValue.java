package io.microgrid.dispatch.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable JSON value, the building block of a {@link Payload}.
 *
 * <p>The variants mirror what a JSON document (and {@code google.protobuf.Struct}) can hold.
 * {@link #of(Object)} converts plain Java values, so callers rarely build variants by hand.
 */
public sealed interface JsonValue
    permits JsonValue.JsonNull, JsonValue.JsonBoolean, JsonValue.JsonNumber, JsonValue.JsonString,
        JsonValue.JsonArray, JsonValue.JsonObject {

  /**
   * Converts a plain Java value: {@code null}, {@link Boolean}, {@link Number}, {@link CharSequence},
   * {@link List} (of convertible values), {@link Map} with string keys, or a {@link JsonValue}.
   *
   * @param value the value to convert
   * @return the immutable JSON value
   * @throws IllegalArgumentException when the value or something inside it cannot be JSON
   */
  static JsonValue of(Object value) {
    if (value == null) {
      return JsonNull.INSTANCE;
    }
    if (value instanceof JsonValue json) {
      return json;
    }
    if (value instanceof Payload payload) {
      return payload.asJson();
    }
    if (value instanceof Boolean b) {
      return new JsonBoolean(b);
    }
    if (value instanceof Number n) {
      return new JsonNumber(n.doubleValue());
    }
    if (value instanceof CharSequence s) {
      return new JsonString(s.toString());
    }
    if (value instanceof List<?> list) {
      return new JsonArray(list.stream().map(JsonValue::of).toList());
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, JsonValue> fields = new LinkedHashMap<>();
      map.forEach(
          (k, v) -> {
            if (!(k instanceof String key)) {
              throw new IllegalArgumentException("JSON object keys must be strings, got: " + k);
            }
            fields.put(key, of(v));
          });
      return new JsonObject(fields);
    }
    throw new IllegalArgumentException(
        "cannot convert a " + value.getClass().getName() + " to JSON");
  }

  /**
   * How many levels of containers this value has: 0 for a scalar, 1 for an object or array of
   * scalars, one more for every level of nesting.
   *
   * @return the nesting depth
   */
  default int depth() {
    return 0;
  }

  /**
   * Writes this value as compact JSON text.
   *
   * @param out where the text goes
   */
  void appendJson(StringBuilder out);

  /**
   * Returns this value as compact JSON text.
   *
   * @return the JSON text
   */
  default String toJson() {
    StringBuilder out = new StringBuilder();
    appendJson(out);
    return out.toString();
  }

  /** JSON {@code null}. */
  enum JsonNull implements JsonValue {
    /** The only null. */
    INSTANCE;

    @Override
    public void appendJson(StringBuilder out) {
      out.append("null");
    }
  }

  /**
   * A JSON boolean.
   *
   * @param value the value
   */
  record JsonBoolean(boolean value) implements JsonValue {
    @Override
    public void appendJson(StringBuilder out) {
      out.append(value);
    }
  }

  /**
   * A JSON number. Like {@code google.protobuf.Value}, every number is a double.
   *
   * @param value a finite number
   */
  record JsonNumber(double value) implements JsonValue {
    /**
     * Checks that the number can be written as JSON.
     *
     * @throws IllegalArgumentException for NaN or an infinity
     */
    public JsonNumber {
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException("JSON numbers must be finite, got: " + value);
      }
    }

    @Override
    public void appendJson(StringBuilder out) {
      // Integral values print without a fraction, as a JSON writer in any language would.
      if (value == Math.rint(value) && Math.abs(value) < 1e15) {
        out.append((long) value);
      } else {
        out.append(value);
      }
    }
  }

  /**
   * A JSON string.
   *
   * @param value the text
   */
  record JsonString(String value) implements JsonValue {
    /** Checks for null. */
    public JsonString {
      Objects.requireNonNull(value, "value");
    }

    @Override
    public void appendJson(StringBuilder out) {
      out.append('"');
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          case '\b' -> out.append("\\b");
          case '\f' -> out.append("\\f");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      out.append('"');
    }
  }

  /**
   * A JSON array.
   *
   * @param values the elements, copied into an immutable list
   */
  record JsonArray(List<JsonValue> values) implements JsonValue {
    /** Copies the elements. */
    public JsonArray {
      values = List.copyOf(values);
    }

    @Override
    public int depth() {
      return 1 + values.stream().mapToInt(JsonValue::depth).max().orElse(0);
    }

    @Override
    public void appendJson(StringBuilder out) {
      out.append('[');
      for (int i = 0; i < values.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        values.get(i).appendJson(out);
      }
      out.append(']');
    }
  }

  /**
   * A JSON object. Keys keep their insertion order.
   *
   * @param fields the members, copied into an immutable map
   */
  record JsonObject(Map<String, JsonValue> fields) implements JsonValue {
    /** Copies the members, keeping their order. */
    public JsonObject {
      Map<String, JsonValue> copy = new LinkedHashMap<>();
      fields.forEach(
          (k, v) -> copy.put(Objects.requireNonNull(k, "key"), Objects.requireNonNull(v, k)));
      // Kept compact: a gateway holds one payload object per dispatch (SmallOrderedMap says why).
      fields = io.microgrid.dispatch.api.internal.SmallOrderedMap.copyOf(copy);
    }

    @Override
    public int depth() {
      return 1 + fields.values().stream().mapToInt(JsonValue::depth).max().orElse(0);
    }

    @Override
    public void appendJson(StringBuilder out) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<String, JsonValue> e : fields.entrySet()) {
        if (!first) {
          out.append(',');
        }
        first = false;
        new JsonString(e.getKey()).appendJson(out);
        out.append(':');
        e.getValue().appendJson(out);
      }
      out.append('}');
    }
  }
}
