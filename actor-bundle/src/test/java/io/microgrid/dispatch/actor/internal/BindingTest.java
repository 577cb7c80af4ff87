package io.microgrid.dispatch.actor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A binding's configuration as an operator writes it, and the one line that says what to fix. */
class BindingTest {
  private static Map<String, Object> valid() {
    Map<String, Object> p = new HashMap<>();
    p.put("service.pid", "io.microgrid.dispatch.actor~charger");
    p.put("microgrid.id", "7");
    p.put("dispatch.type", "CHARGE");
    p.put("actor.pid", "com.example.Charger");
    return p;
  }

  @Test
  void aMinimalBindingHasNoMergingAndRetriesEveryMinute() {
    Binding b = Binding.parse(valid());
    assertEquals(7, b.microgridId());
    assertEquals("CHARGE", b.type());
    assertEquals("com.example.Charger", b.actorPid());
    assertEquals(MergeMode.NONE, b.merge());
    assertEquals(Duration.ofSeconds(60), b.retryInterval());
    assertEquals("io.microgrid.dispatch.actor~charger", b.pid());
  }

  @Test
  void mergeModesAndRetryIntervalAreRead() {
    Map<String, Object> p = valid();
    p.put("dispatch.merge", "type+target");
    p.put("retry.interval.seconds", 5L);
    p.put("microgrid.id", 9L);
    Binding b = Binding.parse(p);
    assertEquals(MergeMode.TYPE_AND_TARGET, b.merge());
    assertEquals(Duration.ofSeconds(5), b.retryInterval());
    assertEquals(9, b.microgridId());
  }

  @Test
  void eachMalformedPropertyIsNamedInTheMessage() {
    assertNames("actor.pid", without("actor.pid"));
    assertNames("dispatch.type", without("dispatch.type"));
    assertNames("microgrid.id", without("microgrid.id"));
    assertNames("microgrid.id", with("microgrid.id", "seven"));
    assertNames("microgrid.id", with("microgrid.id", "0"));
    assertNames("dispatch.merge", with("dispatch.merge", "by-type"));
    assertNames("retry.interval.seconds", with("retry.interval.seconds", "0"));
  }

  private static void assertNames(String property, Map<String, Object> p) {
    String message = assertThrows(IllegalArgumentException.class, () -> Binding.parse(p)).getMessage();
    assertTrue(message.contains(" " + property + " "), message);
    assertTrue(message.contains("io.microgrid.dispatch.actor"), message);
    assertEquals(-1, message.indexOf('\n'), "one line");
  }

  private static Map<String, Object> without(String key) {
    Map<String, Object> p = valid();
    p.remove(key);
    return p;
  }

  private static Map<String, Object> with(String key, Object value) {
    Map<String, Object> p = valid();
    p.put(key, value);
    return p;
  }
}
