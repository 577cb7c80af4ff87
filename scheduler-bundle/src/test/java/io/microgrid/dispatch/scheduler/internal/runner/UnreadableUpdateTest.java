package io.microgrid.dispatch.scheduler.internal.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import io.microgrid.dispatch.scheduler.internal.core.Notifications;
import io.microgrid.dispatch.testing.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Semantics §9: an update of a known dispatch that the client cannot read keeps the last readable
 * version running (the client's one warning names the field), and the next readable update
 * applies at once, from the stream, not at the next resync. The real client against the loopback
 * test server, which sends the unreadable version as is; one virtual clock for both.
 */
class UnreadableUpdateTest {
  private static final long MICROGRID = 41;
  // Tomorrow: the client refuses to create a dispatch that starts in the (real) past.
  private static final Instant T = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofDays(1));

  private final BlockingQueue<String> told = new LinkedBlockingQueue<>();

  private final Notifications out =
      new Notifications() {
        @Override
        public void runningStateChanged(RunningStateChange c) {
          told.add(c.state() + " " + c.dispatch().id() + " at " + c.at() + c.until().map(u -> " until " + u).orElse(""));
        }

        @Override
        public void dispatchEvent(DispatchEvent event, Instant due) {
          told.add(event.getClass().getSimpleName() + " " + event.dispatch().id());
        }
      };

  private String next() throws InterruptedException {
    String line = told.poll(10, TimeUnit.SECONDS);
    assertNotNull(line, "nothing told within 10 s");
    return line;
  }

  @Test
  void anUnreadableUpdateKeepsTheLastReadableVersionRunningAndTheNextReadableOneAppliesAtOnce()
      throws Exception {
    VirtualClock clock = new VirtualClock(T);
    try (DispatchTestServer server = DispatchTestServer.start(null, clock);
        DispatchConnection client =
            DispatchConnection.open(
                ClientOptions.builder("grpc://127.0.0.1:" + server.port() + "?ssl=false")
                    .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                    .build());
        DispatchScheduler scheduler = new DispatchScheduler(MICROGRID, clock, out)) {
      Dispatch d =
          client.create(
              MICROGRID,
              NewDispatch.builder("CHARGE", TargetComponents.ids(1))
                  .startTime(T.plus(Duration.ofMinutes(1)))
                  .duration(Duration.ofHours(1))
                  .build());
      scheduler.useClient(client);
      assertTrue(scheduler.awaitSyncs(1, Duration.ofSeconds(15)), "in sync with the server");
      assertEquals("Created " + d.id(), next());
      clock.set(T.plus(Duration.ofMinutes(2)));
      scheduler.execute(() -> {});
      Instant end = T.plus(Duration.ofMinutes(61));
      assertEquals("RUNNING " + d.id() + " at " + T.plus(Duration.ofMinutes(1)) + " until " + end, next());

      // A newer version that the client cannot read: its start time is missing.
      var stored = server.store(MICROGRID).get(0);
      var unreadable =
          stored.toBuilder()
              .setData(stored.getData().toBuilder().clearStartTime())
              .setMetadata(
                  stored.getMetadata().toBuilder()
                      .setUpdateTime(
                          stored.getMetadata().getUpdateTime().toBuilder()
                              .setSeconds(stored.getMetadata().getUpdateTime().getSeconds() + 30)))
              .build();
      server.sendRaw(
          MICROGRID,
          StreamMicrogridDispatchesResponse.newBuilder().setEventValue(2).setDispatch(unreadable).build());

      // Then a readable update on the same stream, after the unreadable one.
      clock.set(T.plus(Duration.ofMinutes(3)));
      client.update(MICROGRID, d.id(), DispatchUpdate.builder().duration(Duration.ofHours(2)).build());

      assertEquals(
          List.of(
              "RUNNING " + d.id() + " at " + T.plus(Duration.ofMinutes(3)) + " until " + T.plus(Duration.ofMinutes(121)),
              "Updated " + d.id()),
          List.of(next(), next()),
          "the last readable version kept running (no STOPPED, no Deleted), and the next update"
              + " reconfigured it at once");
      assertEquals(
          Duration.ofHours(2),
          scheduler.query(() -> scheduler.schedule().dispatches()).get(0).duration().orElseThrow());
    }
  }
}
