package io.microgrid.dispatch.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The commands called as Gogo calls them (absent options as their absent values), with a real
 * {@link DispatchConnection} against the loopback Dispatch API server. Every call also checks that
 * the API key is printed nowhere.
 */
class DispatchCommandsTest {
  private static final String KEY = "shell-k3y-never-printed";
  private static final String NO = "";

  private DispatchTestServer server;
  private DispatchConnection connection;
  private final ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
  private final ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
  private final BlockingQueue<RunningStateListener> registered = new LinkedBlockingQueue<>();
  private final BlockingQueue<Map<String, Object>> registeredProps = new LinkedBlockingQueue<>();
  private final AtomicInteger unregistered = new AtomicInteger();
  private DispatchCommands commands;

  @BeforeEach
  void start() throws Exception {
    server = DispatchTestServer.start(KEY);
    connection = connect(KEY);
    commands = commands(connection);
  }

  @AfterEach
  void stop() {
    connection.close();
    server.close();
  }

  private DispatchConnection connect(String key) {
    return DispatchConnection.open(
        ClientOptions.builder("grpc://127.0.0.1:" + server.port() + "?ssl=false")
            .key(key)
            .callTimeout(Duration.ofSeconds(10))
            .build());
  }

  private DispatchCommands commands(DispatchConnection client) {
    PrintStream out = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
    PrintStream err = new PrintStream(errBytes, true, StandardCharsets.UTF_8);
    return new DispatchCommands(
        client,
        (listener, props) -> {
          registeredProps.add(props);
          registered.add(listener);
          return unregistered::incrementAndGet;
        },
        () -> out,
        () -> err);
  }

  /** What the commands printed since the last call, checked for the key. */
  private String out() {
    String s = outBytes.toString(StandardCharsets.UTF_8);
    outBytes.reset();
    assertFalse(s.contains(KEY), "key printed: " + s);
    return s;
  }

  private String err() {
    String s = errBytes.toString(StandardCharsets.UTF_8);
    errBytes.reset();
    assertFalse(s.contains(KEY), "key printed: " + s);
    return s;
  }

  private static String future(Duration d) {
    return Instant.now().plus(d).toString();
  }

  @Test
  void createGetListUpdateDeleteRoundTrip() {
    commands.create("1", "DEMO", "1,2", "+1h", "15m");
    String created = out();
    assertEquals("", err());
    assertTrue(created.startsWith("Dispatch 1\n"), created);
    assertTrue(created.contains("type:       DEMO"), created);
    assertTrue(created.contains("duration:   15m"), created);
    assertTrue(created.contains("target:     components 1,2"), created);
    assertTrue(created.endsWith("Dispatch 1 created.\n"), created);

    commands.create("1", "OTHER", "BATTERY", future(Duration.ofHours(2)));
    assertTrue(out().contains("duration:   infinite"));
    assertEquals("", err());

    commands.get("1", "1");
    String got = out();
    assertTrue(got.startsWith("Dispatch 1\n") && got.contains("microgrid:  1"), got);

    commands.list(NO, NO, NO, NO, false, "1");
    String list = out();
    List<String> lines = list.lines().toList();
    assertEquals(4, lines.size(), list);
    assertTrue(lines.get(0).startsWith("ID  TYPE "), list);
    assertTrue(lines.get(1).startsWith("1   DEMO "), list);
    assertTrue(lines.get(2).startsWith("2   OTHER"), list);
    assertEquals("2 dispatches.", lines.get(3));

    commands.list(NO, "OTHER", NO, NO, false, "1");
    assertTrue(out().endsWith("\n1 dispatch.\n"));

    commands.update(NO, "45m", false, "false", NO, "{\"power_w\": 5000}", "1", "1");
    String updated = out();
    assertEquals("", err());
    assertTrue(updated.contains("duration:   45m"), updated);
    assertTrue(updated.contains("active:     no"), updated);
    assertTrue(updated.contains("payload:    {\"power_w\":5000"), updated);
    assertTrue(updated.endsWith("Dispatch 1 updated.\n"), updated);
    assertEquals(Payload.of(Map.of("power_w", 5000)), connection.get(1, 1).payload());

    commands.list("false", NO, NO, NO, false, "1");
    assertTrue(out().lines().anyMatch(l -> l.startsWith("1   DEMO")));
    commands.list("true", NO, NO, NO, false, "1");
    assertTrue(out().lines().noneMatch(l -> l.startsWith("1   DEMO")));

    commands.update(NO, NO, true, NO, NO, NO, "1", "1");
    assertTrue(out().contains("duration:   infinite"));

    commands.delete("1", "1-2");
    assertEquals("Dispatch 1 deleted.\nDispatch 2 deleted.\n", out());
    assertEquals("", err());
    commands.list(NO, NO, NO, NO, false, "1");
    assertEquals("0 dispatches.\n", out());
  }

  @Test
  void listFiltersByIdsQueriesExactTypeAndRunningNow() {
    commands.create("1", "DEMO", "1", "+1h", "15m");
    commands.create("1", "CHARGE_BATTERY", "1", "now", "1h");
    commands.create("1", "CHARGE", "2", "+2h", "15m");
    out();
    assertEquals("", err());

    commands.list(NO, NO, "1,3", NO, false, "1");
    assertEquals(List.of("1", "3"), listedIds(out()));
    commands.list(NO, NO, "2-3", "#1", false, "1");
    assertEquals(List.of(), listedIds(out()), "ids and queries must both hold");
    commands.list(NO, NO, NO, "#2", false, "1");
    assertEquals(List.of("2"), listedIds(out()));
    // The server's query is a part of the type; --type is the whole of it.
    commands.list(NO, NO, NO, "CHARGE", false, "1");
    assertEquals(List.of("2", "3"), listedIds(out()));
    commands.list(NO, "CHARGE", NO, NO, false, "1");
    assertEquals(List.of("3"), listedIds(out()));
    commands.list(NO, NO, NO, NO, true, "1");
    assertEquals(List.of("2"), listedIds(out()), "only the dispatch that started now runs");

    commands.list(NO, NO, "3-1", NO, false, "1");
    assertEquals("dispatch:list: range '3-1' ends before it starts; write 1-3\n", err());
  }

  /** The id column of a printed table. */
  private static List<String> listedIds(String table) {
    return table.lines()
        .filter(l -> !l.startsWith("ID ") && !l.endsWith("dispatch.") && !l.endsWith("dispatches."))
        .map(l -> l.split(" +")[0])
        .toList();
  }

  @Test
  void subtypesAreTypedAndShownAsCategoryColonSubtype() {
    commands.create("1", "SUB", "BATTERY:LI_ION,INVERTER:PV,STEAM_BOILER", "+1h", "15m");
    String created = out();
    assertEquals("", err());
    assertTrue(
        created.contains("target:     categories STEAM_BOILER,INVERTER:PV,BATTERY:LI_ION"), created);
    commands.list(NO, NO, NO, NO, false, "1");
    assertTrue(out().contains("STEAM_BOILER,INVERTER:PV,BATTERY:LI_ION"));
  }

  @Test
  void failuresAreOneLineOnTheErrorStream() {
    commands.get("1", "99");
    assertEquals("", out());
    String notFound = err();
    assertEquals(1, notFound.lines().count(), notFound);
    assertTrue(notFound.startsWith("dispatch:get: "), notFound);

    commands.create("x", "DEMO", "1", "+1h", "15m");
    assertEquals("dispatch:create: 'x' is not a microgrid id (a whole number > 0)\n", err());
    commands.create("1", "DEMO", "1", "tomorrowish", "15m");
    assertTrue(err().startsWith("dispatch:create: 'tomorrowish' is not a time"));
    commands.create("1", "DEMO", "BATTERY,1", "+1h");
    assertTrue(err().contains("mixes component ids and categories"));
    commands.list("maybe", NO, NO, NO, false, "1");
    assertEquals("dispatch:list: --active must be true or false, got 'maybe'\n", err());
    commands.update(NO, NO, false, NO, NO, NO, "1", "1");
    assertTrue(err().startsWith("dispatch:update: nothing to update"));
    commands.update(NO, NO, false, NO, NO, "{'a': 1}", "1", "1");
    assertTrue(err().startsWith("dispatch:update: payload is not valid JSON"));
    commands.update(NO, "5m", true, NO, NO, NO, "1", "1");
    assertEquals("dispatch:update: give --duration or --no-duration, not both\n", err());

    // A past start time is refused before anything is sent.
    commands.create("1", "DEMO", "1", "-1h", "15m");
    assertTrue(err().startsWith("dispatch:create: "));
    assertEquals("", out());
    assertTrue(server.store(1).isEmpty());
  }

  @Test
  void deleteGoesOnAfterAMissingIdAndReportsIt() {
    commands.create("1", "DEMO", "1", "+1h", "15m");
    out();
    commands.delete("1", "5", "1");
    assertEquals("Dispatch 1 deleted.\n", out());
    String e = err();
    assertTrue(e.startsWith("dispatch:delete: dispatch 5: "), e);
    assertEquals(1, e.lines().count(), e);
    commands.delete("1", "2-1");
    assertTrue(err().contains("ends before it starts"));
  }

  @Test
  void deleteTakesIdsAndRangesMixedAndRefusesBadRanges() {
    for (int i = 0; i < 6; i++) {
      commands.create("1", "DEMO", "1", "+1h", "15m");
    }
    out();
    commands.delete("1", "3-1");
    assertEquals("dispatch:delete: range '3-1' ends before it starts; write 1-3\n", err());
    commands.delete("1", "1-");
    assertTrue(err().startsWith("dispatch:delete: '1-' is not a dispatch id or range"));
    commands.delete("1", "1-99999");
    assertEquals(
        "dispatch:delete: range '1-99999' has 99999 ids; at most 10000 at once\n", err());
    assertEquals("", out());
    assertEquals(6, server.store(1).size(), "a refused delete deletes nothing");

    commands.delete("1", "1", "2..3", "5-6", "3");
    assertEquals(
        "Dispatch 1 deleted.\nDispatch 2 deleted.\nDispatch 3 deleted.\n"
            + "Dispatch 5 deleted.\nDispatch 6 deleted.\n",
        out());
    assertEquals("", err(), "3 given twice is deleted once");
    assertEquals(List.of(4L), server.store(1).stream().map(d -> d.getMetadata().getDispatchId()).toList());
  }

  @Test
  void aWrongKeyIsReportedWithoutPrintingAnyKey() {
    try (DispatchConnection wrong = connect("wrong-" + KEY)) {
      DispatchCommands c = commands(wrong);
      c.list(NO, NO, NO, NO, false, "1");
      String e = err();
      assertEquals(1, e.lines().count(), e);
      assertTrue(e.startsWith("dispatch:list: "), e);
      assertEquals("", out());
    }
  }

  private static RunningStateChange change(Dispatch d, RunningState state) {
    return new RunningStateChange(
        d, state, Instant.parse("2026-05-04T10:00:00Z"), Optional.empty(), List.of());
  }

  @Test
  void watchPrintsEachChangeUntilTheTimeIsUpAndUnregisters() throws Exception {
    Dispatch d = connection.create(1, io.microgrid.dispatch.api.NewDispatch.builder(
            "DEMO", TargetComponents.ids(4))
        .startTime(Instant.now().plus(Duration.ofHours(1)))
        .duration(Duration.ofMinutes(5))
        .build());
    Thread watcher = new Thread(() -> commands.watch("DEMO", "1", "2"));
    watcher.start();
    RunningStateListener listener = registered.poll(10, TimeUnit.SECONDS);
    assertNotNull(listener, "no listener registered");
    Map<String, Object> props = registeredProps.take();
    assertEquals("DEMO", props.get(RunningStateListener.TYPE));
    assertEquals(1L, props.get(RunningStateListener.MICROGRID_ID));
    listener.onRunningStateChange(change(d, RunningState.RUNNING));
    listener.onRunningStateChange(change(d, RunningState.STOPPED));
    watcher.join(10_000);
    assertFalse(watcher.isAlive());
    assertEquals(1, unregistered.get());
    List<String> lines = out().lines().toList();
    assertEquals("Watching type DEMO in microgrid 1 for 2s.", lines.get(0));
    assertTrue(
        lines.get(1).startsWith("2026-05-04T10:00:00Z RUNNING dispatch " + d.id()
            + " microgrid=1 type=DEMO target=4 until=-"),
        lines.get(1));
    assertTrue(lines.get(2).startsWith("2026-05-04T10:00:00Z STOPPED dispatch "), lines.get(2));
    assertEquals(3, lines.size());
    assertEquals("", err());
  }

  @Test
  void watchRunsUntilInterruptedLikeCtrlC() throws Exception {
    Thread watcher = new Thread(() -> commands.watch("*", NO, "0"));
    watcher.start();
    assertNotNull(registered.poll(10, TimeUnit.SECONDS));
    assertEquals("*", registeredProps.take().get(RunningStateListener.TYPE));
    Thread.sleep(200);
    assertTrue(watcher.isAlive());
    assertEquals(0, unregistered.get());
    watcher.interrupt();
    watcher.join(10_000);
    assertFalse(watcher.isAlive());
    assertEquals(1, unregistered.get());
    assertEquals("Watching all types; Ctrl-C to stop.\n", out());
  }
}
