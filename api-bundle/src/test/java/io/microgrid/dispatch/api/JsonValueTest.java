package io.microgrid.dispatch.api;

import static io.microgrid.dispatch.api.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.JsonValue.JsonArray;
import io.microgrid.dispatch.api.JsonValue.JsonBoolean;
import io.microgrid.dispatch.api.JsonValue.JsonNull;
import io.microgrid.dispatch.api.JsonValue.JsonNumber;
import io.microgrid.dispatch.api.JsonValue.JsonObject;
import io.microgrid.dispatch.api.JsonValue.JsonString;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonValueTest {

  private static Map<String, Object> ordered(Object... keysAndValues) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      m.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return m;
  }

  // ---- of(...) conversions

  @Test
  void nullBecomesJsonNull() {
    assertSame(JsonNull.INSTANCE, JsonValue.of(null));
  }

  @Test
  void scalarsConvert() {
    assertEquals(new JsonBoolean(true), JsonValue.of(true));
    assertEquals(new JsonBoolean(false), JsonValue.of(Boolean.FALSE));
    assertEquals(new JsonString("hi"), JsonValue.of("hi"));
    assertEquals(new JsonString("sb"), JsonValue.of(new StringBuilder("sb")));
  }

  @Test
  void everyNumberBecomesADouble() {
    assertEquals(new JsonNumber(3.0), JsonValue.of(3));
    assertEquals(new JsonNumber(3.0), JsonValue.of(3L));
    assertEquals(new JsonNumber(-2.0), JsonValue.of((short) -2));
    assertEquals(new JsonNumber(2.5), JsonValue.of(2.5f));
    assertEquals(new JsonNumber(0.1), JsonValue.of(0.1));
    assertEquals(new JsonNumber(1.25), JsonValue.of(new BigDecimal("1.25")));
    assertEquals(new JsonNumber(1e20), JsonValue.of(BigInteger.TEN.pow(20)));
  }

  @Test
  void aJsonValueOrPayloadIsReturnedAsIs() {
    JsonValue v = new JsonString("x");
    assertSame(v, JsonValue.of(v));
    Payload p = Payload.of(Map.of("a", 1));
    assertSame(p.asJson(), JsonValue.of(p));
  }

  @Test
  void nestedMapsAndListsConvertRecursively() {
    Map<String, Object> in =
        ordered(
            "list", Arrays.asList(1, "two", null, true, List.of(3)),
            "map", ordered("inner", ordered("deep", 4.5)));
    JsonValue expected =
        new JsonObject(
            Map.of(
                "list",
                new JsonArray(
                    List.of(
                        new JsonNumber(1),
                        new JsonString("two"),
                        JsonNull.INSTANCE,
                        new JsonBoolean(true),
                        new JsonArray(List.of(new JsonNumber(3))))),
                "map",
                new JsonObject(
                    Map.of("inner", new JsonObject(Map.of("deep", new JsonNumber(4.5)))))));
    assertEquals(expected, JsonValue.of(in));
  }

  @Test
  void nullValuesInAMapBecomeJsonNull() {
    Map<String, Object> in = new HashMap<>();
    in.put("n", null);
    assertEquals(new JsonObject(Map.of("n", JsonNull.INSTANCE)), JsonValue.of(in));
  }

  @Test
  void nonStringKeysAreRefused() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JsonValue.of(Map.of(1, "x")));
    assertTrue(e.getMessage().contains("key"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> JsonValue.of(Map.of("outer", List.of(Map.of(2.0, "x")))));
    Map<Object, Object> nullKey = new HashMap<>();
    nullKey.put(null, 1);
    assertThrows(IllegalArgumentException.class, () -> JsonValue.of(nullKey));
  }

  @Test
  void nonFiniteNumbersAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> JsonValue.of(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> JsonValue.of(Float.NaN));
    assertThrows(IllegalArgumentException.class, () -> JsonValue.of(Double.POSITIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> JsonValue.of(Double.NEGATIVE_INFINITY));
    assertThrows(IllegalArgumentException.class, () -> new JsonNumber(Double.NaN));
    assertThrows(
        IllegalArgumentException.class,
        () -> JsonValue.of(Map.of("a", List.of(1, Double.NaN))));
    // BigDecimal beyond the range of a double would become an infinity
    assertThrows(
        IllegalArgumentException.class, () -> JsonValue.of(new BigDecimal("1e400")));
  }

  @Test
  void unsupportedTypesAreRefusedNamingTheType() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> JsonValue.of(new Object()));
    assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> JsonValue.of(Map.of("a", 'c')));
  }

  @Test
  void jsonStringRefusesNull() {
    assertRefused(NullPointerException.class, "value", () -> new JsonString(null));
  }

  @Test
  void jsonObjectRefusesANullValueNamingItsKey() {
    Map<String, JsonValue> m = new HashMap<>();
    m.put("speed", null);
    assertRefused(NullPointerException.class, "speed", () -> new JsonObject(m));
  }

  // ---- toJson

  @Test
  void scalarsPrintAsJson() {
    assertEquals("null", JsonValue.of(null).toJson());
    assertEquals("true", JsonValue.of(true).toJson());
    assertEquals("false", JsonValue.of(false).toJson());
    assertEquals("\"abc\"", JsonValue.of("abc").toJson());
  }

  @Test
  void integralNumbersPrintWithoutFraction() {
    assertEquals("3", JsonValue.of(3).toJson());
    assertEquals("-7", JsonValue.of(-7L).toJson());
    assertEquals("0", JsonValue.of(0.0).toJson());
    assertEquals("42", JsonValue.of(42.0).toJson());
    assertEquals("123456789012", JsonValue.of(123456789012L).toJson());
  }

  @Test
  void fractionalNumbersKeepTheirFraction() {
    assertEquals("2.5", JsonValue.of(2.5).toJson());
    assertEquals("-0.25", JsonValue.of(-0.25).toJson());
    assertEquals("0.1", JsonValue.of(0.1).toJson());
  }

  @Test
  void quotesAndBackslashesAreEscaped() {
    assertEquals("\"say \\\"hi\\\"\"", JsonValue.of("say \"hi\"").toJson());
    assertEquals("\"C:\\\\dir\\\\f\"", JsonValue.of("C:\\dir\\f").toJson());
  }

  @Test
  void controlCharactersAreEscaped() {
    assertEquals("\"a\\nb\\rc\\td\\be\\ff\"", JsonValue.of("a\nb\rc\td\be\ff").toJson());
    assertEquals("\"\\u0000\\u0001\\u001f\"", JsonValue.of("\u0000\u0001\u001f").toJson());
  }

  @Test
  void otherCharactersAreWrittenAsThemselves() {
    assertEquals("\"é €/ \u007f\"", JsonValue.of("é €/ \u007f").toJson());
  }

  @Test
  void keysAreEscapedToo() {
    assertEquals("{\"a\\\"b\\n\":1}", JsonValue.of(Map.of("a\"b\n", 1)).toJson());
  }

  @Test
  void containersPrintCompactlyInOrder() {
    Map<String, Object> in =
        ordered("z", List.of(1, 2.5, "x"), "a", ordered("b", true, "c", null), "e", List.of(),
            "m", Map.of());
    assertEquals(
        "{\"z\":[1,2.5,\"x\"],\"a\":{\"b\":true,\"c\":null},\"e\":[],\"m\":{}}",
        JsonValue.of(in).toJson());
  }

  // ---- depth

  @Test
  void depthCountsContainerLevels() {
    assertEquals(0, JsonValue.of(null).depth());
    assertEquals(0, JsonValue.of(1).depth());
    assertEquals(0, JsonValue.of("s").depth());
    assertEquals(0, JsonValue.of(true).depth());
    assertEquals(1, JsonValue.of(List.of()).depth());
    assertEquals(1, JsonValue.of(Map.of()).depth());
    assertEquals(1, JsonValue.of(List.of(1, 2)).depth());
    assertEquals(1, JsonValue.of(Map.of("a", 1)).depth());
    assertEquals(2, JsonValue.of(List.of(List.of())).depth());
    assertEquals(2, JsonValue.of(Map.of("a", Map.of("b", 1))).depth());
    assertEquals(3, JsonValue.of(Map.of("a", List.of(Map.of()))).depth());
  }

  @Test
  void depthIsTheDeepestBranch() {
    Map<String, Object> in =
        ordered("flat", 1, "deep", Map.of("x", Map.of("y", List.of(1))), "mid", List.of(1));
    assertEquals(4, JsonValue.of(in).depth());
    assertEquals(3, JsonValue.of(List.of(1, List.of(List.of(2)), List.of())).depth());
  }

  // ---- immutability

  @Test
  void conversionSnapshotsTheCallersCollections() {
    List<Object> list = new ArrayList<>(List.of(1));
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("list", list);
    JsonValue v = JsonValue.of(map);
    list.add(2);
    map.put("other", 3);
    assertEquals("{\"list\":[1]}", v.toJson());
  }

  @Test
  void arraysCopyAndDoNotExposeTheirList() {
    List<JsonValue> values = new ArrayList<>(List.of(new JsonNumber(1)));
    JsonArray a = new JsonArray(values);
    values.add(new JsonNumber(2));
    assertEquals(List.of(new JsonNumber(1)), a.values());
    assertThrows(UnsupportedOperationException.class, () -> a.values().add(JsonNull.INSTANCE));
  }

  @Test
  void objectsCopyKeepOrderAndDoNotExposeTheirMap() {
    Map<String, JsonValue> fields = new LinkedHashMap<>();
    fields.put("b", new JsonNumber(1));
    fields.put("a", new JsonNumber(2));
    JsonObject o = new JsonObject(fields);
    fields.put("c", new JsonNumber(3));
    fields.remove("b");
    assertEquals(List.of("b", "a"), new ArrayList<>(o.fields().keySet()));
    assertThrows(
        UnsupportedOperationException.class, () -> o.fields().put("x", JsonNull.INSTANCE));
    assertThrows(UnsupportedOperationException.class, () -> o.fields().remove("a"));
  }
}
