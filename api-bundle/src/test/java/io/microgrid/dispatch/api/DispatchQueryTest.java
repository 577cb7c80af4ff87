package io.microgrid.dispatch.api;

import static io.microgrid.dispatch.api.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.microgrid.dispatch.api.DispatchQuery.SortField;
import io.microgrid.dispatch.api.DispatchQuery.SortOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class DispatchQueryTest {
  private static final Instant T1 = Instant.parse("2024-01-01T00:00:00Z");
  private static final Instant T2 = Instant.parse("2024-01-02T00:00:00Z");
  private static final Instant T3 = Instant.parse("2024-01-03T00:00:00Z");
  private static final Instant T4 = Instant.parse("2024-01-04T00:00:00Z");
  private static final Instant T5 = Instant.parse("2024-01-05T00:00:00Z");
  private static final Instant T6 = Instant.parse("2024-01-06T00:00:00Z");

  @Test
  void allMatchesEverything() {
    DispatchQuery q = DispatchQuery.ALL;
    assertEquals(List.of(), q.targets());
    assertEquals(Optional.empty(), q.active());
    assertEquals(Optional.empty(), q.dryRun());
    assertEquals(Optional.empty(), q.recurring());
    assertEquals(Optional.empty(), q.startFrom());
    assertEquals(Optional.empty(), q.startTo());
    assertEquals(Optional.empty(), q.endFrom());
    assertEquals(Optional.empty(), q.endTo());
    assertEquals(Optional.empty(), q.updateFrom());
    assertEquals(Optional.empty(), q.updateTo());
    assertEquals(Optional.empty(), q.sortField());
    assertEquals(Optional.empty(), q.sortOrder());
    assertEquals(OptionalInt.empty(), q.pageSize());
    assertEquals(DispatchQuery.ALL, DispatchQuery.builder().build());
  }

  @Test
  void builderPutsEveryValueInItsField() {
    TargetComponents a = TargetComponents.ids(1);
    TargetComponents b = TargetComponents.categories(ComponentCategory.METER);
    DispatchQuery q =
        DispatchQuery.builder()
            .target(a)
            .target(b)
            .active(true)
            .dryRun(false)
            .recurring(true)
            .startFrom(T1)
            .startTo(T2)
            .endFrom(T3)
            .endTo(T4)
            .updateFrom(T5)
            .updateTo(T6)
            .sort(SortField.LAST_UPDATE_TIME, SortOrder.DESCENDING)
            .pageSize(25)
            .build();
    assertEquals(List.of(a, b), q.targets());
    assertEquals(Optional.of(true), q.active());
    assertEquals(Optional.of(false), q.dryRun());
    assertEquals(Optional.of(true), q.recurring());
    assertEquals(Optional.of(T1), q.startFrom());
    assertEquals(Optional.of(T2), q.startTo());
    assertEquals(Optional.of(T3), q.endFrom());
    assertEquals(Optional.of(T4), q.endTo());
    assertEquals(Optional.of(T5), q.updateFrom());
    assertEquals(Optional.of(T6), q.updateTo());
    assertEquals(Optional.of(SortField.LAST_UPDATE_TIME), q.sortField());
    assertEquals(Optional.of(SortOrder.DESCENDING), q.sortOrder());
    assertEquals(OptionalInt.of(25), q.pageSize());
  }

  @Test
  void flagsCanAskForFalse() {
    DispatchQuery q = DispatchQuery.builder().active(false).dryRun(true).recurring(false).build();
    assertEquals(Optional.of(false), q.active());
    assertEquals(Optional.of(true), q.dryRun());
    assertEquals(Optional.of(false), q.recurring());
  }

  @Test
  void pageSizeMustBePositive() {
    assertRefused(
        IllegalArgumentException.class, "pageSize", () -> DispatchQuery.builder().pageSize(0).build());
    assertRefused(
        IllegalArgumentException.class, "pageSize", () -> DispatchQuery.builder().pageSize(-5).build());
    assertEquals(OptionalInt.of(1), DispatchQuery.builder().pageSize(1).build().pageSize());
  }

  @Test
  void targetsAreCopiedAndUnmodifiable() {
    List<TargetComponents> targets = new ArrayList<>(List.of(TargetComponents.ids(1)));
    DispatchQuery q =
        new DispatchQuery(
            targets, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), Optional.empty(), OptionalInt.empty());
    targets.add(TargetComponents.ids(2));
    assertEquals(List.of(TargetComponents.ids(1)), q.targets());
    assertThrows(UnsupportedOperationException.class, () -> q.targets().add(TargetComponents.ids(3)));
  }

  @Test
  void usingTheBuilderAfterBuildDoesNotChangeTheQuery() {
    DispatchQuery.Builder b = DispatchQuery.builder().target(TargetComponents.ids(1));
    DispatchQuery q = b.build();
    b.target(TargetComponents.ids(2)).pageSize(3);
    assertEquals(List.of(TargetComponents.ids(1)), q.targets());
    assertEquals(OptionalInt.empty(), q.pageSize());
  }

  @Test
  void builderRefusesANullTarget() {
    assertRefused(NullPointerException.class, "target", () -> DispatchQuery.builder().target(null));
  }

  @Test
  void constructorNullsAreRefusedNamingTheField() {
    String[] names = {
      "targets", "active", "dryRun", "recurring", "startFrom", "startTo", "endFrom", "endTo",
      "updateFrom", "updateTo", "sortField", "sortOrder", "pageSize"
    };
    for (int i = 0; i < names.length; i++) {
      Object[] args = {
        List.of(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty(), Optional.empty(), OptionalInt.empty()
      };
      args[i] = null;
      assertRefused(NullPointerException.class, names[i], () -> construct(args));
    }
  }

  @SuppressWarnings("unchecked")
  private static DispatchQuery construct(Object[] a) {
    return new DispatchQuery(
        (List<TargetComponents>) a[0],
        (Optional<Boolean>) a[1],
        (Optional<Boolean>) a[2],
        (Optional<Boolean>) a[3],
        (Optional<Instant>) a[4],
        (Optional<Instant>) a[5],
        (Optional<Instant>) a[6],
        (Optional<Instant>) a[7],
        (Optional<Instant>) a[8],
        (Optional<Instant>) a[9],
        (Optional<SortField>) a[10],
        (Optional<SortOrder>) a[11],
        (OptionalInt) a[12]);
  }

  @Test
  void idsAndTextQueriesAreKeptAsGiven() {
    DispatchQuery q =
        DispatchQuery.builder().dispatchIds(7, 3).dispatchIds(3).query("#4").query("bar").build();
    assertEquals(List.of(3L, 7L), new ArrayList<>(q.dispatchIds()));
    assertEquals(List.of("#4", "bar"), q.queries());
    assertEquals(List.of(), new ArrayList<>(DispatchQuery.ALL.dispatchIds()));
    assertEquals(List.of(), DispatchQuery.ALL.queries());
    assertThrows(UnsupportedOperationException.class, () -> q.queries().add("x"));
  }

  @Test
  void aNegativeIdOrAnEmptyQueryIsRefused() {
    assertRefused(
        IllegalArgumentException.class,
        "dispatchIds",
        () -> DispatchQuery.builder().dispatchIds(-1).build());
    assertRefused(
        IllegalArgumentException.class, "queries", () -> DispatchQuery.builder().query(" ").build());
  }
}
