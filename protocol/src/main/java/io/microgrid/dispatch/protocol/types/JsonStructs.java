package io.microgrid.dispatch.protocol.types;

import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.microgrid.dispatch.api.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A payload's JSON as a protobuf {@link Struct} and back: the wire's form of a payload, and the
 * persisted schedule's. The one place that does it.
 */
public final class JsonStructs {

  private JsonStructs() {}

  /**
   * Writes a JSON object.
   *
   * @param object the object
   * @return the struct
   */
  public static Struct toStruct(JsonValue.JsonObject object) {
    Struct.Builder b = Struct.newBuilder();
    object.fields().forEach((k, v) -> b.putFields(k, toValue(v)));
    return b.build();
  }

  private static Value toValue(JsonValue v) {
    Value.Builder b = Value.newBuilder();
    if (v instanceof JsonValue.JsonBoolean x) {
      b.setBoolValue(x.value());
    } else if (v instanceof JsonValue.JsonNumber x) {
      b.setNumberValue(x.value());
    } else if (v instanceof JsonValue.JsonString x) {
      b.setStringValue(x.value());
    } else if (v instanceof JsonValue.JsonObject x) {
      b.setStructValue(toStruct(x));
    } else if (v instanceof JsonValue.JsonArray x) {
      ListValue.Builder list = ListValue.newBuilder();
      x.values().forEach(e -> list.addValues(toValue(e)));
      b.setListValue(list);
    } else {
      b.setNullValue(NullValue.NULL_VALUE);
    }
    return b.build();
  }

  /**
   * Reads a struct that came from elsewhere.
   *
   * @param field the struct's field name, the start of every path in a message
   * @param struct the struct
   * @return the JSON object
   * @throws IllegalArgumentException naming the path of a value that is not a finite number or
   *     has no kind
   */
  public static JsonValue.JsonObject toJson(String field, Struct struct) {
    Map<String, JsonValue> fields = new LinkedHashMap<>();
    struct.getFieldsMap().forEach((k, v) -> fields.put(k, toJson(field + "." + k, v)));
    return new JsonValue.JsonObject(fields);
  }

  private static JsonValue toJson(String field, Value v) {
    return switch (v.getKindCase()) {
      case NULL_VALUE -> JsonValue.JsonNull.INSTANCE;
      case BOOL_VALUE -> new JsonValue.JsonBoolean(v.getBoolValue());
      case NUMBER_VALUE -> {
        if (!Double.isFinite(v.getNumberValue())) {
          throw new IllegalArgumentException(field + " is not a finite number");
        }
        yield new JsonValue.JsonNumber(v.getNumberValue());
      }
      case STRING_VALUE -> new JsonValue.JsonString(v.getStringValue());
      case STRUCT_VALUE -> toJson(field, v.getStructValue());
      case LIST_VALUE -> {
        List<JsonValue> values = new ArrayList<>();
        List<Value> list = v.getListValue().getValuesList();
        for (int i = 0; i < list.size(); i++) {
          values.add(toJson(field + "[" + i + "]", list.get(i)));
        }
        yield new JsonValue.JsonArray(values);
      }
      case KIND_NOT_SET -> throw new IllegalArgumentException(field + " has no value");
    };
  }
}
