package io.microgrid.dispatch.api;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A subtype of a component category, which a target may name to narrow a category (since API
 * v1.1): a type of battery, of inverter or of EV charger, numbered as the Frequenz common API
 * v1alpha8 numbers {@code BatteryType}, {@code InverterType} and {@code EvChargerType}.
 *
 * <p>A record of the numbers rather than an enum, so that a subtype this version does not know
 * yet is kept and sent back unchanged instead of being dropped.
 *
 * @param category the category the subtype belongs to: {@link ComponentCategory#BATTERY}, {@link
 *     ComponentCategory#INVERTER} or {@link ComponentCategory#EV_CHARGER}, the only ones the API
 *     has subtypes for
 * @param number the subtype's number on the wire, within its category
 */
public record ComponentType(ComponentCategory category, int number)
    implements Comparable<ComponentType> {

  // Per category, the subtype names by number; 0 is each enum's UNSPECIFIED. First, as the
  // constants below are checked against it when the class is initialised.
  private static final Map<ComponentCategory, Map<Integer, String>> NAMES =
      Map.of(
          ComponentCategory.BATTERY, Map.of(0, "UNSPECIFIED", 1, "LI_ION", 2, "NA_ION"),
          ComponentCategory.INVERTER,
              Map.of(0, "UNSPECIFIED", 1, "BATTERY", 2, "PV", 3, "HYBRID"),
          ComponentCategory.EV_CHARGER, Map.of(0, "UNSPECIFIED", 1, "AC", 2, "DC", 3, "HYBRID"));

  /** A lithium-ion battery. */
  public static final ComponentType BATTERY_LI_ION = new ComponentType(ComponentCategory.BATTERY, 1);
  /** A sodium-ion battery. */
  public static final ComponentType BATTERY_NA_ION = new ComponentType(ComponentCategory.BATTERY, 2);
  /** A battery inverter. */
  public static final ComponentType INVERTER_BATTERY =
      new ComponentType(ComponentCategory.INVERTER, 1);
  /** A photovoltaic inverter. */
  public static final ComponentType INVERTER_PV = new ComponentType(ComponentCategory.INVERTER, 2);
  /** A hybrid (battery and PV) inverter. */
  public static final ComponentType INVERTER_HYBRID =
      new ComponentType(ComponentCategory.INVERTER, 3);
  /** An AC EV charger. */
  public static final ComponentType EV_CHARGER_AC = new ComponentType(ComponentCategory.EV_CHARGER, 1);
  /** A DC EV charger. */
  public static final ComponentType EV_CHARGER_DC = new ComponentType(ComponentCategory.EV_CHARGER, 2);
  /** A hybrid (AC and DC) EV charger. */
  public static final ComponentType EV_CHARGER_HYBRID =
      new ComponentType(ComponentCategory.EV_CHARGER, 3);

  /**
   * Checks that the category has subtypes.
   *
   * @throws IllegalArgumentException for a category without subtypes
   */
  public ComponentType {
    Objects.requireNonNull(category, "category");
    if (!hasTypes(category)) {
      throw new IllegalArgumentException(
          "target: category " + category + " has no subtypes (only BATTERY, INVERTER, EV_CHARGER)");
    }
  }

  /**
   * Returns whether a category has subtypes.
   *
   * @param category a category
   * @return true for BATTERY, INVERTER and EV_CHARGER
   */
  public static boolean hasTypes(ComponentCategory category) {
    return NAMES.containsKey(category);
  }

  /**
   * Looks a subtype up by name, as {@link #name()} prints it.
   *
   * @param category the category
   * @param name a known name such as {@code LI_ION}, {@code TYPE_<number>}, or a number
   * @return the subtype
   * @throws IllegalArgumentException for an unknown name or a category without subtypes
   */
  public static ComponentType parse(ComponentCategory category, String name) {
    if (!hasTypes(category)) {
      throw new IllegalArgumentException(
          "category " + category + " has no subtypes (only BATTERY, INVERTER, EV_CHARGER)");
    }
    String wanted = name.trim().toUpperCase(Locale.ROOT);
    for (Map.Entry<Integer, String> e : NAMES.get(category).entrySet()) {
      if (e.getValue().equals(wanted)) {
        return new ComponentType(category, e.getKey());
      }
    }
    String number = wanted.startsWith("TYPE_") ? wanted.substring("TYPE_".length()) : wanted;
    try {
      return new ComponentType(category, Integer.parseInt(number));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "unknown " + category + " type: " + name + " (known: "
              + String.join(", ", new java.util.TreeSet<>(NAMES.get(category).values())) + ")");
    }
  }

  /**
   * Returns whether this version of the API knows the subtype's name.
   *
   * @return true for a known subtype
   */
  public boolean isKnown() {
    return NAMES.get(category).containsKey(number);
  }

  /**
   * Returns the subtype's name within its category ({@code LI_ION}), or {@code TYPE_<number>} for
   * one this version does not know.
   *
   * @return the name
   */
  public String name() {
    return NAMES.get(category).getOrDefault(number, "TYPE_" + number);
  }

  @Override
  public int compareTo(ComponentType other) {
    int byCategory = category.compareTo(other.category);
    return byCategory != 0 ? byCategory : Integer.compare(number, other.number);
  }

  /** Returns category and subtype as an operator types them: {@code BATTERY:LI_ION}. */
  @Override
  public String toString() {
    return category.name() + ":" + name();
  }
}
