package io.microgrid.dispatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.reliability.NotificationLog.Note;
import io.microgrid.dispatch.scheduler.internal.runner.DispatchScheduler;
import io.microgrid.dispatch.simulator.internal.DispatchSimulator;
import io.microgrid.dispatch.simulator.internal.SimulatorOptions;
import io.microgrid.dispatch.testing.VirtualClock;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Suite 1, server outages: the real scheduler and client, through a {@link FaultProxy}, against the
 * real simulator. Cycle after cycle the connection dies mid-stream (the link is cut; the link
 * stalls with an event in flight and is then cut; the server is killed and restarted on its store
 * file), the server's dispatches change during the outage (created, updated, deleted, one that
 * starts and stops inside the outage, one that is created and deleted inside it), and the link
 * comes back (every other cycle over a slow link).
 *
 * <p>After each recovery the scheduler's local copy must equal the server's list, and over the
 * whole cycle every notification a listener is owed must have come exactly once: no loss, no
 * duplicate, at the right instant. Time is virtual (one clock for server, clients and scheduler),
 * so dispatches start and stop during an outage without anyone waiting for them; the network,
 * the server's death and the reconnects are real.
 */
class ServerOutagesTest {
  private static final long MICROGRID = 7;
  private static final int CYCLES = 21;
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(20);

  /** How the connection dies. */
  enum Fault {
    /** Every connection is reset, and new ones are refused until the recovery. */
    CUT,
    /** The link carries nothing while a change's event is in flight; then it is cut. */
    STALL_THEN_CUT,
    /** The server process goes away; a new one starts on the same store file and port changes. */
    KILL
  }

  @TempDir Path dir;

  private final VirtualClock clock = new VirtualClock(T0);
  private final NotificationLog log = new NotificationLog();
  private DispatchSimulator server;
  private DispatchConnection admin;
  private FaultProxy proxy;
  private DispatchConnection gateway;
  private DispatchScheduler scheduler;

  @AfterEach
  void stop() {
    if (scheduler != null) {
      scheduler.close();
    }
    for (AutoCloseable c : new AutoCloseable[] {gateway, admin, proxy, server}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing anyway
      }
    }
  }

  private static ClientOptions options(int port) {
    return ClientOptions.builder("grpc://127.0.0.1:" + port + "?ssl=false")
        .callTimeout(Duration.ofSeconds(10))
        .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
        .build();
  }

  private DispatchSimulator startServer() throws IOException {
    return DispatchSimulator.start(
        SimulatorOptions.builder().port(0).storeFile(dir.resolve("store.pb")).clock(clock).build());
  }

  /** The server, the proxy in front of it, and the gateway's client and scheduler behind it. */
  private void connect() throws Exception {
    server = startServer();
    proxy = FaultProxy.start(server.port());
    // The operator's client talks to the server directly: its changes do not depend on the link.
    admin = DispatchConnection.open(options(server.port()), clock);
    gateway = DispatchConnection.open(options(proxy.port()), clock);
    scheduler = new DispatchScheduler(MICROGRID, clock, log);
    scheduler.useClient(gateway);
    assertTrue(scheduler.awaitSyncs(1, WAIT), "first sync");
  }

  @Test
  void afterEveryOutageTheLocalCopyEqualsTheServerAndEveryNotificationCameOnce() throws Exception {
    connect();

    Map<Fault, List<Long>> recoveryMicros = new EnumMap<>(Fault.class);
    int expected = 0;
    int received = 0;
    int lost = 0;
    int extra = 0;
    int changesDuringOutages = 0;
    long started = System.nanoTime();
    for (int k = 0; k < CYCLES; k++) {
      Fault fault = Fault.values()[k % Fault.values().length];
      boolean slowRecovery = (k / Fault.values().length) % 2 == 1;
      Cycle cycle = new Cycle(k, fault, slowRecovery);
      cycle.run();
      recoveryMicros.computeIfAbsent(fault, f -> new ArrayList<>()).add(cycle.recoveryMicros);
      expected += cycle.expectedCount;
      received += cycle.receivedCount;
      lost += cycle.lostCount;
      extra += cycle.extraCount;
      changesDuringOutages += cycle.changesDuringOutage;
    }
    long tookMillis = (System.nanoTime() - started) / 1_000_000;

    List<Long> all = new ArrayList<>();
    recoveryMicros.values().forEach(all::addAll);
    List<String> rows = new ArrayList<>();
    rows.add(Figures.row("outage cycles (cut / stall then cut / server killed)",
        CYCLES + " (" + recoveryMicros.get(Fault.CUT).size() + " / "
            + recoveryMicros.get(Fault.STALL_THEN_CUT).size() + " / "
            + recoveryMicros.get(Fault.KILL).size() + "), every other one recovering over a slow link"));
    rows.add(Figures.row("recoveries with local copy = server list", CYCLES + " of " + CYCLES));
    rows.add(Figures.row("changes made on the server during outages", changesDuringOutages));
    rows.add(Figures.row("notifications expected / received", expected + " / " + received));
    rows.add(Figures.row("lost / duplicated or unexpected", lost + " / " + extra));
    rows.add(Figures.row("recovery time, link back to local copy in sync: median / max",
        Figures.millis(Figures.percentile(all, 50)) + " / " + Figures.millis(Figures.percentile(all, 100))));
    for (Fault f : Fault.values()) {
      List<Long> r = recoveryMicros.get(f);
      rows.add(Figures.row("  after " + f.name().toLowerCase().replace('_', ' ') + ": median / max",
          Figures.millis(Figures.percentile(r, 50)) + " / " + Figures.millis(Figures.percentile(r, 100))));
    }
    rows.add(Figures.row("suite wall time", tookMillis + " ms"));
    Figures.publish("Server outages", rows);
  }

  /**
   * An outage that lasts until the gateway has tried to reconnect four times. The stream's own
   * backoff (20 ms doubling to 200 ms here) would make those four attempts within a second; the
   * figure shows how long they really take, and how long the gateway then needs to notice that the
   * server is back: gRPC's channel has a reconnect backoff of its own underneath the stream's.
   */
  @Test
  void afterALongOutageTheLocalCopyEqualsTheServerAgain() throws Exception {
    connect();
    Instant now = clock.advance(Duration.ofHours(1));
    int mark = log.size();
    Dispatch before =
        admin.create(MICROGRID, NewDispatch.builder("RELIABILITY", TargetComponents.ids(1))
            .startTime(now.plus(Duration.ofHours(1))).duration(Duration.ofMinutes(5)).build());
    log.await(mark, n -> n.id() == before.id() && n.what().equals("Created"), WAIT, "Created");
    int syncs = scheduler.completedSyncs();
    int attempts = proxy.acceptedConnections();

    long outageStart = System.nanoTime();
    proxy.refuse(true);
    proxy.cut();
    clock.advance(Duration.ofMinutes(1));
    admin.delete(MICROGRID, before.id());
    Dispatch during =
        admin.create(MICROGRID, NewDispatch.builder("RELIABILITY", TargetComponents.ids(2))
            .startTime(now.plus(Duration.ofHours(2))).duration(Duration.ofMinutes(5)).build());
    Await.until(
        () -> proxy.acceptedConnections() >= attempts + 4,
        Duration.ofSeconds(60),
        () -> "four reconnect attempts; " + (proxy.acceptedConnections() - attempts) + " so far");
    long outageMillis = (System.nanoTime() - outageStart) / 1_000_000;
    long t0 = System.nanoTime();
    proxy.refuse(false);
    assertTrue(scheduler.awaitSyncs(syncs + 1, Duration.ofSeconds(150)), "resynced after the long outage");
    long recoveryMicros = (System.nanoTime() - t0) / 1_000;

    List<Dispatch> onServer =
        admin.list(MICROGRID, DispatchQuery.ALL).sorted(Comparator.comparingLong(Dispatch::id)).toList();
    assertEquals(List.of(during), onServer);
    assertEquals(onServer, scheduler.query(() -> scheduler.schedule().dispatches()), "local copy");
    Map<Long, List<String>> told = new TreeMap<>();
    log.since(mark).forEach(n -> told.computeIfAbsent(n.id(), id -> new ArrayList<>()).add(n.what()));
    assertEquals(
        Map.of(before.id(), List.of("Created", "Deleted"), during.id(), List.of("Created")), told);

    Figures.publish(
        "Long outage",
        List.of(
            Figures.row("outage until the gateway made 4 reconnect attempts (the stream's backoff"
                + " alone, 20 ms doubling to 200 ms, would make them within 0.3 s)", outageMillis + " ms"),
            Figures.row("recovery time, link back to local copy in sync", Figures.millis(recoveryMicros))));
  }

  /**
   * One hour of virtual time around one outage, from minute 10 to minute 25. What the listeners are
   * owed is written down as the script goes, per dispatch, with the instant they are owed it.
   */
  private final class Cycle {
    final int k;
    final Fault fault;
    final boolean slowRecovery;
    final Instant base;
    final Map<Long, String> names = new LinkedHashMap<>();
    final Map<String, List<String>> expected = new TreeMap<>();
    final int mark = log.size();
    long recoveryMicros;
    int expectedCount;
    int receivedCount;
    int lostCount;
    int extraCount;
    int changesDuringOutage;
    boolean outage;

    Cycle(int k, Fault fault, boolean slowRecovery) {
      this.k = k;
      this.fault = fault;
      this.slowRecovery = slowRecovery;
      this.base = T0.plus(Duration.ofHours(k + 1));
    }

    void run() throws Exception {
      // Connected: four dispatches become known through the stream.
      minute(0);
      Dispatch s = create("S", 2, 55, 0); // runs across the outage, untouched: told nothing again
      Dispatch p = create("P", 5, 40, 0); // runs across the outage and is changed during it
      Dispatch q = create("Q", 50, 5, 0); // deleted during the outage, before it ever ran
      Dispatch r = create("R", 8, 10, 0); // stops during the outage: the local schedule stops it
      expect(s, "Created", 0);
      expect(p, "Created", 0);
      expect(q, "Created", 0);
      expect(r, "Created", 0);
      minute(2);
      expect(s, "RUNNING", 2);
      minute(5);
      expect(p, "RUNNING", 5);
      minute(8);
      expect(r, "RUNNING", 8);

      // The connection dies mid-stream.
      minute(10);
      int syncs = scheduler.completedSyncs();
      assertTrue(scheduler.isConnected(), "connected before the outage");
      outage = true;
      breakConnection(p);
      Await.until(() -> !scheduler.isConnected(), WAIT, () -> "the scheduler noticed the " + fault);

      // The server changes while the gateway cannot hear it.
      minute(11);
      p = change(p, DispatchUpdate.builder().payload(Payload.of(Map.of("cycle", k))).build());
      minute(12);
      Dispatch a = create("A", 14, 6, 0); // starts and stops inside the outage
      minute(13);
      delete(q);
      minute(15);
      Dispatch b = create("B", 20, 30, 0); // started during the outage, runs at the recovery
      minute(16);
      Dispatch f = create("F", 55, 1, 0);
      minute(17);
      delete(f); // created and deleted inside the outage: nobody hears of it
      minute(18);
      expect(r, "STOPPED", 18);
      minute(19);
      r = change(r, DispatchUpdate.builder().payload(Payload.of(Map.of("stopped", true))).build());
      minute(25);

      // Back: one list brings the local copy in step, with what the missed events would have said.
      recover(syncs);
      outage = false;
      expect(p, "RUNNING", 25); // reconfigured: its payload changed while it ran
      expect(p, "Updated", 25);
      expect(a, "Created", 25); // its only run is over: nothing to run
      expect(q, "Deleted", 25);
      expect(b, "RUNNING", 25);
      expect(b, "Created", 25);
      expect(r, "Updated", 25);
      assertLocalCopyEqualsServer("after recovery " + k + " (" + fault + ")");

      // The stream works again.
      minute(30);
      b = change(b, DispatchUpdate.builder().duration(Duration.ofMinutes(25)).build());
      awaitNote(b, "Updated", b.updateTime());
      expect(b, "RUNNING", 30);
      expect(b, "Updated", 30);
      minute(45);
      expect(p, "STOPPED", 45);
      expect(b, "STOPPED", 45);
      minute(57);
      expect(s, "STOPPED", 57);
      minute(59);
      for (Dispatch d : List.of(s, p, a, b, r)) {
        delete(d);
        awaitNote(d, "Deleted", null);
        expect(d, "Deleted", 59);
      }
      assertLocalCopyEqualsServer("at the end of cycle " + k);
      if (slowRecovery) {
        proxy.fast();
      }

      Map<String, List<String>> got = new TreeMap<>();
      for (Note n : log.since(mark)) {
        got.computeIfAbsent(name(n.id()), x -> new ArrayList<>()).add(n.what() + "@" + minuteOf(n.at()));
      }
      expectedCount = expected.values().stream().mapToInt(List::size).sum();
      receivedCount = got.values().stream().mapToInt(List::size).sum();
      for (String name : names.values()) {
        List<String> unmatched = new ArrayList<>(got.getOrDefault(name, List.of()));
        for (String e : expected.getOrDefault(name, List.of())) {
          if (!unmatched.remove(e)) {
            lostCount++;
          }
        }
        extraCount += unmatched.size();
      }
      assertEquals(expected, got, "cycle " + k + " (" + fault + "): notifications per dispatch");
    }

    private void breakConnection(Dispatch running) throws Exception {
      switch (fault) {
        case CUT -> {
          proxy.refuse(true);
          proxy.cut();
        }
        case STALL_THEN_CUT -> {
          proxy.stall();
          // The event of this change reaches the proxy and goes no further.
          change(running, DispatchUpdate.builder().payload(Payload.of(Map.of("in.flight", k))).build());
          Await.until(() -> proxy.heldBytes() > 0, WAIT, () -> "the event is held by the stalled link");
          proxy.refuse(true);
          proxy.cut();
          proxy.resume();
        }
        case KILL -> {
          proxy.refuse(true);
          server.close();
          admin.close();
          server = startServer();
          admin = DispatchConnection.open(options(server.port()), clock);
        }
      }
    }

    private void recover(int syncsBefore) throws InterruptedException {
      proxy.upstream(server.port());
      if (slowRecovery) {
        // 20 ms per chunk and 64 KB/s: a poor mobile link.
        proxy.slow(Duration.ofMillis(20), 64 * 1024);
      }
      long t0 = System.nanoTime();
      proxy.refuse(false);
      assertTrue(scheduler.awaitSyncs(syncsBefore + 1, WAIT), "resynced after the " + fault);
      recoveryMicros = (System.nanoTime() - t0) / 1_000;
      assertTrue(scheduler.isConnected(), "the stream is back");
    }

    private void assertLocalCopyEqualsServer(String when) {
      List<Dispatch> onServer =
          admin.list(MICROGRID, DispatchQuery.ALL).sorted(Comparator.comparingLong(Dispatch::id)).toList();
      List<Dispatch> local = scheduler.query(() -> scheduler.schedule().dispatches());
      assertEquals(onServer, local, "local copy " + when);
    }

    /** Moves the virtual clock and lets the scheduler run what is due, then waits for it. */
    private void minute(int m) {
      clock.set(base.plus(Duration.ofMinutes(m)));
      scheduler.execute(() -> {});
      scheduler.query(() -> null);
    }

    private Dispatch create(String name, int startMinute, int durationMinutes, int payload)
        throws InterruptedException {
      Dispatch d =
          admin.create(
              MICROGRID,
              NewDispatch.builder("RELIABILITY", TargetComponents.ids(1))
                  .startTime(base.plus(Duration.ofMinutes(startMinute)))
                  .duration(Duration.ofMinutes(durationMinutes))
                  .payload(Payload.of(Map.of("v", payload)))
                  .build());
      names.put(d.id(), name);
      if (isOutage()) {
        changesDuringOutage++;
      } else {
        awaitNote(d, "Created", null);
      }
      return d;
    }

    private Dispatch change(Dispatch d, DispatchUpdate update) {
      if (isOutage()) {
        changesDuringOutage++;
      }
      return admin.update(MICROGRID, d.id(), update);
    }

    private void delete(Dispatch d) {
      if (isOutage()) {
        changesDuringOutage++;
      }
      admin.delete(MICROGRID, d.id());
    }

    private boolean isOutage() {
      return outage;
    }

    private void awaitNote(Dispatch d, String what, Instant updateTime) throws InterruptedException {
      log.await(
          mark,
          n -> n.id() == d.id()
              && n.what().equals(what)
              && (updateTime == null || n.dispatch().updateTime().equals(updateTime)),
          WAIT,
          what + " of " + name(d.id()) + " in cycle " + k);
    }

    private void expect(Dispatch d, String what, int minute) {
      expected.computeIfAbsent(name(d.id()), x -> new ArrayList<>()).add(what + "@" + minute);
    }

    private String name(long id) {
      return names.getOrDefault(id, "#" + id);
    }

    private String minuteOf(Instant at) {
      Duration since = Duration.between(base, at);
      return since.toSeconds() % 60 == 0 && !since.isNegative()
          ? Long.toString(since.toMinutes())
          : at.toString();
    }
  }
}
