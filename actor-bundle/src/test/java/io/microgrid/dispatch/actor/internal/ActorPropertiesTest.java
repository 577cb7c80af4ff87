package io.microgrid.dispatch.actor.internal;

import static io.microgrid.dispatch.actor.internal.Fixtures.T0;
import static io.microgrid.dispatch.actor.internal.Fixtures.dispatch;
import static io.microgrid.dispatch.actor.internal.Fixtures.running;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a driven component reads from its configuration (semantics §10). */
class ActorPropertiesTest {
  @Test
  void describesTheDispatchWithThePayloadsScalarsTyped() {
    Map<String, Object> payload = new LinkedHashMap<>();
    payload.put("power_w", 1500);
    payload.put("ratio", 0.25);
    payload.put("mode", "eco");
    payload.put("force", true);
    payload.put("nested", Map.of("a", 1));
    payload.put("list", List.of(1, 2));
    Hashtable<String, Object> p =
        ActorProperties.of(running(dispatch(42, true, payload), T0), List.of(41L, 42L), "binding-pid", 3);

    assertEquals(42L, p.get("dispatch.id"));
    assertArrayEquals(new Long[] {41L, 42L}, (Long[]) p.get("dispatch.ids"));
    assertEquals("CHARGE", p.get("dispatch.type"));
    assertEquals(7L, p.get("microgrid.id"));
    assertEquals("1,2", p.get("dispatch.target"), "as dispatch:list prints it");
    assertEquals(true, p.get("dispatch.dry.run"));
    assertEquals(T0.toString(), p.get("dispatch.start"));
    assertEquals(T0.plusSeconds(3600).toString(), p.get("dispatch.until"));
    assertEquals(1500L, p.get("payload.power_w"), "a whole number is a Long");
    assertEquals(0.25, p.get("payload.ratio"));
    assertEquals("eco", p.get("payload.mode"));
    assertEquals(true, p.get("payload.force"));
    assertFalse(p.containsKey("payload.nested"), "only scalars; the JSON text has the rest");
    assertFalse(p.containsKey("payload.list"));
    assertEquals(dispatch(42, true, payload).payload().toJson(), p.get("dispatch.payload"));
    assertEquals(3, p.get("dispatch.attempt"));
    assertEquals("binding-pid", p.get("dispatch.actor.binding"));
  }
}
