package io.microgrid.dispatch.scheduler.internal.persist;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.ComponentCategory;
import io.microgrid.dispatch.api.ComponentType;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.scheduler.internal.core.DispatchSchedule.HeldState;
import io.microgrid.dispatch.scheduler.internal.proto.CategorySet;
import io.microgrid.dispatch.scheduler.internal.proto.PersistedSchedule;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The persisted schedule's file: what is written is read back, and a bad file never stops a start. */
class ScheduleFileTest {
  static final long MICROGRID = 7;
  static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");
  private static final Clock CLOCK = Clock.fixed(T0, ZoneOffset.UTC);

  @TempDir Path dir;

  static Dispatch recurring(long id) {
    RecurrenceRule rule =
        RecurrenceRule.builder(Frequency.WEEKLY)
            .interval(2)
            .until(T0.plus(Duration.ofDays(60)))
            .byHours(8, 17)
            .byMinutes(30)
            .byWeekdays(DayOfWeek.MONDAY, DayOfWeek.FRIDAY)
            .build();
    return new Dispatch(
        id, MICROGRID, "CHARGE", T0, Optional.of(Duration.ofMinutes(45)),
        new TargetComponents.Categories(
            List.of(ComponentCategory.BATTERY, ComponentCategory.STEAM_BOILER, new ComponentCategory(77)),
            List.of(ComponentType.INVERTER_PV, new ComponentType(ComponentCategory.EV_CHARGER, 9))),
        true, true,
        Payload.of(Map.of("power", 1500.5, "mode", "eco", "limits", List.of(1, 2), "nested", Map.of("on", true))),
        Optional.of(rule), T0.minusSeconds(60), T0.minusSeconds(30), Optional.of(T0.plus(Duration.ofDays(60))));
  }

  static Dispatch forever(long id) {
    return new Dispatch(
        id, MICROGRID, "HOLD", T0, Optional.empty(), TargetComponents.ids(4, 5), false, false,
        Payload.EMPTY, Optional.empty(), T0, T0.plusNanos(123), Optional.empty());
  }

  static ScheduleFile.Content content() {
    Dispatch a = recurring(11);
    Dispatch b = forever(12);
    Dispatch deleted = forever(13);
    return new ScheduleFile.Content(
        Optional.of(T0.plusSeconds(5)),
        List.of(
            new HeldState(a, true, Optional.of(T0.plusSeconds(1)), List.of()),
            new HeldState(b, false, Optional.empty(), List.of(T0.minusSeconds(600), T0.minusSeconds(300)))),
        Map.of(
            "pid:device.a",
            List.of(
                new RunningStateChange(a, RunningState.RUNNING, T0.plusSeconds(1), Optional.of(T0.plusSeconds(2700)), List.of()),
                new RunningStateChange(deleted, RunningState.RUNNING, T0, Optional.empty(), List.of()))));
  }

  @Test
  void whatIsSavedIsReadBackEqual() throws IOException {
    ScheduleFile file = new ScheduleFile(dir.resolve("schedule-7.pb"), MICROGRID, CLOCK);
    ScheduleFile.Content written = content();
    file.save(out -> out.write(ScheduleFile.encode(MICROGRID, written)));
    assertEquals(Optional.of(written), file.load());
  }

  @Test
  void aScheduleStreamedFromEncodedDispatchesIsReadBackEqualAndAnUnchangedOneIsNotRewritten()
      throws IOException {
    ScheduleStore store = new ScheduleStore(mg -> dir.resolve("schedule-" + mg + ".pb"), CLOCK);
    ScheduleFile.Content written = content();
    List<byte[]> encoded = written.dispatches().stream().map(ScheduleFile::encodeHeld).toList();
    Set<Long> held = Set.of(11L, 12L);
    ScheduleFile.Content rest =
        new ScheduleFile.Content(written.lastSync(), List.of(), written.listeners());

    store.save(MICROGRID, rest, encoded, held::contains);
    assertEquals(Optional.of(written), store.load(MICROGRID));
    assertArrayEquals(
        ScheduleFile.encode(MICROGRID, written), Files.readAllBytes(store.fileOf(MICROGRID)));
    store.save(MICROGRID, rest, encoded, held::contains);
    assertEquals(1, store.writes());
  }

  @Test
  void aSnapshotDoesNotChangeWithTheCollectionsItWasTakenFrom() {
    ScheduleFile.Content original = content();
    List<HeldState> held = new java.util.ArrayList<>(original.dispatches());
    List<RunningStateChange> told = new java.util.ArrayList<>(original.listeners().get("pid:device.a"));
    Map<String, List<RunningStateChange>> listeners = new java.util.HashMap<>(Map.of("pid:device.a", told));
    ScheduleFile.Content snapshot = new ScheduleFile.Content(original.lastSync(), held, listeners);
    byte[] before = ScheduleFile.encode(MICROGRID, snapshot);
    // What the scheduler thread goes on changing after it handed the snapshot to the store.
    held.clear();
    told.clear();
    listeners.put("pid:device.b", List.of());
    assertArrayEquals(before, ScheduleFile.encode(MICROGRID, snapshot));
    assertEquals(original, snapshot);
  }

  @Test
  void fieldsOfANewerVersionAreSkipped() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(ScheduleFile.encode(MICROGRID, content()));
    // Field 99 (a string a newer scheduler might add): tag (99 << 3 | 2), length 3, "new".
    bytes.write(new byte[] {(byte) 0x9a, 0x06, 3, 'n', 'e', 'w'});
    Path path = dir.resolve("schedule-7.pb");
    Files.write(path, bytes.toByteArray());
    assertEquals(Optional.of(content()), new ScheduleFile(path, MICROGRID, CLOCK).load());
    assertEquals(List.of(path), files(), "nothing moved aside");
  }

  @Test
  void aFileOfANewerFormatIsMovedAsideAndTheSchedulerStartsEmpty() throws IOException {
    Path path = dir.resolve("schedule-7.pb");
    byte[] newer = PersistedSchedule.newBuilder().setFormat(ScheduleFile.FORMAT + 1).setMicrogridId(MICROGRID).build().toByteArray();
    Files.write(path, newer);
    assertEquals(Optional.empty(), new ScheduleFile(path, MICROGRID, CLOCK).load());
    Path aside = dir.resolve("schedule-7.pb.corrupt-20260105T000000Z");
    assertEquals(List.of(aside), files());
    assertArrayEquals(newer, Files.readAllBytes(aside), "kept for the operator, unchanged");
  }

  @Test
  void aCorruptFileIsMovedAsideAndTheSchedulerStartsEmpty() throws IOException {
    Path path = dir.resolve("schedule-7.pb");
    byte[] good = ScheduleFile.encode(MICROGRID, content());
    byte[] torn = java.util.Arrays.copyOf(good, good.length / 2);
    Files.write(path, torn);
    assertEquals(Optional.empty(), new ScheduleFile(path, MICROGRID, CLOCK).load());
    assertFalse(Files.exists(path));
    assertEquals(1, files().size());
    assertTrue(files().get(0).getFileName().toString().startsWith("schedule-7.pb.corrupt-"));
  }

  @Test
  void theFileOfAnotherMicrogridIsNotRun() throws IOException {
    Path path = dir.resolve("schedule-7.pb");
    Files.write(path, ScheduleFile.encode(8, new ScheduleFile.Content(Optional.empty(), List.of(), Map.of())));
    assertEquals(Optional.empty(), new ScheduleFile(path, MICROGRID, CLOCK).load());
    assertFalse(Files.exists(path));
  }

  @Test
  void aValueThatTheApiRefusesMakesTheFileCorruptNotTheStart() throws IOException {
    Path path = dir.resolve("schedule-7.pb");
    PersistedSchedule p = PersistedSchedule.parseFrom(ScheduleFile.encode(MICROGRID, content()));
    PersistedSchedule bad =
        p.toBuilder()
            .setDispatches(0, p.getDispatches(0).toBuilder().setDispatch(p.getDispatches(0).getDispatch().toBuilder().setType("")))
            .build();
    Files.write(path, bad.toByteArray());
    assertEquals(Optional.empty(), new ScheduleFile(path, MICROGRID, CLOCK).load());
    assertFalse(Files.exists(path));
  }

  /** A format 1 file whose one held dispatch targets the given categories in the old numbers. */
  private Path formatOneFile(Integer... oldNumbers) throws IOException {
    PersistedSchedule p = PersistedSchedule.parseFrom(ScheduleFile.encode(MICROGRID, content()));
    PersistedSchedule old =
        p.toBuilder()
            .setFormat(1)
            .clearListeners()
            .clearDispatches()
            .addDispatches(
                p.getDispatches(0).toBuilder()
                    .setDispatch(
                        p.getDispatches(0).getDispatch().toBuilder()
                            .setComponentCategories(
                                CategorySet.newBuilder().addAllCategories(List.of(oldNumbers)))))
            .build();
    Path path = dir.resolve("schedule-7.pb");
    Files.write(path, old.toByteArray());
    return path;
  }

  @Test
  void aFormatOneFileKeepsTheMeaningOfItsCategoryNumbers() throws IOException {
    // Before API v1.1: 1 GRID, 5 BATTERY, 8 CRYPTO_MINER, 9 ELECTROLYZER, 10 CHP, 12 PRECHARGER,
    // 14 VOLTAGE_TRANSFORMER. The same numbers mean other categories now.
    Path path = formatOneFile(1, 5, 8, 9, 10, 12, 14);
    ScheduleFile.Content read = new ScheduleFile(path, MICROGRID, CLOCK).load().orElseThrow();
    assertEquals(
        TargetComponents.categories(
            ComponentCategory.GRID_CONNECTION_POINT,
            ComponentCategory.BATTERY,
            ComponentCategory.CRYPTO_MINER,
            ComponentCategory.ELECTROLYZER,
            ComponentCategory.CHP,
            ComponentCategory.PRECHARGER,
            ComponentCategory.POWER_TRANSFORMER),
        read.dispatches().get(0).dispatch().target());
    assertEquals(List.of(path), files(), "nothing moved aside");
  }

  @Test
  void aFormatOneCategoryWithoutACounterpartMovesTheFileAside() throws IOException {
    // 11 was RELAY and is POWER_TRANSFORMER now: rather than change what the dispatch targets,
    // the scheduler starts empty and takes the dispatch from the server again.
    Path path = formatOneFile(5, 11);
    assertEquals(Optional.empty(), new ScheduleFile(path, MICROGRID, CLOCK).load());
    assertFalse(Files.exists(path));
  }

  @Test
  void theCurrentFormatIsWrittenWithTheV1alpha8Numbers() throws IOException {
    PersistedSchedule p = PersistedSchedule.parseFrom(ScheduleFile.encode(MICROGRID, content()));
    assertEquals(2, p.getFormat());
    assertEquals(
        List.of(5, 19, 77), p.getDispatches(0).getDispatch().getComponentCategories().getCategoriesList());
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
