package io.microgrid.dispatch.api;

import static io.microgrid.dispatch.api.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.JsonValue.JsonNumber;
import io.microgrid.dispatch.api.JsonValue.JsonObject;
import io.microgrid.dispatch.api.JsonValue.JsonString;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PayloadTest {

  /** {"a":{"a":...{"a":1}}}: an object nested {@code levels} deep. */
  static Payload nestedObjects(int levels) {
    Object v = 1;
    for (int i = 0; i < levels; i++) {
      v = Map.of("a", v);
    }
    @SuppressWarnings("unchecked")
    Map<String, ?> top = (Map<String, ?>) v;
    return Payload.of(top);
  }

  /** {"a":"..."} whose compact JSON is exactly {@code bytes} bytes of ASCII. */
  static Payload ofJsonBytes(int bytes) {
    Payload p = Payload.of(Map.of("a", "x".repeat(bytes - "{\"a\":\"\"}".length())));
    assertEquals(bytes, p.toJson().getBytes(StandardCharsets.UTF_8).length);
    return p;
  }

  @Test
  void limitsAreThoseOfTheDispatchApi() {
    assertEquals(5, Payload.MAX_DEPTH);
    assertEquals(50 * 1024, Payload.MAX_BYTES);
  }

  @Test
  void emptyPayload() {
    assertTrue(Payload.EMPTY.isEmpty());
    assertEquals(Map.of(), Payload.EMPTY.fields());
    assertEquals("{}", Payload.EMPTY.toJson());
    assertEquals(1, Payload.EMPTY.depth());
    assertEquals(Payload.EMPTY, Payload.of(Map.of()));
    assertEquals(Payload.EMPTY, Payload.of(new JsonObject(Map.of())));
    assertDoesNotThrow(() -> Payload.EMPTY.checkLimits("payload"));
  }

  @Test
  void membersAreReadable() {
    Payload p = Payload.of(Map.of("power", 1500, "mode", "eco"));
    assertFalse(p.isEmpty());
    assertEquals(Optional.of(new JsonNumber(1500)), p.get("power"));
    assertEquals(Optional.of(new JsonString("eco")), p.get("mode"));
    assertEquals(Optional.empty(), p.get("missing"));
    assertEquals(2, p.fields().size());
  }

  @Test
  void memberOrderIsKept() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("z", 1);
    m.put("a", 2);
    m.put("m", 3);
    Payload p = Payload.of(m);
    assertEquals(List.of("z", "a", "m"), new ArrayList<>(p.fields().keySet()));
    assertEquals("{\"z\":1,\"a\":2,\"m\":3}", p.toJson());
    assertEquals(p.toJson(), p.toString());
  }

  @Test
  void callersMapAndNestedListChangesDoNotReachThePayload() {
    List<Object> list = new ArrayList<>(List.of(1));
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("list", list);
    Payload p = Payload.of(m);
    m.put("added", true);
    list.add(2);
    assertEquals("{\"list\":[1]}", p.toJson());
  }

  @Test
  void fieldsAreUnmodifiable() {
    Payload p = Payload.of(Map.of("a", 1));
    assertThrows(UnsupportedOperationException.class, () -> p.fields().put("b", new JsonNumber(2)));
    assertThrows(UnsupportedOperationException.class, () -> p.fields().clear());
  }

  @Test
  void asJsonReturnsTheGivenObject() {
    JsonObject o = new JsonObject(Map.of("k", new JsonString("v")));
    assertEquals(o, Payload.of(o).asJson());
  }

  @Test
  void equalityFollowsContent() {
    Payload a = Payload.of(Map.of("k", List.of(1, 2)));
    Payload b = Payload.of(Map.of("k", List.of(1.0, 2.0)));
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertNotEquals(a, Payload.of(Map.of("k", List.of(2, 1))));
  }

  @Test
  void conversionErrorsSurface() {
    assertThrows(IllegalArgumentException.class, () -> Payload.of(Map.of("x", Double.NaN)));
    assertThrows(
        IllegalArgumentException.class, () -> Payload.of(Map.of("x", Map.of(1, "one"))));
  }

  @Test
  void depthCountsThePayloadObjectAsLevelOne() {
    assertEquals(1, Payload.of(Map.of("a", 1)).depth());
    assertEquals(2, Payload.of(Map.of("a", Map.of("b", 1))).depth());
    assertEquals(2, Payload.of(Map.of("a", List.of(1))).depth());
    assertEquals(3, Payload.of(Map.of("a", List.of(Map.of("b", 1)))).depth());
    for (int levels = 1; levels <= 7; levels++) {
      assertEquals(levels, nestedObjects(levels).depth());
    }
  }

  @Test
  void fiveLevelsAreAcceptedSixAreRefusedNamingTheDepth() {
    assertDoesNotThrow(() -> nestedObjects(5).checkLimits("payload"));
    IllegalArgumentException e =
        assertRefused(
            IllegalArgumentException.class,
            "payload",
            () -> nestedObjects(6).checkLimits("payload"));
    assertTrue(e.getMessage().contains("6"), e.getMessage());
  }

  @Test
  void arraysCountAsLevels() {
    Payload five = Payload.of(Map.of("a", List.of(List.of(List.of(List.of(1))))));
    assertEquals(5, five.depth());
    assertDoesNotThrow(() -> five.checkLimits("payload"));
    Payload six = Payload.of(Map.of("a", List.of(List.of(List.of(List.of(List.of()))))));
    assertEquals(6, six.depth());
    assertThrows(IllegalArgumentException.class, () -> six.checkLimits("payload"));
  }

  @Test
  void theFieldNameGivenIsTheOneInTheMessage() {
    assertRefused(
        IllegalArgumentException.class,
        "update.payload",
        () -> nestedObjects(6).checkLimits("update.payload"));
  }

  @Test
  void exactlyMaxBytesIsAcceptedOneMoreIsRefused() {
    assertDoesNotThrow(() -> ofJsonBytes(Payload.MAX_BYTES).checkLimits("payload"));
    IllegalArgumentException e =
        assertRefused(
            IllegalArgumentException.class,
            "payload",
            () -> ofJsonBytes(Payload.MAX_BYTES + 1).checkLimits("payload"));
    assertTrue(e.getMessage().contains(String.valueOf(Payload.MAX_BYTES + 1)), e.getMessage());
  }

  @Test
  void sizeIsCountedInUtf8BytesNotCharacters() {
    // "é" is 2 bytes in UTF-8: 25597 of them make MAX_BYTES + 2 bytes in about half as many chars.
    int overhead = "{\"a\":\"\"}".length();
    int fits = (Payload.MAX_BYTES - overhead) / 2;
    Payload atLimit = Payload.of(Map.of("a", "é".repeat(fits)));
    assertEquals(Payload.MAX_BYTES, atLimit.toJson().getBytes(StandardCharsets.UTF_8).length);
    assertDoesNotThrow(() -> atLimit.checkLimits("payload"));
    Payload over = Payload.of(Map.of("a", "é".repeat(fits + 1)));
    assertTrue(over.toJson().length() < Payload.MAX_BYTES);
    assertThrows(IllegalArgumentException.class, () -> over.checkLimits("payload"));
  }

  @Test
  void sizeIsCountedOnTheEscapedJson() {
    // every quote becomes two bytes: \"
    int overhead = "{\"a\":\"\"}".length();
    int fits = (Payload.MAX_BYTES - overhead) / 2;
    assertDoesNotThrow(() -> Payload.of(Map.of("a", "\"".repeat(fits))).checkLimits("payload"));
    assertThrows(
        IllegalArgumentException.class,
        () -> Payload.of(Map.of("a", "\"".repeat(fits + 1))).checkLimits("payload"));
  }
}
