package io.microgrid.dispatch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.ComponentCategory;
import io.microgrid.dispatch.api.ComponentType;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import io.microgrid.dispatch.protocol.CreateMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.DispatchData;
import io.microgrid.dispatch.protocol.DispatchMetadata;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesRequest;
import io.microgrid.dispatch.protocol.common.PaginationParams;
import io.microgrid.dispatch.protocol.types.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the client puts on the wire for the fields of API v1.1, and what it reads back, against the
 * loopback test server (the project's one server core) that records every request message.
 */
class DispatchWireV11Test {
  private static final String KEY = "wire-key";
  private static final long MICROGRID = 11;

  private DispatchTestServer server;
  private DispatchConnection client;

  @BeforeEach
  void start() throws Exception {
    server = DispatchTestServer.start(KEY);
    client = DispatchConnection.open(DispatchConnectionTest.options(server, KEY));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  private Dispatch create(String type, TargetComponents target) {
    return client.create(
        MICROGRID,
        NewDispatch.builder(type, target)
            .startTime(Instant.now().plus(Duration.ofHours(1)))
            .duration(Duration.ofMinutes(5))
            .build());
  }

  @Test
  void aListSendsThePageSizeFirstAndThenOnlyTheToken() {
    for (int i = 0; i < 5; i++) {
      create("T" + i, TargetComponents.ids(i));
    }
    server.clearCalls();
    List<Long> ids =
        client.list(MICROGRID, DispatchQuery.builder().pageSize(2).build()).map(Dispatch::id).toList();
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), ids);

    List<ListMicrogridDispatchesRequest> sent = server.requests(ListMicrogridDispatchesRequest.class);
    assertEquals(3, sent.size());
    PaginationParams first = sent.get(0).getPaginationParams();
    assertEquals(PaginationParams.ParamsCase.PAGE_SIZE, first.getParamsCase());
    assertEquals(2, first.getPageSize());
    for (ListMicrogridDispatchesRequest later : sent.subList(1, 3)) {
      assertEquals(PaginationParams.ParamsCase.PAGE_TOKEN, later.getPaginationParams().getParamsCase());
      assertFalse(later.getPaginationParams().getPageToken().isEmpty());
    }
  }

  @Test
  void aListSendsIdsAndTextQueriesAndGetsWhatTheyMatch() {
    create("solar-peak", TargetComponents.ids(1));
    create("battery-charge", TargetComponents.ids(1));
    create("other", TargetComponents.ids(1));
    server.clearCalls();
    DispatchQuery query = DispatchQuery.builder().dispatchIds(1, 2).query("#1").query("charge").build();
    assertEquals(List.of(1L, 2L), client.list(MICROGRID, query).map(Dispatch::id).toList());
    ListMicrogridDispatchesRequest sent = server.requests(ListMicrogridDispatchesRequest.class).get(0);
    assertEquals(List.of(1L, 2L), sent.getFilter().getDispatchIdsList());
    assertEquals(List.of("#1", "charge"), sent.getFilter().getQueriesList());
    System.out.println("A list with ids and a query, as sent:\n" + sent);
  }

  @Test
  void aCreateThatStartsNowSendsStartImmediatelyAndNoStartTime() {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Dispatch d =
        client.create(
            MICROGRID,
            NewDispatch.builder("NOW", TargetComponents.ids(1)).duration(Duration.ofMinutes(5)).build());
    assertFalse(d.startTime().isBefore(before));
    CreateMicrogridDispatchRequest sent = server.requests(CreateMicrogridDispatchRequest.class).get(0);
    assertTrue(sent.hasStartImmediately() && sent.getStartImmediately());
    assertFalse(sent.getDispatchData().hasStartTime());
    System.out.println("A create that starts now, as sent:\n" + sent);
  }

  @Test
  void aCategoryTargetWithASubtypeIsSentAsCategoriesWithTypes() {
    TargetComponents target = TargetComponents.types(ComponentType.BATTERY_LI_ION);
    Dispatch d = create("SUB", target);
    assertEquals(target, d.target());
    CreateMicrogridDispatchRequest sent = server.requests(CreateMicrogridDispatchRequest.class).get(0);
    var written = sent.getDispatchData().getTarget();
    assertEquals(
        io.microgrid.dispatch.protocol.TargetComponents.ComponentsCase.COMPONENT_CATEGORIES_TYPES,
        written.getComponentsCase());
    var entry = written.getComponentCategoriesTypes().getCategories(0);
    assertEquals(5, entry.getCategoryValue());
    assertEquals(1, entry.getBatteryValue());
    System.out.println("A category target with a subtype, as sent:\n" + sent);
  }

  /** A dispatch as a server might hold it, starting in an hour, for five minutes. */
  private static io.microgrid.dispatch.protocol.Dispatch.Builder stored(long id) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    return io.microgrid.dispatch.protocol.Dispatch.newBuilder()
        .setMetadata(
            DispatchMetadata.newBuilder()
                .setDispatchId(id)
                .setCreateTime(Timestamps.of(now))
                .setUpdateTime(Timestamps.of(now)))
        .setData(
            DispatchData.newBuilder()
                .setType("FROM_SERVER")
                .setStartTime(Timestamps.of(now.plus(Duration.ofHours(1))))
                .setDuration(300)
                .setIsActive(true));
  }

  private static io.microgrid.dispatch.protocol.TargetComponents.CategoryAndType.Builder entry(int c) {
    return io.microgrid.dispatch.protocol.TargetComponents.CategoryAndType.newBuilder().setCategoryValue(c);
  }

  @Test
  void everyTargetFormFromTheServerIsReadAndABadSubtypeSkipsOnlyItsDispatch() {
    var categorySet =
        io.microgrid.dispatch.protocol.TargetComponents.newBuilder()
            .setComponentCategories(
                io.microgrid.dispatch.protocol.TargetComponents.CategorySet.newBuilder()
                    .addCategoriesValue(10));
    var typeSet =
        io.microgrid.dispatch.protocol.TargetComponents.newBuilder()
            .setComponentCategoriesTypes(
                io.microgrid.dispatch.protocol.TargetComponents.CategoryTypeSet.newBuilder()
                    .addCategories(entry(6).setEvChargerValue(7))
                    .addCategories(entry(55)));
    var meterWithBatteryType =
        io.microgrid.dispatch.protocol.TargetComponents.newBuilder()
            .setComponentCategoriesTypes(
                io.microgrid.dispatch.protocol.TargetComponents.CategoryTypeSet.newBuilder()
                    .addCategories(entry(2).setBatteryValue(1)));
    server.putRaw(MICROGRID, stored(1).setData(stored(1).getData().toBuilder().setTarget(categorySet)).build());
    server.putRaw(MICROGRID, stored(2).setData(stored(2).getData().toBuilder().setTarget(meterWithBatteryType)).build());
    server.putRaw(MICROGRID, stored(3).setData(stored(3).getData().toBuilder().setTarget(typeSet)).build());

    List<Dispatch> read = client.list(MICROGRID, DispatchQuery.ALL).toList();
    assertEquals(List.of(1L, 3L), read.stream().map(Dispatch::id).toList());
    assertEquals(TargetComponents.categories(ComponentCategory.ELECTROLYZER), read.get(0).target());
    assertEquals(
        new TargetComponents.Categories(
            List.of(new ComponentCategory(55)),
            List.of(new ComponentType(ComponentCategory.EV_CHARGER, 7))),
        read.get(1).target());
  }

  @Test
  void aWeeklyRuleWithMonthDaysFromTheServerIsReadAndScheduledAsDateutilDoes() {
    // Starts on Monday 2030-01-07 at 10:00; WEEKLY on the 1st and 15th: dateutil yields the days
    // of each week that are the 1st or the 15th.
    Instant start = Instant.parse("2030-01-07T10:00:00Z");
    server.putRaw(
        MICROGRID,
        stored(1)
            .setData(
                stored(1).getData().toBuilder()
                    .setStartTime(Timestamps.of(start))
                    .setTarget(
                        io.microgrid.dispatch.protocol.TargetComponents.newBuilder()
                            .setComponentIds(
                                io.microgrid.dispatch.protocol.TargetComponents.IdSet.newBuilder().addIds(1)))
                    .setRecurrence(
                        io.microgrid.dispatch.protocol.RecurrenceRule.newBuilder()
                            .setFreq(io.microgrid.dispatch.protocol.RecurrenceRule.Frequency.FREQUENCY_WEEKLY)
                            .addBymonthdays(1)
                            .addBymonthdays(15)))
            .build());
    Dispatch d = client.get(MICROGRID, 1);
    assertEquals(
        Optional.of(RecurrenceRule.builder(Frequency.WEEKLY).interval(0).byMonthDays(1, 15).build()),
        d.recurrence());
    assertEquals(
        List.of(
            Instant.parse("2030-01-15T10:00:00Z"),
            Instant.parse("2030-02-01T10:00:00Z"),
            Instant.parse("2030-02-15T10:00:00Z")),
        d.occurrencesBetween(start, Instant.parse("2030-02-28T00:00:00Z"), 10));
    assertEquals(1, client.list(MICROGRID, DispatchQuery.ALL).count());
  }
}
