package io.microgrid.dispatch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchStreamListener;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What a gateway sees when the connection to the Dispatch API breaks, silently or loudly. */
class ConnectionFaultsTest {
  private static final String KEY = "faults-key";
  private static final long MICROGRID = 21;

  private DispatchTestServer server;

  @BeforeEach
  void start() throws Exception {
    server = DispatchTestServer.start(KEY);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private ClientOptions.Builder options(int port) {
    return ClientOptions.builder("grpc://127.0.0.1:" + port + "?ssl=false")
        .key(KEY)
        .callTimeout(Duration.ofSeconds(5));
  }

  @Test
  void aConnectionThatGoesSilentIsNoticedByKeepaliveAndTheStreamReconnects() throws Exception {
    Duration time = ClientOptions.MIN_KEEPALIVE_TIME;
    Duration timeout = Duration.ofSeconds(1);
    try (StallingProxy proxy = new StallingProxy(server.port());
        DispatchConnection client =
            DispatchConnection.open(
                options(proxy.port())
                    .keepAlive(time, timeout)
                    .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
                    .build())) {
      RecordingStreamListener events = new RecordingStreamListener();
      try (DispatchSubscription s = client.stream(MICROGRID, events)) {
        assertEquals("connected", events.next());
        server.awaitOpenStreams(MICROGRID, 1, Duration.ofSeconds(5));

        proxy.stall();
        long stalledAt = System.nanoTime();
        // Without keepalive nothing would ever arrive here: the socket stays open and quiet.
        // With it, the ping after `time` of silence goes unanswered for `timeout`. The bound
        // allows a slow, shared machine three times that.
        Duration bound = time.plus(timeout).multipliedBy(3);
        assertEquals("disconnected UNAVAILABLE", events.next(bound));
        Duration noticedAfter = Duration.ofNanos(System.nanoTime() - stalledAt);
        assertEquals("reconnected", events.next());
        System.out.printf(
            "keepalive %ds/%ds: a silent connection was noticed dead after %d ms%n",
            time.toSeconds(), timeout.toSeconds(), noticedAfter.toMillis());
        assertTrue(proxy.connections() >= 2, "the stream came back over a new connection");

        // The server still holds the dead stream until its own side notices; the new one works.
        Dispatch d = client.create(MICROGRID, DispatchConnectionTest.newDispatch("ALIVE").build());
        assertEquals("Created " + d.id() + " ALIVE", events.next());
        assertTrue(s.isConnected());
      }
    }
  }

  @Test
  void aServerThatIsBackIsReachedByTheNextAttemptNotFailedWithTheChannelsOldError()
      throws Exception {
    // Our delays are shorter than the channel's own first reconnect backoff (about 1 s), so the
    // next attempt comes while the channel still holds the failure of the refused connection.
    Duration delay = Duration.ofMillis(300);
    try (StallingProxy proxy = new StallingProxy(server.port());
        DispatchConnection client =
            DispatchConnection.open(options(proxy.port()).reconnectDelay(delay, delay).build())) {
      proxy.refuse(true);
      RecordingStreamListener events = new RecordingStreamListener();
      try (DispatchSubscription s = client.stream(MICROGRID, events)) {
        assertEquals("disconnected UNAVAILABLE", events.next());
        proxy.refuse(false);
        // The next attempt is at least half the delay away: the server is reachable by then, and
        // the attempt is made on a new connection, not refused with the old connection's error.
        assertEquals("connected", events.next());
        Dispatch d = client.create(MICROGRID, DispatchConnectionTest.newDispatch("BACK").build());
        assertEquals("Created " + d.id() + " BACK", events.next());
      }
    }
  }

  @Test
  void aServerThatRefusesAtOnceIsRetriedWithGrowingDelaysNotInABusyLoop() throws Exception {
    server.streamOutage(true);
    Duration initial = Duration.ofMillis(50);
    Duration max = Duration.ofMillis(400);
    int failures = 8;
    CountDownLatch refused = new CountDownLatch(failures);
    try (DispatchConnection client =
        DispatchConnection.open(options(server.port()).reconnectDelay(initial, max).build())) {
      server.clearCalls();
      long begin = System.nanoTime();
      DispatchSubscription s = client.stream(MICROGRID, counting(refused, new AtomicInteger()));
      assertTrue(refused.await(30, TimeUnit.SECONDS), "the stream was retried");
      long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
      s.close();
      // Each delay is at least half its ceiling: 25, 50, 100, 200, 200, 200, 200 ms before the
      // eighth attempt. A busy loop would make eight attempts in a few milliseconds.
      long minimum = 25 + 50 + 100 + 200 + 200 + 200 + 200;
      System.out.printf(
          "refused stream: %d attempts took %d ms (backoff minimum %d ms)%n",
          failures, elapsedMs, minimum);
      assertTrue(elapsedMs >= minimum, failures + " attempts in only " + elapsedMs + " ms");
    }
    long attempts =
        server.calls().stream().filter(c -> c.method().endsWith("StreamMicrogridDispatches")).count();
    assertTrue(
        attempts >= failures && attempts <= failures + 1,
        "one server call per attempt, got " + attempts);
  }

  @Test
  void thousandsOfReconnectsLeaveNoThreadsOrMemoryBehind() throws Exception {
    server.streamOutage(true);
    int warmUp = 100;
    int reconnects = 2_000;
    AtomicInteger disconnects = new AtomicInteger();
    CountDownLatch warm = new CountDownLatch(warmUp);
    CountDownLatch done = new CountDownLatch(warmUp + reconnects);
    try (DispatchConnection client =
        DispatchConnection.open(
            options(server.port())
                .reconnectDelay(Duration.ofMillis(1), Duration.ofMillis(2))
                .build())) {
      DispatchStreamListener both =
          counting(
              new CountDownLatch(0) {
                @Override
                public void countDown() {
                  warm.countDown();
                  done.countDown();
                }
              },
              disconnects);
      try (DispatchSubscription ignored = client.stream(MICROGRID, both)) {
        assertTrue(warm.await(60, TimeUnit.SECONDS), "warm-up reconnects");
        int threadsBefore = Thread.activeCount();
        long heapBefore = usedHeapAfterGc();
        long begin = System.nanoTime();
        assertTrue(done.await(5, TimeUnit.MINUTES), "2000 reconnects, got " + disconnects.get());
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);
        int threadsAfter = Thread.activeCount();
        long heapAfter = usedHeapAfterGc();
        System.out.printf(
            "%d reconnects in %d ms: threads %d -> %d, used heap after GC %d KiB -> %d KiB%n",
            reconnects, elapsedMs, threadsBefore, threadsAfter, heapBefore / 1024, heapAfter / 1024);
        // gRPC's executor is a cached pool: a thread or two may come and go, never one per try.
        assertTrue(
            threadsAfter <= threadsBefore + 4,
            "threads grew from " + threadsBefore + " to " + threadsAfter);
      }
    }
  }

  private static long usedHeapAfterGc() {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return rt.totalMemory() - rt.freeMemory();
  }

  private static DispatchStreamListener counting(CountDownLatch latch, AtomicInteger count) {
    return new DispatchStreamListener() {
      @Override
      public void onEvent(DispatchEvent event) {}

      @Override
      public void onDisconnected(DispatchApiException cause) {
        count.incrementAndGet();
        latch.countDown();
      }
    };
  }
}
