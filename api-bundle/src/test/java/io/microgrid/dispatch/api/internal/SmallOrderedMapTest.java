package io.microgrid.dispatch.api.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A payload object's members read as those of the map they were given: order, lookups, equality. */
class SmallOrderedMapTest {
  private static Map<String, Integer> given(int n) {
    Map<String, Integer> m = new LinkedHashMap<>();
    for (int i = n; i > 0; i--) {
      m.put("k" + i, i);
    }
    return m;
  }

  @Test
  void readsAsTheGivenMapAtEverySize() {
    for (int n = 0; n <= SmallOrderedMap.MAX + 2; n++) {
      Map<String, Integer> given = given(n);
      Map<String, Integer> copy = SmallOrderedMap.copyOf(given);
      assertEquals(given, copy);
      assertEquals(copy, given);
      assertEquals(given.hashCode(), copy.hashCode());
      assertEquals(List.copyOf(given.keySet()), List.copyOf(copy.keySet()), "order kept");
      assertEquals(List.copyOf(given.values()), List.copyOf(copy.values()));
      assertEquals(given.toString(), copy.toString());
      for (int i = 1; i <= n; i++) {
        assertEquals(i, copy.get("k" + i));
      }
      assertNull(copy.get("absent"));
      assertEquals(n > 0, copy.containsKey("k1"));
    }
  }

  @Test
  void cannotBeChanged() {
    Map<String, Integer> copy = SmallOrderedMap.copyOf(given(2));
    assertThrows(UnsupportedOperationException.class, () -> copy.put("x", 1));
    assertThrows(UnsupportedOperationException.class, () -> copy.remove("k1"));
    assertThrows(UnsupportedOperationException.class, () -> copy.entrySet().iterator().next().setValue(3));
    assertThrows(UnsupportedOperationException.class, () -> copy.values().clear());
    var it = copy.entrySet().iterator();
    it.next();
    assertThrows(UnsupportedOperationException.class, it::remove);
    assertEquals(given(2), copy);
  }
}
