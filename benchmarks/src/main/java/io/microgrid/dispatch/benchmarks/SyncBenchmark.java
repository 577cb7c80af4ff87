package io.microgrid.dispatch.benchmarks;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchClient;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchStreamListener;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.protocol.codec.ProtoConversion;
import io.microgrid.dispatch.protocol.DispatchMetadata;
import io.microgrid.dispatch.scheduler.internal.runner.DispatchScheduler;
import io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub;
import io.microgrid.dispatch.scheduler.internal.delivery.ListenerSettings;
import io.microgrid.dispatch.scheduler.internal.core.Notifications;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.microgrid.dispatch.server.DispatchApi;
import io.microgrid.dispatch.server.DispatchStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Sync: the simulator's server (server-core's {@link DispatchApi}, the real gRPC server, on
 * loopback) holds n dispatches; a fresh scheduler
 * with the real client is started and timed until its first sync is complete (listed, compared,
 * every dispatch on the timeline). Then the rate at which the scheduler absorbs stream events:
 * once fed straight into its stream listener (what the scheduler itself can take), and once end
 * to end, dispatches created through the client and arriving over the simulator's stream.
 */
final class SyncBenchmark {
  record Settings(int n, int repeats, int endToEndCreates) {}

  /** The pages the scheduler asks for when it syncs. */
  private static final DispatchQuery PAGES_OF_1000 = DispatchQuery.builder().pageSize(1000).build();

  private final Settings settings;
  private final Report report;

  SyncBenchmark(Settings settings, Report report) {
    this.settings = settings;
    this.report = report;
  }

  void run() throws Exception {
    int n = settings.n();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    DispatchStore.Contents held = contents(Workload.later(n, now, now.minusSeconds(60), 11));

    long loadStart = System.nanoTime();
    List<Double> syncs = new ArrayList<>();
    List<Double> lists = new ArrayList<>();
    double absorbed;
    double endToEnd;
    DispatchApi loaded = new DispatchApi(Clock.systemUTC(), held, null, null, null);
    Server server = loaded.listen(loopback(), InsecureServerCredentials.create());
    try {
      double loadMillis = (System.nanoTime() - loadStart) / 1e6;
      System.out.println(Report.f("  sync: server holds %,d dispatches after %.0f ms", n, loadMillis));
      ClientOptions options = ClientOptions.builder("grpc://127.0.0.1:" + server.getPort() + "?ssl=false").build();
      // Warm-up, not reported.
      syncOnce(options, n);
      for (int i = 0; i < settings.repeats(); i++) {
        try (DispatchConnection client = DispatchConnection.open(options)) {
          long t0 = System.nanoTime();
          long count = client.list(Workload.MICROGRID, PAGES_OF_1000).count();
          lists.add((System.nanoTime() - t0) / 1e6);
          if (count != n) {
            throw new IllegalStateException("listed " + count + " of " + n);
          }
        }
        syncs.add(syncOnce(options, n));
        System.out.println(Report.f("  sync run %d: list %.0f ms, scheduler in sync after %.0f ms",
            i + 1, lists.get(i), syncs.get(i)));
      }
    } finally {
      loaded.stop(server, "benchmark done");
    }

    absorbed = absorbedPerSecond(n);
    // A server that starts empty, as the simulator without a store file.
    DispatchApi empty = DispatchApi.inMemory(Clock.systemUTC());
    Server emptyServer = empty.listen(loopback(), InsecureServerCredentials.create());
    try {
      endToEnd = endToEndPerSecond(
          ClientOptions.builder("grpc://127.0.0.1:" + emptyServer.getPort() + "?ssl=false").build());
    } finally {
      empty.stop(emptyServer, "benchmark done");
    }

    double sync = Stats.median(syncs);
    StringBuilder md = new StringBuilder();
    md.append(Report.f(
        "The simulator's server (server-core) on 127.0.0.1 holds %,d dispatches (half recurring). Median of %d run(s), each "
            + "with a new client connection and a new scheduler.\n\n", n, settings.repeats()));
    md.append("| what | figure |\n|---|---:|\n");
    md.append(Report.f("| list all %,d through the client, in pages of 1 000 as the scheduler asks | %.0f ms |\n", n, Stats.median(lists)));
    md.append(Report.f("| scheduler started until its first sync is complete | %.0f ms |\n", sync));
    md.append(Report.f("| stream events absorbed by the scheduler (updates fed to its stream listener) | %,.0f events/s |\n", absorbed));
    md.append(Report.f("| end to end: %,d dispatches created through the client on 4 threads (simulator in memory), until the scheduler has applied each one's stream event | %,.0f events/s |\n", settings.endToEndCreates(), endToEnd));
    report.section("Sync", md.toString());
    report.target(new Report.Target(
        Report.f("sync of %,d dispatches from the simulator", n),
        "≤ 3 s for 100 000",
        Report.f("%.2f s", sync / 1000),
        n >= 100_000 ? sync <= 3000 : null));
  }

  /** Milliseconds from starting a scheduler on the simulator until its first sync completes. */
  private static double syncOnce(ClientOptions options, int n) throws Exception {
    Clock clock = Clock.systemUTC();
    try (DispatchConnection client = DispatchConnection.open(options);
        DeliveryHub hub = new DeliveryHub(Workload.MICROGRID, ListenerSettings.DEFAULT, clock, "bench-sync-")) {
      DispatchScheduler scheduler = new DispatchScheduler(Workload.MICROGRID, clock, hub);
      try {
        scheduler.execute(
            () -> hub.listeners().addRunningStateListener(1L, Map.of(RunningStateListener.TYPE, "*"), c -> {}, scheduler.running()));
        long t0 = System.nanoTime();
        scheduler.useClient(client);
        if (!scheduler.awaitSyncs(1, Duration.ofMinutes(2))) {
          throw new IllegalStateException("the scheduler did not sync within 2 minutes");
        }
        double millis = (System.nanoTime() - t0) / 1e6;
        int held = scheduler.query(() -> scheduler.schedule().dispatches().size());
        if (held != n) {
          throw new IllegalStateException("the scheduler holds " + held + " of " + n);
        }
        return millis;
      } finally {
        scheduler.close();
      }
    }
  }

  /**
   * Events per second that the scheduler applies when they arrive as fast as its stream listener
   * can be called: every one of n held dispatches updated once.
   */
  private static double absorbedPerSecond(int n) throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    List<Dispatch> held = Workload.later(n, now, now.minusSeconds(60), 13);
    FeedingClient feed = new FeedingClient(held);
    Notifications nowhere = ChurnBenchmark.NOWHERE;
    DispatchScheduler scheduler = new DispatchScheduler(Workload.MICROGRID, Clock.systemUTC(), nowhere);
    try {
      scheduler.useClient(feed);
      if (!scheduler.awaitSyncs(1, Duration.ofMinutes(2))) {
        throw new IllegalStateException("no sync");
      }
      List<DispatchEvent> events = new ArrayList<>(n);
      Instant modified = now.plusSeconds(1);
      for (Dispatch d : held) {
        events.add(new DispatchEvent.Updated(Workload.moved(d, d.startTime().plusSeconds(60), modified)));
      }
      long t0 = System.nanoTime();
      for (DispatchEvent e : events) {
        feed.listener.onEvent(e);
      }
      // Tasks run in order: when this one answers, every event before it has been applied.
      scheduler.query(() -> null);
      double seconds = (System.nanoTime() - t0) / 1e9;
      return n / seconds;
    } finally {
      scheduler.close();
    }
  }

  /**
   * Events per second end to end: dispatches created through the client on 4 threads, each
   * arriving over the simulator's stream and applied by a synced scheduler.
   */
  private double endToEndPerSecond(ClientOptions options) throws Exception {
    int creates = settings.endToEndCreates();
    AtomicLong created = new AtomicLong();
    Object done = new Object();
    Notifications counting =
        new Notifications() {
          @Override
          public void runningStateChanged(RunningStateChange change) {}

          @Override
          public void dispatchEvent(DispatchEvent event, Instant due) {
            if (event instanceof DispatchEvent.Created && created.incrementAndGet() >= creates) {
              synchronized (done) {
                done.notifyAll();
              }
            }
          }
        };
    try (DispatchConnection client = DispatchConnection.open(options)) {
      DispatchScheduler scheduler = new DispatchScheduler(Workload.MICROGRID, Clock.systemUTC(), counting);
      try {
        scheduler.useClient(client);
        if (!scheduler.awaitSyncs(1, Duration.ofMinutes(2))) {
          throw new IllegalStateException("no sync");
        }
        created.set(0);
        Instant start = Instant.now().plus(Duration.ofDays(1));
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
          int share = creates / 4 + (t < creates % 4 ? 1 : 0);
          Thread th = new Thread(() -> {
            for (int i = 0; i < share; i++) {
              client.create(Workload.MICROGRID,
                  NewDispatch.builder("BATTERY_CHARGE", io.microgrid.dispatch.api.TargetComponents.ids(1, 2))
                      .startTime(start.plusSeconds(i))
                      .duration(Duration.ofMinutes(15))
                      .payload(Workload.SMALL_PAYLOAD)
                      .build());
            }
          }, "bench-create-" + t);
          th.start();
          threads.add(th);
        }
        for (Thread th : threads) {
          th.join();
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        synchronized (done) {
          while (created.get() < creates && System.nanoTime() < deadline) {
            done.wait(100);
          }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return created.get() / seconds;
      } finally {
        scheduler.close();
      }
    }
  }

  static InetSocketAddress loopback() throws java.io.IOException {
    return new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0);
  }

  /** What a server that had been given the dispatches would hold. */
  static DispatchStore.Contents contents(List<Dispatch> dispatches) {
    Map<Long, List<io.microgrid.dispatch.protocol.Dispatch>> held = new java.util.HashMap<>();
    for (Dispatch d : dispatches) {
      held.computeIfAbsent(d.microgridId(), id -> new ArrayList<>()).add(stored(d));
    }
    return new DispatchStore.Contents(dispatches.size(), held);
  }

  /** A dispatch as a server that had been given it stores it, with its id and times. */
  static io.microgrid.dispatch.protocol.Dispatch stored(Dispatch d) {
    NewDispatch.Builder b =
        NewDispatch.builder(d.type(), d.target())
            .startTime(d.startTime())
            .payload(d.payload());
    d.duration().ifPresent(b::duration);
    d.recurrence().ifPresent(b::recurrence);
    return io.microgrid.dispatch.protocol.Dispatch.newBuilder()
        .setMetadata(DispatchMetadata.newBuilder()
            .setDispatchId(d.id())
            .setCreateTime(ProtoConversion.timestamp(d.createTime()))
            .setUpdateTime(ProtoConversion.timestamp(d.updateTime())))
        .setData(ProtoConversion.toProto(b.build(), d.createTime()))
        .build();
  }

  /** Hands the scheduler a fixed list and lets the benchmark push stream events itself. */
  private static final class FeedingClient implements DispatchClient {
    private final List<Dispatch> listed;
    volatile DispatchStreamListener listener;

    FeedingClient(List<Dispatch> listed) {
      this.listed = listed;
    }

    @Override
    public DispatchSubscription stream(long microgridId, DispatchStreamListener l) {
      listener = l;
      l.onConnected(false);
      return new DispatchSubscription() {
        @Override
        public boolean isConnected() {
          return true;
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public Stream<Dispatch> list(long microgridId, DispatchQuery query) {
      return listed.stream();
    }

    @Override
    public Dispatch create(long microgridId, NewDispatch dispatch) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Dispatch update(long microgridId, long dispatchId, DispatchUpdate update) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Dispatch get(long microgridId, long dispatchId) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void delete(long microgridId, long dispatchId) {
      throw new UnsupportedOperationException();
    }
  }
}
