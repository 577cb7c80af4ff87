package io.microgrid.dispatch.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ComponentTypeTest {

  @Test
  void constantsCarryTheV1alpha8Numbers() {
    assertEquals(1, ComponentType.BATTERY_LI_ION.number());
    assertEquals(2, ComponentType.BATTERY_NA_ION.number());
    assertEquals(1, ComponentType.INVERTER_BATTERY.number());
    assertEquals(2, ComponentType.INVERTER_PV.number());
    assertEquals(3, ComponentType.INVERTER_HYBRID.number());
    assertEquals(1, ComponentType.EV_CHARGER_AC.number());
    assertEquals(2, ComponentType.EV_CHARGER_DC.number());
    assertEquals(3, ComponentType.EV_CHARGER_HYBRID.number());
    assertEquals(ComponentCategory.EV_CHARGER, ComponentType.EV_CHARGER_DC.category());
  }

  @Test
  void printsAndParsesAsAnOperatorTypesIt() {
    assertEquals("BATTERY:LI_ION", ComponentType.BATTERY_LI_ION.toString());
    assertEquals("INVERTER:PV", ComponentType.INVERTER_PV.toString());
    assertEquals("EV_CHARGER:DC", ComponentType.EV_CHARGER_DC.toString());
    assertEquals(ComponentType.BATTERY_LI_ION, ComponentType.parse(ComponentCategory.BATTERY, "li_ion"));
    assertEquals(ComponentType.INVERTER_PV, ComponentType.parse(ComponentCategory.INVERTER, "PV"));
    assertEquals(ComponentType.EV_CHARGER_AC, ComponentType.parse(ComponentCategory.EV_CHARGER, "1"));
  }

  @Test
  void anUnknownSubtypeIsKept() {
    ComponentType nine = new ComponentType(ComponentCategory.BATTERY, 9);
    assertFalse(nine.isKnown());
    assertEquals("BATTERY:TYPE_9", nine.toString());
    assertEquals(nine, ComponentType.parse(ComponentCategory.BATTERY, "TYPE_9"));
    assertTrue(ComponentType.BATTERY_NA_ION.isKnown());
  }

  @Test
  void onlyBatteriesInvertersAndEvChargersHaveSubtypes() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new ComponentType(ComponentCategory.METER, 1));
    assertTrue(e.getMessage().contains("METER"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> ComponentType.parse(ComponentCategory.STEAM_BOILER, "LI_ION"));
    IllegalArgumentException unknown =
        assertThrows(
            IllegalArgumentException.class,
            () -> ComponentType.parse(ComponentCategory.INVERTER, "SOLAR"));
    assertTrue(unknown.getMessage().contains("PV"), unknown.getMessage());
  }

  @Test
  void orderIsByCategoryThenSubtype() {
    assertTrue(ComponentType.INVERTER_HYBRID.compareTo(ComponentType.BATTERY_LI_ION) < 0);
    assertTrue(ComponentType.BATTERY_LI_ION.compareTo(ComponentType.BATTERY_NA_ION) < 0);
  }
}
