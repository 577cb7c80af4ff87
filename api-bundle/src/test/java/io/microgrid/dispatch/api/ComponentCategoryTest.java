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

  /**
   * The numbers of frequenz.api.common.v1alpha8.microgrid.electrical_components
   * .ElectricalComponentCategory, which the Dispatch API carries since v1.1.
   */
  private static final Map<Integer, String> WIRE = new LinkedHashMap<>();

  static {
    WIRE.put(0, "UNSPECIFIED");
    WIRE.put(1, "GRID_CONNECTION_POINT");
    WIRE.put(2, "METER");
    WIRE.put(3, "INVERTER");
    WIRE.put(4, "CONVERTER");
    WIRE.put(5, "BATTERY");
    WIRE.put(6, "EV_CHARGER");
    WIRE.put(7, "BREAKER");
    WIRE.put(8, "PRECHARGER");
    WIRE.put(9, "CHP");
    WIRE.put(10, "ELECTROLYZER");
    WIRE.put(11, "POWER_TRANSFORMER");
    WIRE.put(12, "HVAC");
    WIRE.put(13, "PLC");
    WIRE.put(14, "CRYPTO_MINER");
    WIRE.put(15, "STATIC_TRANSFER_SWITCH");
    WIRE.put(16, "UNINTERRUPTIBLE_POWER_SUPPLY");
    WIRE.put(17, "CAPACITOR_BANK");
    WIRE.put(18, "WIND_TURBINE");
    WIRE.put(19, "STEAM_BOILER");
  }

  @Test
  void constantsCarryTheV1alpha8Numbers() {
    assertEquals(0, ComponentCategory.UNSPECIFIED.number());
    assertEquals(1, ComponentCategory.GRID_CONNECTION_POINT.number());
    assertEquals(2, ComponentCategory.METER.number());
    assertEquals(3, ComponentCategory.INVERTER.number());
    assertEquals(4, ComponentCategory.CONVERTER.number());
    assertEquals(5, ComponentCategory.BATTERY.number());
    assertEquals(6, ComponentCategory.EV_CHARGER.number());
    assertEquals(7, ComponentCategory.BREAKER.number());
    assertEquals(8, ComponentCategory.PRECHARGER.number());
    assertEquals(9, ComponentCategory.CHP.number());
    assertEquals(10, ComponentCategory.ELECTROLYZER.number());
    assertEquals(11, ComponentCategory.POWER_TRANSFORMER.number());
    assertEquals(12, ComponentCategory.HVAC.number());
    assertEquals(13, ComponentCategory.PLC.number());
    assertEquals(14, ComponentCategory.CRYPTO_MINER.number());
    assertEquals(15, ComponentCategory.STATIC_TRANSFER_SWITCH.number());
    assertEquals(16, ComponentCategory.UNINTERRUPTIBLE_POWER_SUPPLY.number());
    assertEquals(17, ComponentCategory.CAPACITOR_BANK.number());
    assertEquals(18, ComponentCategory.WIND_TURBINE.number());
    assertEquals(19, ComponentCategory.STEAM_BOILER.number());
  }

  @Test
  void theNumberTenIsNowAnElectrolyzerAndNineAChp() {
    // The numbering changed with v1.1: a category target written with the old numbers means
    // another category now.
    assertEquals("ELECTROLYZER", new ComponentCategory(10).name());
    assertEquals("CHP", new ComponentCategory(9).name());
  }

  @Test
  void gridIsReadAsTheGridConnectionPoint() {
    assertEquals(ComponentCategory.GRID_CONNECTION_POINT, ComponentCategory.parse("grid"));
    assertEquals("GRID_CONNECTION_POINT", ComponentCategory.GRID_CONNECTION_POINT.name());
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
    ComponentCategory unknown77 = new ComponentCategory(77);
    assertFalse(unknown77.isKnown());
    assertEquals(77, unknown77.number());
    assertEquals("CATEGORY_77", unknown77.name());
    assertEquals("CATEGORY_77", unknown77.toString());
    ComponentCategory big = new ComponentCategory(1000);
    assertFalse(big.isKnown());
    assertEquals("CATEGORY_1000", big.name());
  }

  @Test
  void equalityIsByNumber() {
    assertEquals(new ComponentCategory(77), new ComponentCategory(77));
    assertEquals(new ComponentCategory(77).hashCode(), new ComponentCategory(77).hashCode());
    assertNotEquals(new ComponentCategory(77), new ComponentCategory(150));
    assertEquals(ComponentCategory.BATTERY, new ComponentCategory(5));
  }

  @Test
  void orderIsByNumber() {
    List<ComponentCategory> list =
        new ArrayList<>(
            List.of(new ComponentCategory(20), ComponentCategory.CHP, ComponentCategory.GRID_CONNECTION_POINT));
    list.sort(null);
    assertEquals(
        List.of(ComponentCategory.GRID_CONNECTION_POINT, ComponentCategory.CHP, new ComponentCategory(20)), list);
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
    assertEquals(new ComponentCategory(77), ComponentCategory.parse("category_77"));
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
