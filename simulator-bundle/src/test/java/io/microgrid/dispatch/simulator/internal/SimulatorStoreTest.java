package io.microgrid.dispatch.simulator.internal;

import static io.microgrid.dispatch.simulator.internal.Loopback.newDispatch;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.api.ComponentCategory;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.protocol.types.Timestamps;
import io.microgrid.dispatch.simulator.internal.proto.SimulatorStore;
import io.microgrid.dispatch.simulator.internal.proto.StoredDispatch;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store file: survives a restart, is written atomically, and a corrupt one is moved aside. */
class SimulatorStoreTest {
  private static final long MICROGRID = 5;

  @TempDir Path dir;

  private SimulatorOptions options(Path file) {
    return SimulatorOptions.builder().port(0).storeFile(file).build();
  }

  @Test
  void theStoreSurvivesARestartAndIdsContinue() throws Exception {
    Path file = dir.resolve("data").resolve("store.pb");
    List<Dispatch> kept;
    try (DispatchSimulator simulator = DispatchSimulator.start(options(file));
        DispatchConnection client = DispatchConnection.open(Loopback.clientOptions(simulator.port(), null))) {
      Dispatch a = client.create(MICROGRID, newDispatch("A").build());
      Dispatch b =
          client.create(
              MICROGRID,
              newDispatch("B").recurrence(RecurrenceRule.builder(Frequency.DAILY).count(3).build()).build());
      Dispatch c = client.create(MICROGRID + 1, newDispatch("C").build());
      client.update(MICROGRID, b.id(), DispatchUpdate.builder().active(false).build());
      client.delete(MICROGRID, a.id());
      kept = Stream.concat(
              client.list(MICROGRID, DispatchQuery.ALL), client.list(MICROGRID + 1, DispatchQuery.ALL))
          .toList();
      assertEquals(List.of(b.id(), c.id()), kept.stream().map(Dispatch::id).toList());
      // Each change was written through: no temporary file is left behind.
      assertTrue(Files.exists(file));
      assertFalse(Files.exists(file.resolveSibling("store.pb.tmp")));
    }

    try (DispatchSimulator simulator = DispatchSimulator.start(options(file));
        DispatchConnection client = DispatchConnection.open(Loopback.clientOptions(simulator.port(), null))) {
      assertEquals(kept.subList(0, 1), client.list(MICROGRID, DispatchQuery.ALL).toList());
      assertEquals(kept.subList(1, 2), client.list(MICROGRID + 1, DispatchQuery.ALL).toList());
      // Ids are never reused, not even the deleted one's.
      assertEquals(4, client.create(MICROGRID, newDispatch("D").build()).id());
    }
  }

  @Test
  void theFileIsAProtobufStoreMessage() throws Exception {
    Path file = dir.resolve("store.pb");
    try (DispatchSimulator simulator = DispatchSimulator.start(options(file));
        DispatchConnection client = DispatchConnection.open(Loopback.clientOptions(simulator.port(), null))) {
      Dispatch d = client.create(MICROGRID, newDispatch("A").build());
      SimulatorStore store = SimulatorStore.parseFrom(Files.readAllBytes(file));
      assertEquals(StoreFile.FORMAT, store.getFormat());
      assertEquals(1, store.getLastId());
      assertEquals(1, store.getDispatchesCount());
      assertEquals(MICROGRID, store.getDispatches(0).getMicrogridId());
      assertEquals(d.id(), store.getDispatches(0).getDispatch().getMetadata().getDispatchId());
      assertEquals("A", store.getDispatches(0).getDispatch().getData().getType());
      assertTrue(store.getDispatches(0).getDispatch().getMetadata().hasEndTime());
    }
  }

  @Test
  void aCorruptFileIsMovedAsideAndTheSimulatorStartsEmpty() throws Exception {
    Path file = dir.resolve("store.pb");
    byte[] garbage = "this is not protobuf \u0000\u00ff\u00fe".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(file, garbage);
    try (DispatchSimulator simulator = DispatchSimulator.start(options(file));
        DispatchConnection client = DispatchConnection.open(Loopback.clientOptions(simulator.port(), null))) {
      assertEquals(List.of(), client.list(MICROGRID, DispatchQuery.ALL).toList());
      List<Path> aside = movedAside();
      assertEquals(1, aside.size(), () -> "files: " + aside);
      assertArrayEquals(garbage, Files.readAllBytes(aside.get(0)));
      assertFalse(Files.exists(file));
      // It works as usual from there, with a new file.
      assertEquals(1, client.create(MICROGRID, newDispatch("A").build()).id());
      assertEquals(1, SimulatorStore.parseFrom(Files.readAllBytes(file)).getDispatchesCount());
    }
  }

  /** A format 1 store holding one dispatch for the given categories, in the old numbers. */
  private static byte[] formatOneStore(int... oldCategories) {
    Instant start = Instant.now().plus(java.time.Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
    var categories = io.microgrid.dispatch.protocol.TargetComponents.CategorySet.newBuilder();
    for (int c : oldCategories) {
      categories.addCategoriesValue(c);
    }
    io.microgrid.dispatch.protocol.Dispatch d =
        io.microgrid.dispatch.protocol.Dispatch.newBuilder()
            .setMetadata(
                io.microgrid.dispatch.protocol.DispatchMetadata.newBuilder()
                    .setDispatchId(3)
                    .setCreateTime(Timestamps.of(start))
                    .setUpdateTime(Timestamps.of(start)))
            .setData(
                io.microgrid.dispatch.protocol.DispatchData.newBuilder()
                    .setType("OLD")
                    .setStartTime(Timestamps.of(start))
                    .setIsActive(true)
                    .setTarget(
                        io.microgrid.dispatch.protocol.TargetComponents.newBuilder()
                            .setComponentCategories(categories)))
            .build();
    return SimulatorStore.newBuilder()
        .setFormat(1)
        .setLastId(3)
        .addDispatches(StoredDispatch.newBuilder().setMicrogridId(MICROGRID).setDispatch(d))
        .build()
        .toByteArray();
  }

  @Test
  void aFormatOneStoreKeepsWhatItsCategoryNumbersMeant() throws Exception {
    Path file = dir.resolve("store.pb");
    // Before API v1.1: 10 CHP, 9 ELECTROLYZER, 1 GRID.
    Files.write(file, formatOneStore(10, 9, 1));
    try (DispatchSimulator simulator = DispatchSimulator.start(options(file));
        DispatchConnection client = DispatchConnection.open(Loopback.clientOptions(simulator.port(), null))) {
      assertEquals(
          TargetComponents.categories(
              ComponentCategory.CHP, ComponentCategory.ELECTROLYZER, ComponentCategory.GRID_CONNECTION_POINT),
          client.get(MICROGRID, 3).target());
      assertEquals(List.of(), movedAside());
      // The next save writes the current format.
      client.create(MICROGRID, newDispatch("NEW").build());
      assertEquals(StoreFile.FORMAT, SimulatorStore.parseFrom(Files.readAllBytes(file)).getFormat());
    }
  }

  @Test
  void aFormatOneStoreWithACategoryThatHasNoCounterpartIsMovedAside() throws Exception {
    Path file = dir.resolve("store.pb");
    // 13 was FUSE; it is PLC now.
    Files.write(file, formatOneStore(5, 13));
    try (DispatchSimulator simulator = DispatchSimulator.start(options(file))) {
      assertEquals(1, movedAside().size());
    }
  }

  @Test
  void aFileOfANewerFormatIsMovedAsideNotOverwritten() throws Exception {
    Path file = dir.resolve("store.pb");
    Files.write(file, SimulatorStore.newBuilder().setFormat(StoreFile.FORMAT + 1).setLastId(9).build().toByteArray());
    try (DispatchSimulator simulator = DispatchSimulator.start(options(file))) {
      assertEquals(1, movedAside().size());
    }
  }

  @Test
  void aChangeThatCannotBeSavedIsRefusedAndNotMade() throws Exception {
    Path file = dir.resolve("store.pb");
    try (DispatchSimulator simulator = DispatchSimulator.start(options(file));
        DispatchConnection client = DispatchConnection.open(Loopback.clientOptions(simulator.port(), null))) {
      Dispatch d = client.create(MICROGRID, newDispatch("A").build());
      // A directory where the temporary file must go makes every save fail.
      Files.createDirectory(file.resolveSibling("store.pb.tmp"));
      Files.writeString(file.resolveSibling("store.pb.tmp").resolve("x"), "blocks the name");
      DispatchApiException e =
          assertThrows(
              DispatchApiException.class,
              () -> client.update(MICROGRID, d.id(), DispatchUpdate.builder().active(false).build()));
      assertEquals("INTERNAL", e.status());
      assertThrows(DispatchApiException.class, () -> client.delete(MICROGRID, d.id()));
      assertThrows(DispatchApiException.class, () -> client.create(MICROGRID, newDispatch("B").build()));
      assertEquals(List.of(d), client.list(MICROGRID, DispatchQuery.ALL).toList());
    }
  }

  @Test
  void aNewAddressKeepsTheStore() throws Exception {
    Path file = dir.resolve("store.pb");
    try (DispatchSimulator simulator = DispatchSimulator.start(options(file))) {
      Dispatch d;
      try (DispatchConnection client = DispatchConnection.open(Loopback.clientOptions(simulator.port(), null))) {
        d = client.create(MICROGRID, newDispatch("A").build());
      }
      int port = freePort();
      simulator.reconfigure(SimulatorOptions.builder().port(port).storeFile(file).build());
      assertEquals(port, simulator.port());
      try (DispatchConnection client = DispatchConnection.open(Loopback.clientOptions(port, null))) {
        assertEquals(List.of(d), client.list(MICROGRID, DispatchQuery.ALL).toList());
      }
      assertThrows(
          IllegalArgumentException.class,
          () -> simulator.reconfigure(SimulatorOptions.builder().port(port).storeFile(dir.resolve("other")).build()));
    }
  }

  @Test
  void aPortInUseFailsTheStartWithAMessageSayingWhatToChange() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      IOException e =
          assertThrows(
              IOException.class,
              () -> DispatchSimulator.start(SimulatorOptions.builder().port(taken.getLocalPort()).build()));
      assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
      assertTrue(e.getMessage().contains("'port'"), e.getMessage());
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    }
  }

  private List<Path> movedAside() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith("store.pb.corrupt-")).toList();
    }
  }
}
