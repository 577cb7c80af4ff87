package io.microgrid.dispatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComponentCategoryTest {

  /** The numbers of frequenz.api.common.v1.microgrid.components.ComponentCategory. */
  private static final Map<Integer, String> WIRE = new LinkedHashMap<>();

  static {
    WIRE.put(0, "UNSPECIFIED");
    WIRE.put(1, "GRID");
    WIRE.put(2, "METER");
    WIRE.put(3, "INVERTER");
    WIRE.put(4, "CONVERTER");
    WIRE.put(5, "BATTERY");
    WIRE.put(6, "EV_CHARGER");
    WIRE.put(8, "CRYPTO_MINER");
    WIRE.put(9, "ELECTROLYZER");
    WIRE.put(10, "CHP");
    WIRE.put(11, "RELAY");
    WIRE.put(12, "PRECHARGER");
    WIRE.put(13, "FUSE");
    WIRE.put(14, "VOLTAGE_TRANSFORMER");
  }

  @Test
  void constantsCarryTheWireNumbers() {
    assertEquals(0, ComponentCategory.UNSPECIFIED.number());
    assertEquals(1, ComponentCategory.GRID.number());
    assertEquals(2, ComponentCategory.METER.number());
    assertEquals(3, ComponentCategory.INVERTER.number());
    assertEquals(4, ComponentCategory.CONVERTER.number());
    assertEquals(5, ComponentCategory.BATTERY.number());
    assertEquals(6, ComponentCategory.EV_CHARGER.number());
    assertEquals(8, ComponentCategory.CRYPTO_MINER.number());
    assertEquals(9, ComponentCategory.ELECTROLYZER.number());
    assertEquals(10, ComponentCategory.CHP.number());
    assertEquals(11, ComponentCategory.RELAY.number());
    assertEquals(12, ComponentCategory.PRECHARGER.number());
    assertEquals(13, ComponentCategory.FUSE.number());
    assertEquals(14, ComponentCategory.VOLTAGE_TRANSFORMER.number());
  }

  @Test
  void knownNumbersHaveTheirNames() {
    WIRE.forEach(
        (number, name) -> {
          ComponentCategory c = new ComponentCategory(number);
          assertTrue(c.isKnown(), name);
          assertEquals(name, c.name());
          assertEquals(name, c.toString());
        });
  }

  @Test
  void anUnknownNumberIsKept() {
    ComponentCategory seven = new ComponentCategory(7);
    assertFalse(seven.isKnown());
    assertEquals(7, seven.number());
    assertEquals("CATEGORY_7", seven.name());
    assertEquals("CATEGORY_7", seven.toString());
    ComponentCategory big = new ComponentCategory(1000);
    assertFalse(big.isKnown());
    assertEquals("CATEGORY_1000", big.name());
  }

  @Test
  void equalityIsByNumber() {
    assertEquals(new ComponentCategory(7), new ComponentCategory(7));
    assertEquals(new ComponentCategory(7).hashCode(), new ComponentCategory(7).hashCode());
    assertNotEquals(new ComponentCategory(7), new ComponentCategory(15));
    assertEquals(ComponentCategory.BATTERY, new ComponentCategory(5));
  }

  @Test
  void orderIsByNumber() {
    List<ComponentCategory> list =
        new ArrayList<>(
            List.of(new ComponentCategory(20), ComponentCategory.CHP, ComponentCategory.GRID));
    list.sort(null);
    assertEquals(
        List.of(ComponentCategory.GRID, ComponentCategory.CHP, new ComponentCategory(20)), list);
    assertTrue(ComponentCategory.METER.compareTo(ComponentCategory.INVERTER) < 0);
    assertEquals(0, ComponentCategory.METER.compareTo(new ComponentCategory(2)));
  }

  @Test
  void parseByName() {
    WIRE.forEach(
        (number, name) -> assertEquals(new ComponentCategory(number), ComponentCategory.parse(name)));
    assertEquals(ComponentCategory.EV_CHARGER, ComponentCategory.parse(" ev_charger "));
    assertEquals(ComponentCategory.BATTERY, ComponentCategory.parse("Battery"));
  }

  @Test
  void parseByNumber() {
    assertEquals(ComponentCategory.BATTERY, ComponentCategory.parse("5"));
    ComponentCategory unknown = ComponentCategory.parse("77");
    assertEquals(77, unknown.number());
    assertFalse(unknown.isKnown());
  }

  @Test
  void parseReadsWhatNamePrints() {
    for (int n = 0; n <= 20; n++) {
      ComponentCategory c = new ComponentCategory(n);
      assertEquals(c, ComponentCategory.parse(c.name()), c.name());
    }
    assertEquals(new ComponentCategory(7), ComponentCategory.parse("category_7"));
  }

  @Test
  void parseRefusesAnUnknownName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> ComponentCategory.parse("SOLAR_PANEL"));
    assertTrue(e.getMessage().contains("SOLAR_PANEL"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ComponentCategory.parse(""));
    assertThrows(IllegalArgumentException.class, () -> ComponentCategory.parse("CATEGORY_"));
    assertThrows(IllegalArgumentException.class, () -> ComponentCategory.parse("CATEGORY_X"));
  }
}
