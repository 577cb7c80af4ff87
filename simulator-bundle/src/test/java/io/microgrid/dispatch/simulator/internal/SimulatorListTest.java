package io.microgrid.dispatch.simulator.internal;

import static io.microgrid.dispatch.simulator.internal.Loopback.assertStatus;
import static io.microgrid.dispatch.simulator.internal.Loopback.newDispatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.microgrid.dispatch.api.ComponentCategory;
import io.microgrid.dispatch.api.ComponentType;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchQuery.SortField;
import io.microgrid.dispatch.api.DispatchQuery.SortOrder;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.protocol.DispatchFilter;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesRequest;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesResponse;
import io.microgrid.dispatch.protocol.MicrogridDispatchServiceGrpc.MicrogridDispatchServiceBlockingStub;
import io.microgrid.dispatch.protocol.SortOptions;
import io.microgrid.dispatch.protocol.common.PaginationParams;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every DispatchFilter field, the sort options and page tokens of ListMicrogridDispatches. */
class SimulatorListTest {
  private static final long MICROGRID = 3;

  private DispatchSimulator simulator;
  private DispatchConnection client;
  private ManagedChannel channel;
  private MicrogridDispatchServiceBlockingStub raw;

  // Created in setUp, in this order (ids 1..5); starts at base + 5h, 1h, 3h, 2h, 4h.
  private Dispatch idsOneOff;
  private Dispatch batteryRecurring;
  private Dispatch inactive;
  private Dispatch dryRun;
  private Dispatch infinite;
  private Instant base;

  @BeforeEach
  void start() throws Exception {
    simulator = DispatchSimulator.start(SimulatorOptions.builder().port(0).build());
    client = DispatchConnection.open(Loopback.clientOptions(simulator.port(), null));
    channel = Loopback.channel(simulator.port());
    raw = Loopback.stub(channel, null);

    base = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
    idsOneOff =
        client.create(
            MICROGRID,
            newDispatch("A", TargetComponents.ids(1, 2)).startTime(base.plus(hours(5))).build());
    batteryRecurring =
        client.create(
            MICROGRID,
            newDispatch("B", TargetComponents.categories(ComponentCategory.BATTERY))
                .startTime(base.plus(hours(1)))
                .recurrence(RecurrenceRule.builder(Frequency.DAILY).count(2).build())
                .build());
    inactive =
        client.create(
            MICROGRID,
            newDispatch("C", TargetComponents.ids(3))
                .startTime(base.plus(hours(3)))
                .active(false)
                .build());
    dryRun =
        client.create(
            MICROGRID,
            newDispatch("D", TargetComponents.categories(ComponentCategory.INVERTER, ComponentCategory.METER))
                .startTime(base.plus(hours(2)))
                .dryRun(true)
                .build());
    infinite =
        client.create(
            MICROGRID,
            newDispatch("E", TargetComponents.ids(2, 9))
                .startTime(base.plus(hours(4)))
                .infiniteDuration()
                .build());
    // Another microgrid's dispatch never shows up in MICROGRID's lists.
    client.create(MICROGRID + 1, newDispatch("A").build());
  }

  @AfterEach
  void stop() throws Exception {
    Loopback.close(channel);
    client.close();
    simulator.close();
  }

  private static Duration hours(int n) {
    return Duration.ofHours(n);
  }

  private List<Long> ids(Consumer<DispatchQuery.Builder> query) {
    DispatchQuery.Builder b = DispatchQuery.builder();
    query.accept(b);
    return client.list(MICROGRID, b.build()).map(Dispatch::id).toList();
  }

  @Test
  void withoutFilterEveryDispatchOfTheMicrogridByAscendingId() {
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids(q -> {}));
  }

  @Test
  void targetsMatchAnyGivenTargetByIdOrCategory() {
    assertEquals(List.of(1L, 5L), ids(q -> q.target(TargetComponents.ids(2))));
    assertEquals(List.of(1L, 3L), ids(q -> q.target(TargetComponents.ids(1)).target(TargetComponents.ids(3))));
    assertEquals(List.of(2L), ids(q -> q.target(TargetComponents.categories(ComponentCategory.BATTERY))));
    assertEquals(
        List.of(2L, 4L),
        ids(q -> q.target(TargetComponents.categories(ComponentCategory.METER, ComponentCategory.BATTERY))));
    // Ids and categories are different kinds of target: component 5 is no category.
    assertEquals(List.of(), ids(q -> q.target(TargetComponents.ids(5))));
    assertEquals(List.of(), ids(q -> q.target(TargetComponents.categories(ComponentCategory.GRID_CONNECTION_POINT))));
  }

  @Test
  void activeDryRunAndRecurringFilters() {
    assertEquals(List.of(1L, 2L, 4L, 5L), ids(q -> q.active(true)));
    assertEquals(List.of(inactive.id()), ids(q -> q.active(false)));
    assertEquals(List.of(dryRun.id()), ids(q -> q.dryRun(true)));
    assertEquals(List.of(1L, 2L, 3L, 5L), ids(q -> q.dryRun(false)));
    assertEquals(List.of(batteryRecurring.id()), ids(q -> q.recurring(true)));
    assertEquals(List.of(1L, 3L, 4L, 5L), ids(q -> q.recurring(false)));
    // All given criteria must hold.
    assertEquals(List.of(5L), ids(q -> q.active(true).recurring(false).dryRun(false).target(TargetComponents.ids(9))));
    // The placeholder RecurrenceFilter restricts nothing.
    ListMicrogridDispatchesResponse all =
        raw.listMicrogridDispatches(
            request()
                .setFilter(DispatchFilter.newBuilder().setFilter(DispatchFilter.RecurrenceFilter.getDefaultInstance()))
                .build());
    assertEquals(5, all.getDispatchesCount());
  }

  @Test
  void timeIntervalFilters() throws Exception {
    // Start time: from <= start < to (the v1.1 Interval's end is exclusive).
    assertEquals(List.of(4L), ids(q -> q.startFrom(base.plus(hours(2))).startTo(base.plus(hours(3)))));
    assertEquals(
        List.of(3L, 4L),
        ids(q -> q.startFrom(base.plus(hours(2))).startTo(base.plus(hours(3)).plusSeconds(1))));
    assertEquals(List.of(1L, 5L), ids(q -> q.startFrom(base.plus(hours(4)))));
    assertEquals(List.of(), ids(q -> q.startTo(base.plus(hours(1)))));
    assertEquals(List.of(2L), ids(q -> q.startTo(base.plus(hours(1)).plusSeconds(1))));

    // End time: one-offs end 15 minutes after their start; the daily one a day after its start
    // plus 15 minutes; the infinite one never, so it is after every bound and before none.
    Instant recurringEnd = base.plus(hours(25)).plus(Duration.ofMinutes(15));
    assertEquals(batteryRecurring.endTime().orElseThrow(), recurringEnd);
    assertEquals(List.of(2L, 5L), ids(q -> q.endFrom(base.plus(hours(6)))));
    assertEquals(List.of(1L, 3L, 4L), ids(q -> q.endTo(base.plus(hours(6)))));
    assertEquals(List.of(3L, 4L), ids(q -> q.endFrom(base.plus(hours(2))).endTo(base.plus(hours(4)))));

    // Update time: only what changed since a given instant.
    Instant afterCreation = client.get(MICROGRID, infinite.id()).updateTime();
    Dispatch touched =
        client.update(MICROGRID, idsOneOff.id(), DispatchUpdate.builder().active(false).build());
    assertTrue(touched.updateTime().compareTo(afterCreation) >= 0);
    assertTrue(ids(q -> q.updateFrom(touched.updateTime())).contains(idsOneOff.id()));
    assertEquals(List.of(idsOneOff.id()), ids(q -> q.updateFrom(touched.updateTime()).active(false).target(TargetComponents.ids(1))));
    assertFalse(ids(q -> q.updateTo(afterCreation.minusNanos(1))).contains(idsOneOff.id()));
  }

  @Test
  void dispatchIdsKeepOnlyThoseDispatches() {
    assertEquals(List.of(2L, 4L), ids(q -> q.dispatchIds(4, 2, 99)));
    // Combined with the other filters, all must hold.
    assertEquals(List.of(2L), ids(q -> q.dispatchIds(2, 4).dryRun(false)));
    assertEquals(List.of(), ids(q -> q.dispatchIds(99)));
  }

  @Test
  void textQueriesMatchAnIdByHashOrTheTypeBySubstringAnyOfThem() {
    // Types are A, B, C, D, E (ids 1..5); "#4" is id 4; OR-ed.
    assertEquals(List.of(4L), ids(q -> q.query("#4")));
    assertEquals(List.of(2L, 4L), ids(q -> q.query("#4").query("B")));
    // Not an id after '#': text, which no type contains.
    assertEquals(List.of(), ids(q -> q.query("#not_an_id")));
    // Case as given: "a" is no substring of "A".
    assertEquals(List.of(), ids(q -> q.query("a")));
    // Queries and ids both hold.
    assertEquals(List.of(), ids(q -> q.query("#4").dispatchIds(2)));
    assertEquals(List.of(2L), ids(q -> q.query("B").query("#4").dispatchIds(2)));
  }

  @Test
  void aTextQueryMatchesTypesContainingIt() {
    client.create(MICROGRID, newDispatch("foobar").build());
    client.create(MICROGRID, newDispatch("bar").build());
    client.create(MICROGRID, newDispatch("baz").build());
    assertEquals(List.of(7L, 8L), ids(q -> q.query("bar")));
    assertEquals(List.of(7L, 8L, 9L), ids(q -> q.query("ba")));
  }

  @Test
  void subtypeTargetsMatchTheSameCategoryAndSubtype() {
    Dispatch liIon =
        client.create(
            MICROGRID, newDispatch("S", TargetComponents.types(ComponentType.BATTERY_LI_ION)).build());
    assertEquals(List.of(liIon.id()), ids(q -> q.target(TargetComponents.types(ComponentType.BATTERY_LI_ION))));
    assertEquals(List.of(), ids(q -> q.target(TargetComponents.types(ComponentType.BATTERY_NA_ION))));
    // The whole category is another entry than one of its subtypes.
    assertEquals(List.of(2L), ids(q -> q.target(TargetComponents.categories(ComponentCategory.BATTERY))));
  }

  @Test
  void sortByEachFieldInBothOrders() {
    assertEquals(
        List.of(2L, 4L, 3L, 5L, 1L), ids(q -> q.sort(SortField.START_TIME, SortOrder.ASCENDING)));
    assertEquals(
        List.of(1L, 5L, 3L, 4L, 2L), ids(q -> q.sort(SortField.START_TIME, SortOrder.DESCENDING)));
    assertEquals(
        List.of(1L, 2L, 3L, 4L, 5L), ids(q -> q.sort(SortField.CREATE_TIME, SortOrder.ASCENDING)));
    assertEquals(
        List.of(5L, 4L, 3L, 2L, 1L), ids(q -> q.sort(SortField.CREATE_TIME, SortOrder.DESCENDING)));
    client.update(MICROGRID, 2, DispatchUpdate.builder().active(true).build());
    List<Long> byUpdate = ids(q -> q.sort(SortField.LAST_UPDATE_TIME, SortOrder.DESCENDING));
    assertEquals(2L, byUpdate.get(0));
    assertEquals(2L, ids(q -> q.sort(SortField.LAST_UPDATE_TIME, SortOrder.ASCENDING)).get(4));

    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        () -> raw.listMicrogridDispatches(
            request().setSortOptions(SortOptions.newBuilder().setSortFieldValue(42)).build()));
  }

  @Test
  void pageTokensWalkThreePages() {
    List<Long> seen = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String token = null;
    do {
      // As a v1.1 client asks: the size on the first page, then only the token.
      PaginationParams.Builder page =
          token == null
              ? PaginationParams.newBuilder().setPageSize(2)
              : PaginationParams.newBuilder().setPageToken(token);
      ListMicrogridDispatchesResponse response =
          raw.listMicrogridDispatches(
              request()
                  .setSortOptions(
                      SortOptions.newBuilder()
                          .setSortField(io.microgrid.dispatch.protocol.SortField.SORT_FIELD_START_TIME))
                  .setPaginationParams(page)
                  .build());
      assertEquals(5, response.getPaginationInfo().getTotalItems());
      pageSizes.add(response.getDispatchesCount());
      response.getDispatchesList().forEach(d -> seen.add(d.getMetadata().getDispatchId()));
      token =
          response.getPaginationInfo().hasNextPageToken()
              ? response.getPaginationInfo().getNextPageToken()
              : null;
    } while (token != null);
    assertEquals(List.of(2, 2, 1), pageSizes);
    assertEquals(List.of(2L, 4L, 3L, 5L, 1L), seen);

    // The client follows the tokens by itself.
    assertEquals(
        List.of(2L, 4L, 3L, 5L, 1L),
        ids(q -> q.sort(SortField.START_TIME, SortOrder.ASCENDING).pageSize(2)));
    // Filters apply before paging.
    assertEquals(List.of(1L, 2L, 4L, 5L), ids(q -> q.active(true).pageSize(1)));

    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        () -> raw.listMicrogridDispatches(
            request().setPaginationParams(PaginationParams.newBuilder().setPageToken("not-a-token")).build()));
  }

  @Test
  void aChangeBetweenPagesShowsInTheNextPageAndTheNextList() {
    ListMicrogridDispatchesRequest.Builder firstPage =
        request().setPaginationParams(PaginationParams.newBuilder().setPageSize(2));
    ListMicrogridDispatchesResponse first = raw.listMicrogridDispatches(firstPage.build());
    assertEquals(List.of(1L, 2L), idsOf(first));

    // The pages of one query are served from what it matched; a change must not be hidden by that.
    client.delete(MICROGRID, 3);
    ListMicrogridDispatchesResponse second =
        raw.listMicrogridDispatches(
            request()
                .setPaginationParams(
                    PaginationParams.newBuilder()
                        .setPageSize(2)
                        .setPageToken(first.getPaginationInfo().getNextPageToken()))
                .build());
    assertEquals(4, second.getPaginationInfo().getTotalItems());
    assertEquals(List.of(4L, 5L), idsOf(second));

    Dispatch added = client.create(MICROGRID, newDispatch("F").build());
    assertEquals(List.of(1L, 2L, 4L, 5L, added.id()), ids(q -> q.pageSize(2)));
  }

  private static List<Long> idsOf(ListMicrogridDispatchesResponse response) {
    return response.getDispatchesList().stream().map(d -> d.getMetadata().getDispatchId()).toList();
  }

  private static ListMicrogridDispatchesRequest.Builder request() {
    return ListMicrogridDispatchesRequest.newBuilder().setMicrogridId(MICROGRID);
  }
}
