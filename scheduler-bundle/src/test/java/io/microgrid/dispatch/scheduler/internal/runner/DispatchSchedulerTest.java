package io.microgrid.dispatch.scheduler.internal.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import io.microgrid.dispatch.scheduler.internal.core.Notifications;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler with the real client against a real gRPC server on loopback and the system
 * clock: sync at start, dispatches run on time, and a change made while the stream is down still
 * runs after the reconnect.
 */
class DispatchSchedulerTest {
  private static final long MICROGRID = 21;

  private DispatchTestServer server;
  private DispatchConnection client;
  private DispatchScheduler scheduler;
  private final BlockingQueue<String> lifecycle = new LinkedBlockingQueue<>();
  private final BlockingQueue<Notified> changes = new LinkedBlockingQueue<>();

  /** A running-state change and when the scheduler handed it over. */
  record Notified(RunningStateChange change, Instant notifiedAt) {}

  @BeforeEach
  void start() throws Exception {
    server = DispatchTestServer.start();
    client =
        DispatchConnection.open(
            ClientOptions.builder("grpc://127.0.0.1:" + server.port() + "?ssl=false")
                .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                .build());
    Notifications out =
        new Notifications() {
          @Override
          public void runningStateChanged(RunningStateChange change) {
            changes.add(new Notified(change, Instant.now()));
          }

          @Override
          public void dispatchEvent(DispatchEvent event, Instant due) {
            lifecycle.add(event.getClass().getSimpleName() + " " + event.dispatch().id());
          }
        };
    scheduler = new DispatchScheduler(MICROGRID, Clock.systemUTC(), out);
  }

  @AfterEach
  void stop() {
    scheduler.close();
    client.close();
    server.close();
  }

  private static NewDispatch startingIn(Duration in, Duration duration) {
    return NewDispatch.builder("TEST", TargetComponents.ids(1))
        .startTime(Instant.now().plus(in))
        .duration(duration)
        .build();
  }

  private Notified nextChange() throws InterruptedException {
    Notified n = changes.poll(15, TimeUnit.SECONDS);
    assertNotNull(n, "no running-state change within 15 s");
    return n;
  }

  private String nextEvent() throws InterruptedException {
    String e = lifecycle.poll(15, TimeUnit.SECONDS);
    assertNotNull(e, "no lifecycle event within 15 s");
    return e;
  }

  @Test
  void dispatchesListedAtStartAndCreatedLaterRunAndStopOnTime() throws Exception {
    Dispatch early = client.create(MICROGRID, startingIn(Duration.ofMillis(1500), Duration.ofSeconds(1)));
    scheduler.useClient(client);
    assertEquals("Created " + early.id(), nextEvent(), "the initial list");

    Dispatch later = client.create(MICROGRID, startingIn(Duration.ofMillis(2500), Duration.ZERO));
    assertEquals("Created " + later.id(), nextEvent(), "from the stream");

    Notified running = nextChange();
    assertEquals(early.id(), running.change().dispatch().id());
    assertEquals(RunningState.RUNNING, running.change().state());
    assertEquals(early.startTime(), running.change().at());
    assertFalse(running.notifiedAt().isBefore(early.startTime()), "never early");

    Notified stopped = nextChange();
    assertEquals(RunningState.STOPPED, stopped.change().state());
    assertEquals(early.startTime().plusSeconds(1), stopped.change().at());

    Notified zeroOn = nextChange();
    Notified zeroOff = nextChange();
    assertEquals(later.id(), zeroOn.change().dispatch().id());
    assertEquals(RunningState.RUNNING, zeroOn.change().state());
    assertEquals(RunningState.STOPPED, zeroOff.change().state());
    assertEquals(later.startTime(), zeroOff.change().at());
  }

  @Test
  void aDispatchCreatedWhileTheStreamIsDownRunsOnTimeAfterTheReconnect() throws Exception {
    scheduler.useClient(client);
    server.awaitOpenStreams(MICROGRID, 1, Duration.ofSeconds(10));
    // The first list runs beside the stream's opening: on a busy machine it could still be under
    // way, and find the dispatch created below, which is not what this test is about.
    assertTrue(scheduler.awaitSyncs(1, Duration.ofSeconds(10)), "the first sync");

    server.streamOutage(true);
    Dispatch meanwhile = client.create(MICROGRID, startingIn(Duration.ofSeconds(2), Duration.ofSeconds(1)));
    assertTrue(lifecycle.isEmpty(), "no stream delivered it");
    server.streamOutage(false);

    assertEquals("Created " + meanwhile.id(), nextEvent(), "found by the resync after the reconnect");
    Notified running = nextChange();
    assertEquals(meanwhile.id(), running.change().dispatch().id());
    assertEquals(RunningState.RUNNING, running.change().state());
    assertEquals(meanwhile.startTime(), running.change().at());
    assertFalse(running.notifiedAt().isBefore(meanwhile.startTime()));
    assertEquals(RunningState.STOPPED, nextChange().change().state());
  }

  @Test
  void switchingToAnotherClientRepeatsNothingThatAlreadyRan() throws Exception {
    Dispatch running = client.create(MICROGRID, startingIn(Duration.ofMillis(300), Duration.ofSeconds(30)));
    scheduler.useClient(client);
    assertTrue(scheduler.awaitSyncs(1, Duration.ofSeconds(10)));
    assertEquals("Created " + running.id(), nextEvent());
    assertEquals(RunningState.RUNNING, nextChange().change().state());

    try (DispatchConnection other =
        DispatchConnection.open(
            ClientOptions.builder("grpc://127.0.0.1:" + server.port() + "?ssl=false").build())) {
      scheduler.useClient(other);
      assertTrue(scheduler.awaitSyncs(2, Duration.ofSeconds(10)), "the new client's sync ran");
      server.awaitOpenStreams(MICROGRID, 1, Duration.ofSeconds(10));
      Dispatch after = other.create(MICROGRID, startingIn(Duration.ofHours(1), Duration.ofSeconds(1)));
      assertEquals("Created " + after.id(), nextEvent(), "the new client's stream works");
      assertTrue(changes.isEmpty(), "no repeated RUNNING: " + changes);
      assertTrue(lifecycle.isEmpty(), "no repeated lifecycle event: " + lifecycle);
    }
  }

  @Test
  void movingToAnotherMicrogridStopsTheOldOnesAndLoadsTheNewOnes() throws Exception {
    long otherMicrogrid = MICROGRID + 1;
    Dispatch here = client.create(MICROGRID, startingIn(Duration.ofMillis(200), Duration.ofSeconds(60)));
    Dispatch there = client.create(otherMicrogrid, startingIn(Duration.ofMillis(200), Duration.ofSeconds(60)));
    scheduler.useClient(client);
    assertEquals("Created " + here.id(), nextEvent());
    assertEquals(here.id(), nextChange().change().dispatch().id());

    scheduler.changeMicrogrid(otherMicrogrid);

    Notified stopped = nextChange();
    assertEquals(here.id(), stopped.change().dispatch().id());
    assertEquals(RunningState.STOPPED, stopped.change().state());
    Notified running = nextChange();
    assertEquals(there.id(), running.change().dispatch().id());
    assertEquals(RunningState.RUNNING, running.change().state());
    assertEquals("Created " + there.id(), nextEvent());
    assertEquals(otherMicrogrid, scheduler.microgridId());
  }

  @Test
  void theLocalScheduleKeepsRunningWhileTheServerIsAway() throws Exception {
    Dispatch d = client.create(MICROGRID, startingIn(Duration.ofMillis(1500), Duration.ofSeconds(1)));
    scheduler.useClient(client);
    assertEquals("Created " + d.id(), nextEvent());

    server.close();

    assertEquals(RunningState.RUNNING, nextChange().change().state());
    assertEquals(RunningState.STOPPED, nextChange().change().state());
    assertTrue(lifecycle.isEmpty(), "losing the server deletes nothing");
  }

  @Test
  void duplicateOlderAndMalformedStreamEventsAreIgnoredAndTheNextRealChangeApplies()
      throws Exception {
    scheduler.useClient(client);
    assertTrue(scheduler.awaitSyncs(1, Duration.ofSeconds(10)));
    server.awaitOpenStreams(MICROGRID, 1, Duration.ofSeconds(10));
    Dispatch d = client.create(MICROGRID, startingIn(Duration.ofHours(1), Duration.ofMinutes(1)));
    assertEquals("Created " + d.id(), nextEvent());
    var stored = server.store(MICROGRID).get(0);

    // The same version again, as CREATED and as UPDATED: nothing new.
    server.sendRaw(MICROGRID, event(1, stored));
    server.sendRaw(MICROGRID, event(2, stored));
    // An older version arriving late, with another duration: older than what is held.
    var older =
        stored.toBuilder()
            .setData(stored.getData().toBuilder().setDuration(5))
            .setMetadata(
                stored.getMetadata().toBuilder()
                    .setUpdateTime(
                        stored.getMetadata().getUpdateTime().toBuilder()
                            .setSeconds(stored.getMetadata().getUpdateTime().getSeconds() - 60)))
            .build();
    server.sendRaw(MICROGRID, event(2, older));
    // A malformed dispatch the scheduler does not hold (no start time): skipped with a warning,
    // the stream goes on. (A malformed version of a held dispatch keeps the last readable one:
    // UnreadableUpdateTest.)
    var malformed =
        stored.toBuilder()
            .setMetadata(stored.getMetadata().toBuilder().setDispatchId(d.id() + 1000))
            .setData(stored.getData().toBuilder().clearStartTime())
            .build();
    server.sendRaw(MICROGRID, event(2, malformed));

    // A real change: the first lifecycle event after the creation, so none of the above counted.
    client.update(MICROGRID, d.id(), DispatchUpdate.builder().duration(Duration.ofMinutes(2)).build());
    assertEquals("Updated " + d.id(), nextEvent());
    Dispatch held =
        scheduler.query(() -> scheduler.schedule().dispatches()).stream()
            .filter(x -> x.id() == d.id())
            .findFirst()
            .orElseThrow();
    assertEquals(Optional.of(Duration.ofMinutes(2)), held.duration());
    assertTrue(lifecycle.isEmpty(), "nothing else: " + lifecycle);
    assertTrue(scheduler.isConnected(), "the stream survived the bad events");
  }

  private static StreamMicrogridDispatchesResponse event(
      int number, io.microgrid.dispatch.protocol.Dispatch dispatch) {
    return StreamMicrogridDispatchesResponse.newBuilder()
        .setEventValue(number)
        .setDispatch(dispatch)
        .build();
  }
}
