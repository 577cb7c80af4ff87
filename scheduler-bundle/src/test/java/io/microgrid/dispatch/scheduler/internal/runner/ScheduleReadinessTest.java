package io.microgrid.dispatch.scheduler.internal.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import io.microgrid.dispatch.scheduler.internal.core.Recorder;
import io.microgrid.dispatch.scheduler.internal.delivery.ListenerMemories;
import io.microgrid.dispatch.scheduler.internal.persist.ScheduleStore;
import io.microgrid.dispatch.testing.VirtualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When the runner tells that a microgrid's schedule is loaded (what the ready condition follows):
 * by the first full list from the server, or at once from the persisted copy when offline, with
 * the runs it resumed silently; and that it left a microgrid.
 */
class ScheduleReadinessTest {
  private static final long MICROGRID = 41;
  // Tomorrow: the client refuses to create a dispatch that starts in the (real) past.
  private static final Instant T = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(1));

  @TempDir Path dir;

  /** What the runner told, on its thread; read through {@link DispatchScheduler#query}. */
  private static final class Told implements ScheduleReadiness {
    final List<String> calls = new ArrayList<>();

    @Override
    public void loaded(long microgridId, List<RunningStateChange> running) {
      calls.add("loaded " + microgridId + " running " + running.stream().map(c -> c.dispatch().id()).toList());
    }

    @Override
    public void left(long microgridId) {
      calls.add("left " + microgridId);
    }
  }

  private DispatchScheduler scheduler(VirtualClock clock, Told told) {
    return new DispatchScheduler(
        MICROGRID, clock, new Recorder(), new ScheduleStore(mg -> dir.resolve(mg + ".pb"), clock),
        ListenerMemories.NONE, told);
  }

  private static DispatchConnection connect(DispatchTestServer server) {
    return DispatchConnection.open(
        ClientOptions.builder("grpc://127.0.0.1:" + server.port() + "?ssl=false")
            .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
            .build());
  }

  @Test
  void withoutACopyTheFirstListLoadsItAndTheRunsWithinItAreNotifiedAsUsual() throws Exception {
    VirtualClock clock = new VirtualClock(T);
    Told told = new Told();
    try (DispatchTestServer server = DispatchTestServer.start(null, clock);
        DispatchConnection client = connect(server)) {
      DispatchScheduler scheduler = scheduler(clock, told);
      try {
        assertEquals(List.of(), scheduler.query(() -> List.copyOf(told.calls)), "no copy, no server: not loaded");
        scheduler.useClient(client);
        assertTrue(scheduler.awaitSyncs(1, Duration.ofSeconds(15)), "in sync with the server");
        assertEquals(List.of("loaded 41 running []"), scheduler.query(() -> List.copyOf(told.calls)));
      } finally {
        scheduler.close();
      }
    }
  }

  @Test
  void offlineTheCopyLoadsItAtOnceWithTheRunResumedSilentlyAndAChangeOfMicrogridLeavesIt() throws Exception {
    VirtualClock clock = new VirtualClock(T);
    Dispatch d;
    try (DispatchTestServer server = DispatchTestServer.start(null, clock);
        DispatchConnection client = connect(server)) {
      d = client.create(
          MICROGRID,
          NewDispatch.builder("CHARGE", TargetComponents.ids(1))
              .startTime(T.plus(Duration.ofMinutes(10)))
              .duration(Duration.ofMinutes(5))
              .build());
      clock.set(T.plus(Duration.ofMinutes(11)));
      DispatchScheduler first = scheduler(clock, new Told());
      first.useClient(client);
      assertTrue(first.awaitSyncs(1, Duration.ofSeconds(15)), "in sync with the server");
      first.close();
    }

    // No server: only the copy, in which d was told RUNNING and still runs.
    Told told = new Told();
    DispatchScheduler restarted = scheduler(clock, told);
    try {
      assertEquals(
          List.of("loaded 41 running [" + d.id() + "]"), restarted.query(() -> List.copyOf(told.calls)));
      restarted.changeMicrogrid(42);
      assertEquals(
          List.of("loaded 41 running [" + d.id() + "]", "left 41"),
          restarted.query(() -> List.copyOf(told.calls)),
          "microgrid 42 has no copy and no server: not loaded");
    } finally {
      restarted.close();
    }
  }
}
