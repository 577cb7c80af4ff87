package io.microgrid.dispatch.simulator.internal;

import static io.microgrid.dispatch.simulator.internal.Loopback.newDispatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchStreamListener;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.client.DispatchConnection;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stream events for every change, to every open stream of the changed dispatch's microgrid. */
class SimulatorStreamTest {
  private static final long MICROGRID = 11;
  private static final String KEY = "stream-key";

  private DispatchSimulator simulator;
  private DispatchConnection client;

  @BeforeEach
  void start() throws Exception {
    simulator = DispatchSimulator.start(SimulatorOptions.builder().port(0).key(KEY).build());
    client = DispatchConnection.open(Loopback.clientOptions(simulator.port(), KEY));
  }

  @AfterEach
  void stop() {
    client.close();
    simulator.close();
  }

  /** Records what a subscription reports, as short lines, for the test to wait on. */
  static final class Recorder implements DispatchStreamListener {
    final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    @Override
    public void onConnected(boolean reconnect) {
      lines.add(reconnect ? "reconnected" : "connected");
    }

    @Override
    public void onEvent(DispatchEvent event) {
      Dispatch d = event.dispatch();
      lines.add(event.getClass().getSimpleName() + " " + d.id() + " " + d.type() + " active=" + d.active());
    }

    @Override
    public void onUnreadable(long dispatchId, String reason) {
      lines.add("unreadable " + dispatchId + ": " + reason);
    }

    @Override
    public void onDisconnected(DispatchApiException cause) {
      lines.add("disconnected " + cause.status());
    }

    String next() throws InterruptedException {
      String line = lines.poll(10, TimeUnit.SECONDS);
      assertNotNull(line, "the stream reported nothing within 10 s");
      return line;
    }
  }

  @Test
  void everyChangeReachesEveryStreamOfItsMicrogrid() throws Exception {
    Recorder first = new Recorder();
    Recorder second = new Recorder();
    Recorder other = new Recorder();
    try (DispatchSubscription a = client.stream(MICROGRID, first);
        DispatchSubscription b = client.stream(MICROGRID, second);
        DispatchSubscription c = client.stream(MICROGRID + 1, other)) {
      // The simulator sends the headers once a stream is registered, so "connected" means that
      // every later change reaches it.
      assertEquals("connected", first.next());
      assertEquals("connected", second.next());
      assertEquals("connected", other.next());

      Dispatch d = client.create(MICROGRID, newDispatch("CHARGE").build());
      client.update(MICROGRID, d.id(), DispatchUpdate.builder().active(false).build());
      client.delete(MICROGRID, d.id());

      for (Recorder r : new Recorder[] {first, second}) {
        assertEquals("Created " + d.id() + " CHARGE active=true", r.next());
        assertEquals("Updated " + d.id() + " CHARGE active=false", r.next());
        assertEquals("Deleted " + d.id() + " CHARGE active=false", r.next());
      }
      // The other microgrid's stream saw none of that: its first event is its own.
      Dispatch mine = client.create(MICROGRID + 1, newDispatch("OWN").build());
      assertEquals("Created " + mine.id() + " OWN active=true", other.next());
      assertTrue(first.lines.isEmpty() && second.lines.isEmpty());
    }
  }

  @Test
  void streamsEndWithUnavailableWhenTheSimulatorStops() throws Exception {
    Recorder recorder = new Recorder();
    try (DispatchSubscription s = client.stream(MICROGRID, recorder)) {
      assertEquals("connected", recorder.next());
      // The client may say "connected" (the stream has stayed open a moment) before the
      // simulator has registered it; a stream that is not registered yet is cut off by the
      // shutdown (CANCELLED) rather than ended with UNAVAILABLE.
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
      while (simulator.openStreams(MICROGRID) == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(1, simulator.openStreams(MICROGRID), "the simulator registered the stream");
      simulator.close();
      assertEquals("disconnected UNAVAILABLE", recorder.next());
    }
  }

  @Test
  void aStreamWithoutTheKeyIsRefused() throws Exception {
    Recorder recorder = new Recorder();
    try (DispatchConnection keyless = DispatchConnection.open(Loopback.clientOptions(simulator.port(), null));
        DispatchSubscription s = keyless.stream(MICROGRID, recorder)) {
      String line = recorder.next();
      // The client may take a quiet open stream for connected before the refusal arrives.
      if (line.equals("connected")) {
        line = recorder.next();
      }
      assertEquals("disconnected UNAUTHENTICATED", line);
    }
  }
}
