package io.microgrid.dispatch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchStreamListener;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.protocol.DispatchMetadata;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stream listeners that misbehave (throw, hang, call the client from inside their callback) and a
 * server that floods the stream: the client keeps every other subscription and its own order.
 */
class StreamFaultsTest {
  private static final String KEY = "stream-faults-key";
  private static final long MICROGRID = 31;

  private DispatchTestServer server;
  private DispatchConnection client;

  @BeforeEach
  void start() throws Exception {
    server = DispatchTestServer.start(KEY);
    client = DispatchConnection.open(DispatchConnectionTest.options(server, KEY));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void aListenerThatCallsTheClientInsideItsCallbackGetsItsAnswerAndTheStreamGoesOn()
      throws Exception {
    BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    RecordingStreamListener events = new RecordingStreamListener();
    DispatchStreamListener reentrant =
        new DispatchStreamListener() {
          @Override
          public void onEvent(DispatchEvent event) {
            events.onEvent(event);
            if (event instanceof DispatchEvent.Created created) {
              long id = created.dispatch().id();
              try {
                answers.add(client.get(MICROGRID, id));
                answers.add(
                    client.update(MICROGRID, id, DispatchUpdate.builder().active(false).build()));
                answers.add(client.list(MICROGRID, DispatchQuery.ALL).count());
              } catch (RuntimeException e) {
                answers.add(e);
              }
            }
          }

          @Override
          public void onConnected(boolean reconnect) {
            events.onConnected(reconnect);
          }
        };
    try (DispatchSubscription s = client.stream(MICROGRID, reentrant)) {
      assertEquals("connected", events.next());
      server.awaitOpenStreams(MICROGRID, 1, Duration.ofSeconds(5));
      Dispatch d = client.create(MICROGRID, DispatchConnectionTest.newDispatch("REENTRANT").build());
      assertEquals("Created " + d.id() + " REENTRANT", events.next());
      assertEquals(d, answers.poll(10, TimeUnit.SECONDS), "get inside the callback");
      Object updated = answers.poll(10, TimeUnit.SECONDS);
      assertTrue(updated instanceof Dispatch u && !u.active(), "update inside the callback: " + updated);
      assertEquals(1L, answers.poll(10, TimeUnit.SECONDS), "list inside the callback");
      // The update made inside the callback comes back on the very stream that was blocked.
      assertEquals("Updated " + d.id() + " REENTRANT", events.next());
      assertTrue(s.isConnected());
    }
  }

  @Test
  void aThrowingAndAHangingListenerDoNotStopAnotherSubscription() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch hangingCalled = new CountDownLatch(1);
    DispatchStreamListener hanging =
        event -> {
          hangingCalled.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    AtomicLong thrown = new AtomicLong();
    DispatchStreamListener throwing =
        event -> {
          thrown.incrementAndGet();
          throw new IllegalStateException("listener bug (thrown by the test)");
        };
    RecordingStreamListener good = new RecordingStreamListener();
    try (DispatchSubscription h = client.stream(MICROGRID, hanging);
        DispatchSubscription t = client.stream(MICROGRID, throwing);
        DispatchSubscription g = client.stream(MICROGRID, good)) {
      assertEquals("connected", good.next());
      server.awaitOpenStreams(MICROGRID, 3, Duration.ofSeconds(5));
      Dispatch first = client.create(MICROGRID, DispatchConnectionTest.newDispatch("ONE").build());
      assertTrue(hangingCalled.await(10, TimeUnit.SECONDS));
      assertEquals("Created " + first.id() + " ONE", good.next());
      Dispatch second = client.create(MICROGRID, DispatchConnectionTest.newDispatch("TWO").build());
      assertEquals("Created " + second.id() + " TWO", good.next(), "not held up by the hanging one");
      assertEquals(2, waitFor(thrown, 2), "the throwing listener still gets every event");
      assertTrue(t.isConnected(), "a throwing listener does not cost its stream");
      release.countDown();
    }
  }

  @Test
  void aFloodOfFiftyThousandEventsArrivesCompleteAndInOrder() throws Exception {
    int events = 50_000;
    Dispatch template = client.create(MICROGRID, DispatchConnectionTest.newDispatch("FLOOD").build());
    var proto = server.store(MICROGRID).get(0);
    AtomicLong received = new AtomicLong();
    AtomicLong outOfOrder = new AtomicLong();
    AtomicLong last = new AtomicLong(template.id());
    CountDownLatch all = new CountDownLatch(events);
    CountDownLatch firstArrived = new CountDownLatch(1);
    CountDownLatch floodSent = new CountDownLatch(1);
    DispatchStreamListener counting =
        event -> {
          if (event.dispatch().id() <= last.getAndSet(event.dispatch().id())) {
            outOfOrder.incrementAndGet();
          }
          if (received.incrementAndGet() == 1) {
            firstArrived.countDown();
            // A slow consumer: hold the stream until the server has sent everything, so the
            // flood meets the client's flow control rather than an idle reader.
            try {
              floodSent.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          all.countDown();
        };
    RecordingStreamListener status = new RecordingStreamListener();
    try (DispatchSubscription s = client.stream(MICROGRID, counting);
        DispatchSubscription watch = client.stream(MICROGRID, status)) {
      assertEquals("connected", status.next());
      server.awaitOpenStreams(MICROGRID, 2, Duration.ofSeconds(5));
      long heapBefore = usedHeapAfterGc();
      long begin = System.nanoTime();
      for (int i = 1; i <= events; i++) {
        server.sendRaw(
            MICROGRID,
            StreamMicrogridDispatchesResponse.newBuilder()
                .setEventValue(2)
                .setDispatch(
                    proto.toBuilder()
                        .setMetadata(
                            DispatchMetadata.newBuilder(proto.getMetadata())
                                .setDispatchId(template.id() + i)))
                .build());
      }
      assertTrue(firstArrived.await(30, TimeUnit.SECONDS));
      long heapWhileHeld = usedHeapAfterGc();
      floodSent.countDown();
      assertTrue(all.await(5, TimeUnit.MINUTES), "received " + received.get() + " of " + events);
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
      long heapAfter = usedHeapAfterGc();
      System.out.printf(
          "stream flood: %d events in %d ms (%.0f/s); used heap after GC %d KiB before, %d KiB"
              + " while the consumer was held (server and client, same JVM), %d KiB after%n",
          events, elapsedMs, events * 1000.0 / Math.max(1, elapsedMs), heapBefore / 1024,
          heapWhileHeld / 1024, heapAfter / 1024);
      assertEquals(0, outOfOrder.get(), "events in the order the server sent them");
      assertEquals(events, received.get());
      assertTrue(s.isConnected() && watch.isConnected());
      assertFalse(status.drain().stream().anyMatch(l -> l.startsWith("disconnected")), "no stream broke");
    }
  }

  private static long waitFor(AtomicLong counter, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (counter.get() < expected && System.nanoTime() < deadline) {
      // Counting callbacks that arrive on gRPC's threads; nothing else to wait on.
      Thread.onSpinWait();
    }
    return counter.get();
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

}
