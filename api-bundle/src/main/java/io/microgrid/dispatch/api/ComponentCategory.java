package io.microgrid.dispatch.api;

import java.util.Map;

/**
 * A kind of microgrid component, as numbered by the Frequenz common API v1alpha8
 * ({@code ElectricalComponentCategory}), which the Dispatch API speaks since v1.1.
 *
 * <p>The numbers differ from the earlier v1 {@code ComponentCategory}: 10 was CHP and is now
 * ELECTROLYZER, and RELAY, FUSE and VOLTAGE_TRANSFORMER are gone. A record of the number rather
 * than an enum, so that a category this version does not know yet is kept and sent back unchanged
 * instead of being dropped.
 *
 * @param number the category's number on the wire
 */
public record ComponentCategory(int number) implements Comparable<ComponentCategory> {
  /** Category not given. */
  public static final ComponentCategory UNSPECIFIED = new ComponentCategory(0);
  /** The point where the microgrid connects to the grid. */
  public static final ComponentCategory GRID_CONNECTION_POINT = new ComponentCategory(1);
  /** A meter. */
  public static final ComponentCategory METER = new ComponentCategory(2);
  /** An inverter. */
  public static final ComponentCategory INVERTER = new ComponentCategory(3);
  /** A DC-DC converter. */
  public static final ComponentCategory CONVERTER = new ComponentCategory(4);
  /** A battery. */
  public static final ComponentCategory BATTERY = new ComponentCategory(5);
  /** An EV charger. */
  public static final ComponentCategory EV_CHARGER = new ComponentCategory(6);
  /** A breaker. */
  public static final ComponentCategory BREAKER = new ComponentCategory(7);
  /** A precharger. */
  public static final ComponentCategory PRECHARGER = new ComponentCategory(8);
  /** A combined heat and power plant. */
  public static final ComponentCategory CHP = new ComponentCategory(9);
  /** An electrolyzer. */
  public static final ComponentCategory ELECTROLYZER = new ComponentCategory(10);
  /** A power transformer. */
  public static final ComponentCategory POWER_TRANSFORMER = new ComponentCategory(11);
  /** Heating, ventilation and air conditioning. */
  public static final ComponentCategory HVAC = new ComponentCategory(12);
  /** A programmable logic controller. */
  public static final ComponentCategory PLC = new ComponentCategory(13);
  /** A crypto miner. */
  public static final ComponentCategory CRYPTO_MINER = new ComponentCategory(14);
  /** A static transfer switch. */
  public static final ComponentCategory STATIC_TRANSFER_SWITCH = new ComponentCategory(15);
  /** An uninterruptible power supply. */
  public static final ComponentCategory UNINTERRUPTIBLE_POWER_SUPPLY = new ComponentCategory(16);
  /** A capacitor bank. */
  public static final ComponentCategory CAPACITOR_BANK = new ComponentCategory(17);
  /** A wind turbine. */
  public static final ComponentCategory WIND_TURBINE = new ComponentCategory(18);
  /** A steam boiler. */
  public static final ComponentCategory STEAM_BOILER = new ComponentCategory(19);
  /**
   * The grid connection point, under its name before v1.1.
   *
   * @deprecated use {@link #GRID_CONNECTION_POINT}, the same category
   */
  @Deprecated
  public static final ComponentCategory GRID = GRID_CONNECTION_POINT;

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(0, "UNSPECIFIED"),
          Map.entry(1, "GRID_CONNECTION_POINT"),
          Map.entry(2, "METER"),
          Map.entry(3, "INVERTER"),
          Map.entry(4, "CONVERTER"),
          Map.entry(5, "BATTERY"),
          Map.entry(6, "EV_CHARGER"),
          Map.entry(7, "BREAKER"),
          Map.entry(8, "PRECHARGER"),
          Map.entry(9, "CHP"),
          Map.entry(10, "ELECTROLYZER"),
          Map.entry(11, "POWER_TRANSFORMER"),
          Map.entry(12, "HVAC"),
          Map.entry(13, "PLC"),
          Map.entry(14, "CRYPTO_MINER"),
          Map.entry(15, "STATIC_TRANSFER_SWITCH"),
          Map.entry(16, "UNINTERRUPTIBLE_POWER_SUPPLY"),
          Map.entry(17, "CAPACITOR_BANK"),
          Map.entry(18, "WIND_TURBINE"),
          Map.entry(19, "STEAM_BOILER"));

  /**
   * Looks a category up by name, as {@link #name()} prints it.
   *
   * @param name a known name such as {@code BATTERY}, {@code CATEGORY_<number>}, or a number;
   *     {@code GRID} is read as {@code GRID_CONNECTION_POINT}, its name before v1.1
   * @return the category
   * @throws IllegalArgumentException for an unknown name
   */
  public static ComponentCategory parse(String name) {
    String wanted = name.trim().toUpperCase(java.util.Locale.ROOT);
    if (wanted.equals("GRID")) {
      return GRID_CONNECTION_POINT;
    }
    for (Map.Entry<Integer, String> e : NAMES.entrySet()) {
      if (e.getValue().equals(wanted)) {
        return new ComponentCategory(e.getKey());
      }
    }
    String number =
        wanted.startsWith("CATEGORY_") ? wanted.substring("CATEGORY_".length()) : wanted;
    try {
      return new ComponentCategory(Integer.parseInt(number));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("unknown component category: " + name);
    }
  }

  /**
   * Returns whether this version of the API knows the category's name.
   *
   * @return true for a known category
   */
  public boolean isKnown() {
    return NAMES.containsKey(number);
  }

  /**
   * Returns the category's name, or {@code CATEGORY_<number>} for one this version does not know.
   *
   * @return the name
   */
  public String name() {
    return NAMES.getOrDefault(number, "CATEGORY_" + number);
  }

  @Override
  public int compareTo(ComponentCategory other) {
    return Integer.compare(number, other.number);
  }

  @Override
  public String toString() {
    return name();
  }
}
