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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Suite 2, live reconfiguration: the client's configuration is changed 100 times while the server's
 * dispatches keep changing. Most changes move the client to the other of two proxies in front of
 * the same server (a new channel; the open stream moves and the scheduler resyncs), every fifth
 * only changes the call timeout (applied in place). Meanwhile a producer updates three running
 * dispatches one after the other, each update as soon as the previous one was notified, so that
 * updates land before, during and after every move.
 *
 * <p>Every update must reach the listeners exactly once, whether through the stream or through the
 * resync after a move: one Updated and one RUNNING (reconfigure) carrying that version. Nothing
 * else may be told: no STOPPED, no second RUNNING, no Created or Deleted.
 */
class LiveReconfigurationTest {
  private static final long MICROGRID = 8;
  private static final int RECONFIGURATIONS = 100;
  private static final int UPDATES_BETWEEN = 2;
  private static final Instant T0 = Instant.parse("2030-06-01T00:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final VirtualClock clock = new VirtualClock(T0);
  private final NotificationLog log = new NotificationLog();
  private final List<AutoCloseable> closeLast = new ArrayList<>();
  private DispatchScheduler scheduler;
  private ExecutorService reconfigurer;

  @AfterEach
  void stop() {
    if (reconfigurer != null) {
      reconfigurer.shutdownNow();
    }
    if (scheduler != null) {
      scheduler.close();
    }
    for (AutoCloseable c : closeLast) {
      try {
        c.close();
      } catch (Exception e) {
        // closing anyway
      }
    }
  }

  private <T extends AutoCloseable> T closeLater(T c) {
    closeLast.add(0, c);
    return c;
  }

  private static ClientOptions options(int port, Duration callTimeout) {
    return ClientOptions.builder("grpc://127.0.0.1:" + port + "?ssl=false")
        .callTimeout(callTimeout)
        .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
        .build();
  }

  @Test
  void everyUpdateIsNotifiedExactlyOnceWhileTheClientIsReconfiguredAHundredTimes() throws Exception {
    DispatchSimulator server =
        closeLater(DispatchSimulator.start(SimulatorOptions.builder().port(0).clock(clock).build()));
    FaultProxy first = closeLater(FaultProxy.start(server.port()));
    FaultProxy second = closeLater(FaultProxy.start(server.port()));
    second.slow(Duration.ofMillis(5), 0); // a second route, a little further away
    DispatchConnection admin =
        closeLater(DispatchConnection.open(options(server.port(), Duration.ofSeconds(10)), clock));
    DispatchConnection gateway =
        closeLater(DispatchConnection.open(options(first.port(), Duration.ofSeconds(10)), clock));
    scheduler = new DispatchScheduler(MICROGRID, clock, log);
    scheduler.useClient(gateway);
    assertTrue(scheduler.awaitSyncs(1, WAIT), "first sync");

    List<Dispatch> running = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Dispatch d =
          admin.create(
              MICROGRID,
              NewDispatch.builder("RECONFIGURE", TargetComponents.ids(i + 1))
                  .startTime(T0.plus(Duration.ofMinutes(1)))
                  .duration(Duration.ofDays(1))
                  .build());
      log.await(0, n -> n.id() == d.id() && n.what().equals("Created"), WAIT, "Created " + d.id());
      running.add(d);
    }
    clock.set(T0.plus(Duration.ofMinutes(2)));
    scheduler.execute(() -> {});
    for (Dispatch d : running) {
      log.await(0, n -> n.id() == d.id() && n.what().equals("RUNNING"), WAIT, "RUNNING " + d.id());
    }
    int mark = log.size();
    int syncsBefore = scheduler.completedSyncs();

    // Moves the client between the proxies, each time after the producer's next updates.
    AtomicInteger notifiedUpdates = new AtomicInteger();
    AtomicBoolean reconfiguring = new AtomicBoolean(true);
    int[] moves = new int[1];
    reconfigurer = Executors.newSingleThreadExecutor(r -> new Thread(r, "reconfigurer"));
    Future<?> reconfigurations =
        reconfigurer.submit(
            () -> {
              int port = first.port();
              for (int j = 1; j <= RECONFIGURATIONS; j++) {
                int after = notifiedUpdates.get() + UPDATES_BETWEEN;
                Await.until(() -> notifiedUpdates.get() >= after, WAIT, () -> "the producer's updates");
                if (j % 5 == 0) {
                  gateway.reconfigure(options(port, Duration.ofSeconds(10 + j)));
                } else {
                  port = port == first.port() ? second.port() : first.port();
                  gateway.reconfigure(options(port, Duration.ofSeconds(10)));
                  moves[0]++;
                }
              }
              reconfiguring.set(false);
              return null;
            });

    // The producer: one update at a time, each awaited, until the reconfigurations are over and
    // a few more show that the stream still works after the last one.
    Map<String, Integer> versions = new HashMap<>();
    List<Long> latencyMicros = new ArrayList<>();
    int i = 0;
    int after = 0;
    while (reconfiguring.get() || after++ < 3) {
      Dispatch d = running.get(i % running.size());
      clock.advance(Duration.ofSeconds(1));
      long t0 = System.nanoTime();
      Dispatch updated =
          admin.update(MICROGRID, d.id(), DispatchUpdate.builder().payload(Payload.of(Map.of("n", i))).build());
      Instant version = updated.updateTime();
      log.await(
          mark,
          n -> n.id() == d.id() && n.what().equals("Updated") && n.dispatch().updateTime().equals(version),
          WAIT,
          "update " + i + " of dispatch " + d.id() + " (lost after " + moves[0] + " moves)");
      latencyMicros.add((System.nanoTime() - t0) / 1_000);
      versions.put(d.id() + "@" + version, 0);
      notifiedUpdates.incrementAndGet();
      i++;
      if (reconfigurations.isDone()) {
        reconfigurations.get(); // a failure of the reconfigurer fails the test
      }
    }
    reconfigurations.get(WAIT.toSeconds(), TimeUnit.SECONDS);

    // Every version told exactly once as Updated and once as RUNNING, and nothing else told.
    Map<String, Integer> updatedNotes = new HashMap<>(versions);
    Map<String, Integer> runningNotes = new HashMap<>(versions);
    List<String> unexpected = new ArrayList<>();
    List<Note> notes = log.since(mark);
    for (Note n : notes) {
      String v = n.id() + "@" + n.dispatch().updateTime();
      Map<String, Integer> counts =
          n.what().equals("Updated") ? updatedNotes : n.what().equals("RUNNING") ? runningNotes : null;
      if (counts == null || !counts.containsKey(v)) {
        unexpected.add(n.what() + " " + v);
      } else {
        counts.merge(v, 1, Integer::sum);
      }
    }
    long lost = versions.keySet().stream().filter(v -> updatedNotes.get(v) == 0 || runningNotes.get(v) == 0).count();
    long duplicated =
        versions.keySet().stream().filter(v -> updatedNotes.get(v) > 1 || runningNotes.get(v) > 1).count();
    int syncs = scheduler.completedSyncs() - syncsBefore;

    List<String> rows = new ArrayList<>();
    rows.add(Figures.row("live configuration changes (moves between two proxies / in place)",
        RECONFIGURATIONS + " (" + moves[0] + " / " + (RECONFIGURATIONS - moves[0]) + ")"));
    rows.add(Figures.row("updates of running dispatches meanwhile", versions.size()));
    rows.add(Figures.row("notifications expected / received", 2 * versions.size() + " / " + notes.size()));
    rows.add(Figures.row("versions lost / duplicated / unexpected notifications",
        lost + " / " + duplicated + " / " + unexpected.size()));
    rows.add(Figures.row("resyncs after moves", syncs));
    rows.add(Figures.row("update to notification: p50 / p99 / max",
        Figures.millis(Figures.percentile(latencyMicros, 50)) + " / "
            + Figures.millis(Figures.percentile(latencyMicros, 99)) + " / "
            + Figures.millis(Figures.percentile(latencyMicros, 100))));
    Figures.publish("Live reconfiguration", rows);

    assertEquals(List.of(), unexpected, "notifications of no update");
    assertEquals(0, lost, () -> "versions never told (Updated, RUNNING): " + told(versions, updatedNotes, runningNotes, 0));
    assertEquals(0, duplicated, () -> "versions told twice (Updated, RUNNING): " + told(versions, updatedNotes, runningNotes, 2));
    assertEquals(2 * versions.size(), notes.size());
    List<Dispatch> onServer =
        admin.list(MICROGRID, DispatchQuery.ALL).sorted(Comparator.comparingLong(Dispatch::id)).toList();
    assertEquals(onServer, scheduler.query(() -> scheduler.schedule().dispatches()), "local copy");
  }

  /** The versions told {@code times} times as Updated or as RUNNING (2: twice or more). */
  private static Map<String, List<Integer>> told(
      Map<String, Integer> versions, Map<String, Integer> updated, Map<String, Integer> running, int times) {
    Map<String, List<Integer>> matching = new java.util.TreeMap<>();
    for (String v : versions.keySet()) {
      int u = updated.get(v);
      int r = running.get(v);
      if (times == 0 ? u == 0 || r == 0 : u >= times || r >= times) {
        matching.put(v, List.of(u, r));
      }
    }
    return matching;
  }
}
