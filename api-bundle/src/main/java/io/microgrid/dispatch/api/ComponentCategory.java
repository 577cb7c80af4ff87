package io.microgrid.dispatch.api;

import java.util.Map;

/**
 * A kind of microgrid component, as numbered by the Frequenz common API.
 *
 * <p>A record of the number rather than an enum, so that a category this version does not know
 * yet is kept and sent back unchanged instead of being dropped.
 *
 * @param number the category's number on the wire
 */
public record ComponentCategory(int number) implements Comparable<ComponentCategory> {
  /** Category not given. */
  public static final ComponentCategory UNSPECIFIED = new ComponentCategory(0);
  /** The grid connection point. */
  public static final ComponentCategory GRID = new ComponentCategory(1);
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
  /** A crypto miner. */
  public static final ComponentCategory CRYPTO_MINER = new ComponentCategory(8);
  /** An electrolyzer. */
  public static final ComponentCategory ELECTROLYZER = new ComponentCategory(9);
  /** A combined heat and power plant. */
  public static final ComponentCategory CHP = new ComponentCategory(10);
  /** A relay. */
  public static final ComponentCategory RELAY = new ComponentCategory(11);
  /** A precharger. */
  public static final ComponentCategory PRECHARGER = new ComponentCategory(12);
  /** A fuse. */
  public static final ComponentCategory FUSE = new ComponentCategory(13);
  /** A voltage transformer. */
  public static final ComponentCategory VOLTAGE_TRANSFORMER = new ComponentCategory(14);

  private static final Map<Integer, String> NAMES =
      Map.ofEntries(
          Map.entry(0, "UNSPECIFIED"),
          Map.entry(1, "GRID"),
          Map.entry(2, "METER"),
          Map.entry(3, "INVERTER"),
          Map.entry(4, "CONVERTER"),
          Map.entry(5, "BATTERY"),
          Map.entry(6, "EV_CHARGER"),
          Map.entry(8, "CRYPTO_MINER"),
          Map.entry(9, "ELECTROLYZER"),
          Map.entry(10, "CHP"),
          Map.entry(11, "RELAY"),
          Map.entry(12, "PRECHARGER"),
          Map.entry(13, "FUSE"),
          Map.entry(14, "VOLTAGE_TRANSFORMER"));

  /**
   * Looks a category up by name, as {@link #name()} prints it.
   *
   * @param name a known name such as {@code BATTERY}, {@code CATEGORY_<number>}, or a number
   * @return the category
   * @throws IllegalArgumentException for an unknown name
   */
  public static ComponentCategory parse(String name) {
    String wanted = name.trim().toUpperCase(java.util.Locale.ROOT);
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
