package io.microgrid.dispatch.protocol.legacy;

import java.util.Map;
import java.util.OptionalInt;

/**
 * The component category numbers from before Dispatch API v1.1 (the common API v1's
 * ComponentCategory), for files written then: the same number means another category since
 * (10 was CHP and is ELECTROLYZER). Files that stored numbers map them here, so that a stored
 * target keeps its meaning. Plain numbers only: a package apart from the generated protocol
 * classes, so that a bundle reaching it (the scheduler) embeds no gRPC stub.
 */
public final class LegacyCategories {
  // v1 number -> v1alpha8 number. RELAY (11) and FUSE (13) have no counterpart, and a number v1
  // did not know has no meaning to carry over.
  private static final Map<Integer, Integer> V1_TO_V1ALPHA8 =
      Map.ofEntries(
          Map.entry(0, 0), // UNSPECIFIED
          Map.entry(1, 1), // GRID -> GRID_CONNECTION_POINT
          Map.entry(2, 2), // METER
          Map.entry(3, 3), // INVERTER
          Map.entry(4, 4), // CONVERTER
          Map.entry(5, 5), // BATTERY
          Map.entry(6, 6), // EV_CHARGER
          Map.entry(8, 14), // CRYPTO_MINER
          Map.entry(9, 10), // ELECTROLYZER
          Map.entry(10, 9), // CHP
          Map.entry(12, 8), // PRECHARGER
          Map.entry(14, 11)); // VOLTAGE_TRANSFORMER -> POWER_TRANSFORMER

  private LegacyCategories() {}

  /**
   * Returns the v1.1 number of the category a v1 number meant.
   *
   * @param v1Number a category number written before API v1.1
   * @return the number of the same category now, or empty when there is none
   */
  public static OptionalInt toV1alpha8(int v1Number) {
    Integer now = V1_TO_V1ALPHA8.get(v1Number);
    return now == null ? OptionalInt.empty() : OptionalInt.of(now);
  }

  /**
   * The refusal of a v1 category number without a counterpart.
   *
   * @param v1Number the number
   * @return the exception to throw
   */
  public static IllegalArgumentException noCounterpart(int v1Number) {
    return new IllegalArgumentException(
        "target category " + v1Number
            + " of the numbering before API v1.1 has no counterpart now");
  }
}
