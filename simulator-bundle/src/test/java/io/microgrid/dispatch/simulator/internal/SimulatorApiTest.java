package io.microgrid.dispatch.simulator.internal;

import static io.microgrid.dispatch.simulator.internal.Loopback.assertStatus;
import static io.microgrid.dispatch.simulator.internal.Loopback.newDispatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.microgrid.dispatch.api.AuthenticationException;
import io.microgrid.dispatch.api.ComponentCategory;
import io.microgrid.dispatch.api.ComponentType;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchNotFoundException;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.protocol.CreateMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.DispatchData;
import io.microgrid.dispatch.protocol.GetMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesRequest;
import io.microgrid.dispatch.protocol.MicrogridDispatchServiceGrpc.MicrogridDispatchServiceBlockingStub;
import io.microgrid.dispatch.protocol.UpdateMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.types.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The six operations and the API's rules, through the project's real client and raw gRPC. */
class SimulatorApiTest {
  private static final long MICROGRID = 7;

  private DispatchSimulator simulator;
  private DispatchConnection client;
  private ManagedChannel channel;
  private MicrogridDispatchServiceBlockingStub raw;

  @BeforeEach
  void start() throws Exception {
    simulator = DispatchSimulator.start(SimulatorOptions.builder().port(0).build());
    client = DispatchConnection.open(Loopback.clientOptions(simulator.port(), null));
    channel = Loopback.channel(simulator.port());
    raw = Loopback.stub(channel, null);
  }

  @AfterEach
  void stop() throws Exception {
    Loopback.close(channel);
    client.close();
    simulator.close();
  }

  @Test
  void createGetUpdateListDelete() {
    Instant before = Instant.now();
    Dispatch created =
        client.create(
            MICROGRID,
            newDispatch("BATTERY_CHARGE", TargetComponents.categories(ComponentCategory.BATTERY))
                .payload(Payload.of(Map.of("power_w", 5000)))
                .dryRun(true)
                .build());
    assertEquals(1, created.id());
    assertEquals(MICROGRID, created.microgridId());
    assertEquals("BATTERY_CHARGE", created.type());
    assertTrue(created.dryRun());
    assertTrue(created.active());
    assertEquals(Payload.of(Map.of("power_w", 5000)), created.payload());
    assertFalse(created.createTime().isBefore(before.truncatedTo(ChronoUnit.MILLIS)));
    assertEquals(created.createTime(), created.updateTime());

    assertEquals(created, client.get(MICROGRID, created.id()));

    Dispatch updated =
        client.update(MICROGRID, created.id(), DispatchUpdate.builder().active(false).build());
    assertFalse(updated.active());
    assertEquals(created.startTime(), updated.startTime());
    assertEquals(created.createTime(), updated.createTime());
    assertFalse(updated.updateTime().isBefore(created.updateTime()));

    Dispatch second = client.create(MICROGRID, newDispatch("OTHER").build());
    assertEquals(2, second.id());
    assertEquals(
        List.of(updated, second), client.list(MICROGRID, DispatchQuery.ALL).toList());
    // Another microgrid has its own dispatches; ids are unique over all of them.
    assertEquals(List.of(), client.list(MICROGRID + 1, DispatchQuery.ALL).toList());
    assertEquals(3, client.create(MICROGRID + 1, newDispatch("X").build()).id());

    client.delete(MICROGRID, created.id());
    assertEquals(List.of(second), client.list(MICROGRID, DispatchQuery.ALL).toList());
    assertThrows(DispatchNotFoundException.class, () -> client.get(MICROGRID, created.id()));
  }

  @Test
  void unknownIdsAreNotFound() {
    Dispatch d = client.create(MICROGRID, newDispatch("A").build());
    DispatchUpdate update = DispatchUpdate.builder().active(false).build();
    assertThrows(DispatchNotFoundException.class, () -> client.get(MICROGRID, 99));
    assertThrows(DispatchNotFoundException.class, () -> client.update(MICROGRID, 99, update));
    assertThrows(DispatchNotFoundException.class, () -> client.delete(MICROGRID, 99));
    // An existing id of another microgrid is unknown here.
    assertThrows(DispatchNotFoundException.class, () -> client.get(MICROGRID + 1, d.id()));
    assertThrows(DispatchNotFoundException.class, () -> client.delete(MICROGRID + 1, d.id()));
    assertEquals(d, client.get(MICROGRID, d.id()));
  }

  @Test
  void createRefusesAStartInThePastButToleratesClockSkew() {
    Instant now = Instant.now();
    String description =
        assertStatus(
            Status.Code.INVALID_ARGUMENT,
            () -> raw.createMicrogridDispatch(create(data("A").setStartTime(Timestamps.of(now.minusSeconds(60))))));
    assertTrue(description.contains("start_time"), description);
    assertStatus(
        Status.Code.INVALID_ARGUMENT, () -> raw.createMicrogridDispatch(create(data("A").clearStartTime())));
    // A start "now", stamped by a client a moment ago, is accepted.
    raw.createMicrogridDispatch(create(data("A").setStartTime(Timestamps.of(now.minusSeconds(2)))));
    assertEquals(1, client.list(MICROGRID, DispatchQuery.ALL).count());
  }

  @Test
  void createRefusesAnEmptyTypeAndInvalidFields() {
    String description =
        assertStatus(Status.Code.INVALID_ARGUMENT, () -> raw.createMicrogridDispatch(create(data(""))));
    assertTrue(description.contains("type"), description);
    assertStatus(Status.Code.INVALID_ARGUMENT, () -> raw.createMicrogridDispatch(create(data("  "))));
    description =
        assertStatus(
            Status.Code.INVALID_ARGUMENT,
            () ->
                raw.createMicrogridDispatch(
                    create(
                        data("A")
                            .setRecurrence(
                                io.microgrid.dispatch.protocol.RecurrenceRule.newBuilder()
                                    .setFreqValue(3)
                                    .addByhours(24)))));
    assertTrue(description.contains("byHours"), description);
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        () ->
            raw.createMicrogridDispatch(
                CreateMicrogridDispatchRequest.newBuilder().setDispatchData(data("A")).build()));
    assertEquals(0, client.list(MICROGRID, DispatchQuery.ALL).count());
  }

  @Test
  void updateRefusesTypeDryRunUnknownAndEmptyPaths() {
    Dispatch d = client.create(MICROGRID, newDispatch("A").build());
    for (String path : List.of("type", "is_dry_run", "no_such_field", "data.type", "recurrence.nope")) {
      String description =
          assertStatus(
              Status.Code.INVALID_ARGUMENT,
              () -> raw.updateMicrogridDispatch(update(d.id(), path)));
      assertTrue(description.contains(path), description);
    }
    assertStatus(Status.Code.INVALID_ARGUMENT, () -> raw.updateMicrogridDispatch(update(d.id())));
    // A refused mask changes nothing, even when it also names a good path.
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        () -> raw.updateMicrogridDispatch(update(d.id(), "is_active", "type")));
    assertEquals(d, client.get(MICROGRID, d.id()));
  }

  @Test
  void updateAppliesOnlyTheMaskedPaths() {
    Dispatch d = client.create(MICROGRID, newDispatch("A").build());
    Instant newStart = d.startTime().plus(Duration.ofHours(2));
    UpdateMicrogridDispatchRequest request =
        UpdateMicrogridDispatchRequest.newBuilder()
            .setMicrogridId(MICROGRID)
            .setDispatchId(d.id())
            .setUpdateMask(FieldMask.newBuilder().addPaths("start_time"))
            .setUpdate(
                UpdateMicrogridDispatchRequest.DispatchUpdate.newBuilder()
                    .setStartTime(Timestamps.of(newStart))
                    // Not in the mask: ignored.
                    .setDuration(1)
                    .setIsActive(false))
            .build();
    raw.updateMicrogridDispatch(request);
    Dispatch updated = client.get(MICROGRID, d.id());
    assertEquals(newStart, updated.startTime());
    assertEquals(d.duration(), updated.duration());
    assertTrue(updated.active());
    assertEquals(Optional.of(newStart.plus(Duration.ofMinutes(15))), updated.endTime());

    // A new start time in the past is refused, as on create.
    assertStatus(
        Status.Code.INVALID_ARGUMENT,
        () ->
            raw.updateMicrogridDispatch(
                request.toBuilder()
                    .setUpdate(
                        UpdateMicrogridDispatchRequest.DispatchUpdate.newBuilder()
                            .setStartTime(Timestamps.of(Instant.now().minusSeconds(3600))))
                    .build()));
  }

  @Test
  void durationInTheMaskWithoutAValueClearsIt() {
    Dispatch d = client.create(MICROGRID, newDispatch("A").build());
    assertTrue(d.endTime().isPresent());
    Dispatch infinite =
        client.update(MICROGRID, d.id(), DispatchUpdate.builder().infiniteDuration().build());
    assertEquals(Optional.empty(), infinite.duration());
    assertEquals(Optional.empty(), infinite.endTime());
    Dispatch finite =
        client.update(
            MICROGRID, d.id(), DispatchUpdate.builder().duration(Duration.ofMinutes(5)).build());
    assertEquals(Optional.of(Duration.ofMinutes(5)), finite.duration());
    assertEquals(Optional.of(d.startTime().plus(Duration.ofMinutes(5))), finite.endTime());
  }

  @Test
  void endTimeOfOneOffCountUntilAndInfiniteDispatches() {
    Instant start = Instant.now().plus(Duration.ofDays(1)).truncatedTo(ChronoUnit.SECONDS);
    Duration fifteen = Duration.ofMinutes(15);

    Dispatch oneOff = client.create(MICROGRID, newDispatch("A").startTime(start).build());
    assertEquals(Optional.of(start.plus(fifteen)), oneOff.endTime());

    Dispatch zero =
        client.create(MICROGRID, newDispatch("A").startTime(start).duration(Duration.ZERO).build());
    assertEquals(Optional.of(start), zero.endTime());

    Dispatch count =
        client.create(
            MICROGRID,
            newDispatch("A")
                .startTime(start)
                .recurrence(RecurrenceRule.builder(Frequency.DAILY).count(3).build())
                .build());
    assertEquals(Optional.of(start.plus(Duration.ofDays(2)).plus(fifteen)), count.endTime());

    Dispatch everyOtherHour =
        client.create(
            MICROGRID,
            newDispatch("A")
                .startTime(start)
                .recurrence(RecurrenceRule.builder(Frequency.HOURLY).interval(2).count(4).build())
                .build());
    assertEquals(Optional.of(start.plus(Duration.ofHours(6)).plus(fifteen)), everyOtherHour.endTime());

    // Until is inclusive: the occurrence exactly at until is the last one.
    Dispatch until =
        client.create(
            MICROGRID,
            newDispatch("A")
                .startTime(start)
                .recurrence(
                    RecurrenceRule.builder(Frequency.DAILY)
                        .until(start.plus(Duration.ofDays(3)))
                        .build())
                .build());
    assertEquals(Optional.of(start.plus(Duration.ofDays(3)).plus(fifteen)), until.endTime());

    Dispatch infiniteDuration =
        client.create(MICROGRID, newDispatch("A").startTime(start).infiniteDuration().build());
    assertEquals(Optional.empty(), infiniteDuration.endTime());

    Dispatch endlessRule =
        client.create(
            MICROGRID,
            newDispatch("A")
                .startTime(start)
                .recurrence(RecurrenceRule.builder(Frequency.WEEKLY).build())
                .build());
    assertEquals(Optional.empty(), endlessRule.endTime());

    // The end time follows an update of the rule.
    Dispatch bounded =
        client.update(
            MICROGRID,
            endlessRule.id(),
            DispatchUpdate.builder()
                .recurrence(RecurrenceRule.builder(Frequency.WEEKLY).count(2).build())
                .build());
    assertEquals(Optional.of(start.plus(Duration.ofDays(7)).plus(fifteen)), bounded.endTime());
    Dispatch once =
        client.update(MICROGRID, endlessRule.id(), DispatchUpdate.builder().noRecurrence().build());
    assertEquals(Optional.of(start.plus(fifteen)), once.endTime());
  }

  @Test
  void startImmediatelyTakesTheServersNowInWholeSeconds() throws Exception {
    // A simulator whose clock is a day ahead of the client's, with a fraction of a second.
    Instant serverNow = Instant.now().plus(Duration.ofDays(1)).plusMillis(750);
    Instant expected = serverNow.truncatedTo(ChronoUnit.SECONDS);
    try (DispatchSimulator ahead =
            DispatchSimulator.start(
                SimulatorOptions.builder()
                    .port(0)
                    .clock(java.time.Clock.fixed(serverNow, java.time.ZoneOffset.UTC))
                    .build());
        DispatchConnection aheadClient =
            DispatchConnection.open(Loopback.clientOptions(ahead.port(), null))) {
      Dispatch viaClient = aheadClient.create(MICROGRID, newDispatch("NOW").startNow().build());
      assertEquals(expected, viaClient.startTime());

      ManagedChannel aheadChannel = Loopback.channel(ahead.port());
      try {
        // start_immediately wins over a start time the request also carries.
        var created =
            Loopback.stub(aheadChannel, null)
                .createMicrogridDispatch(
                    create(data("RAW").setStartTime(Timestamps.of(serverNow.plusSeconds(3600))))
                        .toBuilder()
                        .setStartImmediately(true)
                        .build())
                .getDispatch();
        assertEquals(Timestamps.of(expected), created.getData().getStartTime());
      } finally {
        Loopback.close(aheadChannel);
      }
    }
  }

  @Test
  void startTimesAreStoredInWholeSecondsOnCreateAndUpdate() {
    Instant start = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    Dispatch d =
        client.create(MICROGRID, newDispatch("A").startTime(start.plusMillis(999)).build());
    assertEquals(start, d.startTime());
    assertEquals(Optional.of(start.plus(Duration.ofMinutes(15))), d.endTime());
    Dispatch moved =
        client.update(
            MICROGRID,
            d.id(),
            DispatchUpdate.builder().startTime(start.plusSeconds(60).plusNanos(1)).build());
    assertEquals(start.plusSeconds(60), moved.startTime());
  }

  @Test
  void aRuleThatNeverOccursHasNoEndTime() {
    // Starts at 10:00, occurs daily at 08:00, until 11:00 the same day: never.
    Instant start =
        Instant.now().plus(Duration.ofDays(2)).truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(10));
    Dispatch never =
        client.create(
            MICROGRID,
            newDispatch("A")
                .startTime(start)
                .recurrence(
                    RecurrenceRule.builder(Frequency.DAILY)
                        .byHours(8)
                        .until(start.plus(Duration.ofHours(1)))
                        .build())
                .build());
    assertEquals(Optional.empty(), never.endTime());
    assertFalse(
        raw.getMicrogridDispatch(
                GetMicrogridDispatchRequest.newBuilder()
                    .setMicrogridId(MICROGRID)
                    .setDispatchId(never.id())
                    .build())
            .getDispatch()
            .getMetadata()
            .hasEndTime());
  }

  @Test
  void selectorIsAcceptedAsTheOlderNameOfTarget() {
    Dispatch d = client.create(MICROGRID, newDispatch("A").build());
    raw.updateMicrogridDispatch(
        UpdateMicrogridDispatchRequest.newBuilder()
            .setMicrogridId(MICROGRID)
            .setDispatchId(d.id())
            .setUpdateMask(FieldMask.newBuilder().addPaths("selector"))
            .setUpdate(
                UpdateMicrogridDispatchRequest.DispatchUpdate.newBuilder()
                    .setTarget(
                        io.microgrid.dispatch.protocol.TargetComponents.newBuilder()
                            .setComponentIds(
                                io.microgrid.dispatch.protocol.TargetComponents.IdSet.newBuilder()
                                    .addIds(42))))
            .build());
    assertEquals(TargetComponents.ids(42), client.get(MICROGRID, d.id()).target());
  }

  @Test
  void weeklyWithMonthDaysIsRefusedOnCreateAndUpdateNamingTheField() {
    io.microgrid.dispatch.protocol.RecurrenceRule weeklyOnThe1st =
        io.microgrid.dispatch.protocol.RecurrenceRule.newBuilder()
            .setFreq(io.microgrid.dispatch.protocol.RecurrenceRule.Frequency.FREQUENCY_WEEKLY)
            .addBymonthdays(1)
            .build();
    String description =
        assertStatus(
            Status.Code.INVALID_ARGUMENT,
            () -> raw.createMicrogridDispatch(create(data("A").setRecurrence(weeklyOnThe1st))));
    assertTrue(description.contains("recurrence.bymonthdays"), description);
    // The client's API types accept the rule (a server may send one), so only the server refuses.
    RecurrenceRule rule = RecurrenceRule.builder(Frequency.WEEKLY).byMonthDays(1).build();
    DispatchApiException viaClient =
        assertThrows(
            DispatchApiException.class,
            () -> client.create(MICROGRID, newDispatch("A").recurrence(rule).build()));
    assertTrue(viaClient.getMessage().contains("recurrence.bymonthdays"), viaClient.getMessage());
    Dispatch d = client.create(MICROGRID, newDispatch("A").build());
    DispatchApiException update =
        assertThrows(
            DispatchApiException.class,
            () -> client.update(MICROGRID, d.id(), DispatchUpdate.builder().recurrence(rule).build()));
    assertTrue(update.getMessage().contains("recurrence.bymonthdays"), update.getMessage());
    assertEquals(d, client.get(MICROGRID, d.id()));
  }

  @Test
  void categoriesUseTheV1alpha8NumbersAndKeepTheirSubtypes() {
    TargetComponents target =
        new TargetComponents.Categories(
            List.of(ComponentCategory.ELECTROLYZER, ComponentCategory.STEAM_BOILER),
            List.of(ComponentType.INVERTER_PV, ComponentType.EV_CHARGER_DC));
    Dispatch d = client.create(MICROGRID, newDispatch("A", target).build());
    assertEquals(target, d.target());
    var stored =
        raw.getMicrogridDispatch(
                GetMicrogridDispatchRequest.newBuilder()
                    .setMicrogridId(MICROGRID)
                    .setDispatchId(d.id())
                    .build())
            .getDispatch()
            .getData()
            .getTarget();
    // 10 is ELECTROLYZER since v1.1 (it was CHP), 19 STEAM_BOILER; written as categories_types.
    var entries = stored.getComponentCategoriesTypes().getCategoriesList();
    assertEquals(
        List.of(10, 19, 3, 6),
        entries.stream().map(e -> e.getCategoryValue()).toList());
    assertEquals(2, entries.get(2).getInverterValue());
    assertEquals(2, entries.get(3).getEvChargerValue());
  }

  @Test
  void aConfiguredKeyIsRequiredOnEveryCall() throws Exception {
    String key = "sim-key-123";
    simulator.reconfigure(SimulatorOptions.builder().port(0).key(key).build());
    try (DispatchConnection without = DispatchConnection.open(Loopback.clientOptions(simulator.port(), null));
        DispatchConnection wrong = DispatchConnection.open(Loopback.clientOptions(simulator.port(), "nope"));
        DispatchConnection right = DispatchConnection.open(Loopback.clientOptions(simulator.port(), key))) {
      assertThrows(AuthenticationException.class, () -> without.list(MICROGRID, DispatchQuery.ALL).toList());
      assertThrows(AuthenticationException.class, () -> without.create(MICROGRID, newDispatch("A").build()));
      assertThrows(AuthenticationException.class, () -> wrong.get(MICROGRID, 1));
      assertThrows(AuthenticationException.class, () -> wrong.delete(MICROGRID, 1));
      Dispatch d = right.create(MICROGRID, newDispatch("A").build());
      assertEquals(d, right.get(MICROGRID, d.id()));
      String description =
          assertStatus(
              Status.Code.UNAUTHENTICATED,
              () -> raw.getMicrogridDispatch(
                  GetMicrogridDispatchRequest.newBuilder().setMicrogridId(MICROGRID).setDispatchId(d.id()).build()));
      assertFalse(description.contains(key), description);
      // The refusal is not a NOT_FOUND or INVALID_ARGUMENT in disguise: nothing was changed.
      assertEquals(List.of(d), right.list(MICROGRID, DispatchQuery.ALL).toList());

      // Removing the key opens the simulator again, on the same address.
      int port = simulator.port();
      simulator.reconfigure(SimulatorOptions.builder().port(0).build());
      assertEquals(port, simulator.port());
      assertEquals(List.of(d), without.list(MICROGRID, DispatchQuery.ALL).toList());
      assertNotEquals(0, raw.listMicrogridDispatches(
          ListMicrogridDispatchesRequest.newBuilder().setMicrogridId(MICROGRID).build()).getDispatchesCount());
    }
  }

  private static DispatchData.Builder data(String type) {
    return DispatchData.newBuilder()
        .setType(type)
        .setStartTime(Timestamps.of(Instant.now().plus(Duration.ofHours(1))))
        .setDuration(900)
        .setIsActive(true);
  }

  private static CreateMicrogridDispatchRequest create(DispatchData.Builder data) {
    return CreateMicrogridDispatchRequest.newBuilder().setMicrogridId(MICROGRID).setDispatchData(data).build();
  }

  private static UpdateMicrogridDispatchRequest update(long id, String... paths) {
    return UpdateMicrogridDispatchRequest.newBuilder()
        .setMicrogridId(MICROGRID)
        .setDispatchId(id)
        .setUpdateMask(FieldMask.newBuilder().addAllPaths(List.of(paths)))
        .setUpdate(
            UpdateMicrogridDispatchRequest.DispatchUpdate.newBuilder()
                .setIsActive(false)
                .setDuration(60))
        .build();
  }
}
