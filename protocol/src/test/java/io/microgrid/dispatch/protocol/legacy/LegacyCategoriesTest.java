package io.microgrid.dispatch.protocol.legacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class LegacyCategoriesTest {

  @Test
  void everyV1CategoryMapsToTheSameCategoryOrToNone() {
    // v1: GRID 1, METER 2, INVERTER 3, CONVERTER 4, BATTERY 5, EV_CHARGER 6, CRYPTO_MINER 8,
    // ELECTROLYZER 9, CHP 10, RELAY 11, PRECHARGER 12, FUSE 13, VOLTAGE_TRANSFORMER 14.
    int[][] same = {{0, 0}, {1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {6, 6}, {8, 14}, {9, 10},
        {10, 9}, {12, 8}, {14, 11}};
    for (int[] pair : same) {
      assertEquals(OptionalInt.of(pair[1]), LegacyCategories.toV1alpha8(pair[0]), "v1 " + pair[0]);
    }
    for (int none : new int[] {7, 11, 13, 15, 99}) {
      assertEquals(OptionalInt.empty(), LegacyCategories.toV1alpha8(none), "v1 " + none);
    }
  }

  @Test
  void theRefusalNamesTheNumber() {
    assertTrue(LegacyCategories.noCounterpart(11).getMessage().contains("11"));
  }
}
