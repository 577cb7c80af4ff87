package io.microgrid.dispatch.api;

import static io.microgrid.dispatch.api.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class TargetComponentsTest {

  @Test
  void idsAreSortedAndDeduplicated() {
    TargetComponents.Ids t = TargetComponents.ids(5, 3, 5, 1, 3);
    assertEquals(List.of(1L, 3L, 5L), new ArrayList<>(t.ids()));
    assertEquals(1L, t.ids().first());
    assertEquals(5L, t.ids().last());
  }

  @Test
  void idsFromACollectionAreSortedAndDeduplicated() {
    TargetComponents.Ids t = new TargetComponents.Ids(List.of(9L, 2L, 9L));
    assertEquals(List.of(2L, 9L), new ArrayList<>(t.ids()));
  }

  @Test
  void idsFromAReverseOrderedSetAreSortedAscending() {
    SortedSet<Long> reversed = new TreeSet<>(Comparator.reverseOrder());
    reversed.addAll(List.of(1L, 3L, 2L));
    TargetComponents.Ids t = new TargetComponents.Ids(reversed);
    assertEquals(List.of(1L, 2L, 3L), new ArrayList<>(t.ids()));
    assertEquals(TargetComponents.ids(1, 2, 3), t);
  }

  @Test
  void zeroAndLargeIdsAreAccepted() {
    assertEquals(
        List.of(0L, Long.MAX_VALUE),
        new ArrayList<>(TargetComponents.ids(Long.MAX_VALUE, 0).ids()));
  }

  @Test
  void anEmptyIdSetIsKept() {
    assertEquals(0, TargetComponents.ids().ids().size());
  }

  @Test
  void negativeIdsAreRefusedNamingTargetIds() {
    assertRefused(IllegalArgumentException.class, "target.ids", () -> TargetComponents.ids(-1));
    assertRefused(
        IllegalArgumentException.class, "target.ids", () -> TargetComponents.ids(4, -2, 7));
    assertRefused(
        IllegalArgumentException.class,
        "target.ids",
        () -> new TargetComponents.Ids(List.of(3L, Long.MIN_VALUE)));
  }

  @Test
  void aNegativeIdIsRefusedWhateverTheOrderOfTheGivenSet() {
    SortedSet<Long> reversed = new TreeSet<>(Comparator.reverseOrder());
    reversed.addAll(List.of(5L, -1L));
    assertRefused(
        IllegalArgumentException.class, "target.ids", () -> new TargetComponents.Ids(reversed));
  }

  @Test
  void idsAreCopiedAndUnmodifiable() {
    List<Long> list = new ArrayList<>(List.of(1L, 2L));
    TargetComponents.Ids fromList = new TargetComponents.Ids(list);
    list.add(3L);
    assertEquals(List.of(1L, 2L), new ArrayList<>(fromList.ids()));

    TreeSet<Long> set = new TreeSet<>(List.of(1L, 2L));
    TargetComponents.Ids fromSet = new TargetComponents.Ids(set);
    set.add(-7L);
    set.remove(1L);
    assertEquals(List.of(1L, 2L), new ArrayList<>(fromSet.ids()));

    assertThrows(UnsupportedOperationException.class, () -> fromSet.ids().add(-1L));
    assertThrows(UnsupportedOperationException.class, () -> fromSet.ids().clear());
    assertThrows(UnsupportedOperationException.class, () -> fromSet.ids().headSet(2L).clear());
  }

  @Test
  void idTargetsAreEqualBySet() {
    assertEquals(TargetComponents.ids(1, 2), TargetComponents.ids(2, 1, 1));
    assertEquals(TargetComponents.ids(1, 2).hashCode(), TargetComponents.ids(2, 1).hashCode());
    assertNotEquals(TargetComponents.ids(1, 2), TargetComponents.ids(1, 2, 3));
    assertNotEquals(
        TargetComponents.ids(1), TargetComponents.categories(new ComponentCategory(1)));
  }

  @Test
  void categoriesAreSortedByNumberAndDeduplicatedKeepingUnknownOnes() {
    ComponentCategory unknown = new ComponentCategory(42);
    TargetComponents.Categories t =
        TargetComponents.categories(
            unknown, ComponentCategory.BATTERY, ComponentCategory.INVERTER,
            ComponentCategory.BATTERY, new ComponentCategory(42));
    assertEquals(
        List.of(ComponentCategory.INVERTER, ComponentCategory.BATTERY, unknown),
        new ArrayList<>(t.categories()));
    ComponentCategory kept = t.categories().last();
    assertEquals(42, kept.number());
    assertFalse(kept.isKnown());
  }

  @Test
  void categoriesFromAReverseOrderedSetAreSortedByNumber() {
    SortedSet<ComponentCategory> reversed = new TreeSet<>(Comparator.reverseOrder());
    reversed.addAll(List.of(ComponentCategory.GRID_CONNECTION_POINT, ComponentCategory.CHP, ComponentCategory.METER));
    assertEquals(
        List.of(ComponentCategory.GRID_CONNECTION_POINT, ComponentCategory.METER, ComponentCategory.CHP),
        new ArrayList<>(new TargetComponents.Categories(reversed).categories()));
  }

  @Test
  void categoriesAreCopiedAndUnmodifiable() {
    List<ComponentCategory> list = new ArrayList<>(List.of(ComponentCategory.METER));
    TargetComponents.Categories t = new TargetComponents.Categories(list);
    list.add(ComponentCategory.GRID_CONNECTION_POINT);
    assertEquals(List.of(ComponentCategory.METER), new ArrayList<>(t.categories()));
    assertThrows(
        UnsupportedOperationException.class, () -> t.categories().add(ComponentCategory.PLC));
  }

  @Test
  void categoryTargetsAreEqualBySet() {
    assertEquals(
        TargetComponents.categories(ComponentCategory.BATTERY, new ComponentCategory(99)),
        TargetComponents.categories(new ComponentCategory(99), new ComponentCategory(5)));
    assertNotEquals(
        TargetComponents.categories(ComponentCategory.BATTERY),
        TargetComponents.categories(ComponentCategory.BATTERY, ComponentCategory.INVERTER));
  }

  @Test
  void aCategoryTargetMayNameSubtypesNextToWholeCategories() {
    TargetComponents.Categories t =
        new TargetComponents.Categories(
            List.of(ComponentCategory.STEAM_BOILER),
            List.of(ComponentType.INVERTER_PV, ComponentType.BATTERY_LI_ION));
    assertEquals(List.of(ComponentCategory.STEAM_BOILER), new ArrayList<>(t.categories()));
    assertEquals(
        List.of(ComponentType.INVERTER_PV, ComponentType.BATTERY_LI_ION), new ArrayList<>(t.types()));
    assertEquals(
        TargetComponents.types(ComponentType.EV_CHARGER_DC),
        new TargetComponents.Categories(List.of(), List.of(ComponentType.EV_CHARGER_DC)));
    assertNotEquals(
        TargetComponents.types(ComponentType.BATTERY_LI_ION),
        TargetComponents.categories(ComponentCategory.BATTERY));
    assertThrows(
        UnsupportedOperationException.class, () -> t.types().add(ComponentType.EV_CHARGER_AC));
  }
}
