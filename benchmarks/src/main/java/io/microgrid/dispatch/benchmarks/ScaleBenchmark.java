package io.microgrid.dispatch.benchmarks;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.scheduler.internal.core.Notifications;
import io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub;
import io.microgrid.dispatch.scheduler.internal.delivery.ListenerSettings;
import io.microgrid.dispatch.scheduler.internal.persist.ScheduleStore;
import io.microgrid.dispatch.scheduler.internal.runner.DispatchScheduler;
import io.microgrid.dispatch.scheduler.internal.runner.ScheduleReadiness;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scale: the gateway's scheduler as the DS component runs it (real client over loopback, delivery
 * hub, the persisted schedule in a temporary directory) against a server in a child process
 * ({@link ScaleServer}). Two rows:
 *
 * <ul>
 *   <li><b>updates</b>: n held; measured dispatches fall due in a window while the server updates
 *       other dispatches at a given rate, each update reaching the scheduler on its stream.
 *   <li><b>held</b>: a large n synced from the server (pages of 1 000, as the scheduler asks);
 *       sync time, used heap after GC, then the lateness of a window without updates.
 * </ul>
 */
final class ScaleBenchmark {
  /**
   * @param updatesN dispatches held in the updates row
   * @param updateRate updates per second in it
   * @param heldN dispatches held in the held row
   * @param measured dispatches run inside each window
   * @param window each window's length
   */
  record Settings(int updatesN, int updateRate, int heldN, int measured, Duration window) {}

  /** One row's figures. */
  record Row(
      int n, double syncMillis, double firstWriteMillis, long usedHeap, long baseHeap, long p50, long p99, long max,
      int delivered, int expected, double updatesSent, double updatesApplied, String syncCpu, String cpu) {}

  private final Settings settings;
  private final Report report;

  ScaleBenchmark(Settings settings, Report report) {
    this.settings = settings;
    this.report = report;
  }

  void run() throws Exception {
    Row updates = once(settings.updatesN(), settings.updateRate(), 1);
    print("updates", updates);
    Row held = once(settings.heldN(), 0, 2);
    print("held", held);

    StringBuilder md = new StringBuilder();
    md.append(Report.f(
        "The gateway's scheduler as its DS component runs it (the real client over 127.0.0.1, the "
            + "delivery hub, the persisted schedule written to a temporary directory) follows a server "
            + "(server-core's DispatchApi in memory) run in a child process, so that the heap figure "
            + "is the gateway's alone. The server holds n dispatches (half recurring daily or hourly, "
            + "starting an hour to 30 days ahead); once the scheduler is in sync, it puts %,d more that "
            + "start and stop inside a %d s window (half recurring every minute), and while the window "
            + "runs it updates random dispatches other than those (start moved by a second) at the "
            + "given rate, each arriving on the gateway's stream. Lateness: from a transition's "
            + "instant to the listener's call. Sync: from handing the scheduler the client until its first "
            + "sync is complete; on disk: until the persisted schedule holds what the sync brought (that "
            + "write encodes every dispatch; later ones encode only the changes), after which the "
            + "window is set. Used heap: after full GCs, then (the benchmark's own baseline before the "
            + "scheduler started in brackets).\n\n",
        settings.measured(), settings.window().toSeconds()));
    md.append("| row | dispatches | updates/s sent (applied) | sync | on disk | used heap | p50 ms | p99 ms | max ms | delivered |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    md.append(line("updates", updates));
    md.append(line("held", held));
    md.append("\nWhere the sync's and the window's time went (`/proc/PID/task/TID/schedstat`: a thread's run time and its wait on a run"
        + " queue, ready without a CPU; `stat`: its page faults):\n\n");
    md.append("- updates: ").append(updates.syncCpu()).append(".\n");
    md.append("- updates: ").append(updates.cpu()).append(".\n");
    md.append("- held: ").append(held.syncCpu()).append(".\n");
    md.append("- held: ").append(held.cpu()).append(".\n\n");
    report.section("Scale", md.toString());

    boolean updatesComplete = updates.delivered() == updates.expected();
    report.target(new Report.Target(
        Report.f("lateness at %,d dispatches while %,d updates/s arrive on the stream", updates.n(), settings.updateRate()),
        "p99 ≤ 0.3 ms, max ≤ 2 ms at 100 000 and 1 000/s",
        Report.f("p99 %s ms, max %s ms (%,.0f updates/s applied)",
            Report.ms(updates.p99()), Report.ms(updates.max()), updates.updatesApplied()),
        updates.n() < 100_000 || settings.updateRate() < 1000
            ? null
            : updatesComplete && updates.p99() <= 300_000 && updates.max() <= 2_000_000));
    boolean heldComplete = held.delivered() == held.expected();
    report.target(new Report.Target(
        Report.f("%,d dispatches held", held.n()),
        "sync ≤ 15 s, heap ≤ 700 MB, lateness p99 ≤ 0.5 ms at 1 000 000",
        Report.f("sync %.1f s, heap %,d MB, p99 %s ms", held.syncMillis() / 1000, mb(held.usedHeap()), Report.ms(held.p99())),
        held.n() < 1_000_000
            ? null
            : heldComplete && held.syncMillis() <= 15_000 && held.usedHeap() <= 700L * 1024 * 1024 && held.p99() <= 500_000));
  }

  private static long mb(long bytes) {
    return bytes / (1024 * 1024);
  }

  private static void print(String name, Row r) {
    System.out.println(Report.f(
        "  scale %s n=%d: sync %.0f ms, on disk %.0f ms, used heap %d MB (baseline %d MB), p50 %s ms, p99 %s ms, max %s ms"
            + " (%d/%d transitions), updates sent %.0f/s, applied %.0f/s in the window",
        name, r.n(), r.syncMillis(), r.firstWriteMillis(), mb(r.usedHeap()), mb(r.baseHeap()), Report.ms(r.p50()), Report.ms(r.p99()),
        Report.ms(r.max()), r.delivered(), r.expected(), r.updatesSent(), r.updatesApplied()));
    System.out.println("  scale " + name + ": " + r.syncCpu());
    System.out.println("  scale " + name + ": " + r.cpu());
  }

  private static String line(String name, Row r) {
    String rate = r.updatesSent() == 0 ? "none" : Report.f("%,.0f (%,.0f)", r.updatesSent(), r.updatesApplied());
    String delivered = r.delivered() == r.expected() ? "all" : Report.f("%d of %d", r.delivered(), r.expected());
    return Report.f("| %s | %,d | %s | %.2f s | %.2f s | %,d MB (%,d MB) | %s | %s | %s | %s |\n",
        name, r.n(), rate, r.syncMillis() / 1000, r.firstWriteMillis() / 1000, mb(r.usedHeap()), mb(r.baseHeap()),
        Report.ms(r.p50()), Report.ms(r.p99()), Report.ms(r.max()), delivered);
  }

  private Row once(int n, int rate, long seed) throws Exception {
    var memory = ManagementFactory.getMemoryMXBean();
    long base = Footprint.usedAfterGc(memory);
    Instant from = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    // The server's heap: its store of protobuf dispatches, about 1 KB each, and room to answer.
    long serverHeapMb = 512 + n / 500;
    Process server = new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + serverHeapMb + "m",
            "-cp", Path.of(ScaleBenchmark.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
            ScaleServer.class.getName(), Integer.toString(n), Long.toString(seed), Long.toString(from.toEpochMilli()))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    Path dir = Files.createTempDirectory("dispatch-bench-scale");
    try (PrintWriter toServer = new PrintWriter(server.getOutputStream(), true, StandardCharsets.UTF_8)) {
      BufferedReader fromServer = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
      String portLine = fromServer.readLine();
      if (portLine == null || !portLine.startsWith("port ")) {
        throw new IllegalStateException("the scale server did not start: " + portLine);
      }
      ClientOptions options = ClientOptions.builder("grpc://127.0.0.1:" + portLine.substring(5) + "?ssl=false").build();
      Clock clock = Clock.systemUTC();
      AtomicLong updated = new AtomicLong();
      try (DispatchConnection client = DispatchConnection.open(options);
          DeliveryHub hub = new DeliveryHub(Workload.MICROGRID, ListenerSettings.DEFAULT, clock, "bench-scale-")) {
        Notifications counting = new Notifications() {
          @Override
          public void runningStateChanged(RunningStateChange change) {
            hub.runningStateChanged(change);
          }

          @Override
          public void dispatchEvent(DispatchEvent event, Instant due) {
            if (event instanceof DispatchEvent.Updated) {
              updated.incrementAndGet();
            }
            hub.dispatchEvent(event, due);
          }
        };
        ScheduleStore store = new ScheduleStore(mg -> dir.resolve("schedule-" + mg + ".pb"), clock);
        DispatchScheduler scheduler =
            new DispatchScheduler(Workload.MICROGRID, clock, counting, store, hub.listeners(), ScheduleReadiness.NONE);
        try {
          RunQueue.Span syncSpan = new RunQueue.Span(server.pid());
          long t0 = System.nanoTime();
          scheduler.useClient(client);
          if (!scheduler.awaitSyncs(1, Duration.ofMinutes(3))) {
            throw new IllegalStateException("the scheduler did not sync " + n + " dispatches within 3 minutes");
          }
          double syncMillis = (System.nanoTime() - t0) / 1e6;
          String syncCpu = syncSpan.end("sync");
          int heldCount = scheduler.query(() -> scheduler.schedule().dispatches().size());
          if (heldCount != n) {
            throw new IllegalStateException("the scheduler holds " + heldCount + " of " + n);
          }
          // The first write of the persisted schedule encodes every dispatch held (later ones
          // only the changes): a start-up cost, measured here and kept out of the window.
          scheduler.awaitSaved();
          double firstWriteMillis = (System.nanoTime() - t0) / 1e6;
          long used = Footprint.usedAfterGc(memory);
          System.out.println(Report.f("  scale n=%d: in sync after %.0f ms, schedule on disk after %.0f ms, used heap %d MB",
              n, syncMillis, firstWriteMillis, mb(used)));

          // The window: far enough ahead for the server to put the measured dispatches and for
          // their stream events (and the save they cause) to be absorbed before it opens.
          Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
          Instant windowStart = created.plusMillis(3000 + n / 1000);
          Instant windowEnd = windowStart.plus(settings.window());
          List<Dispatch> measured =
              Workload.inWindow(settings.measured(), n + 1, windowStart, settings.window(), created, seed);
          int expected = Transitions.of(measured, created, windowStart, windowEnd).inWindow().size();
          LatenessRecorder recorder = new LatenessRecorder(windowStart, windowEnd, expected);
          scheduler.execute(() -> hub.listeners()
              .addRunningStateListener(1L, Map.of(RunningStateListener.TYPE, "*"), recorder, scheduler.running()));
          toServer.println(Report.f("window %d %d %d %d %d %d", windowStart.toEpochMilli(), settings.window().toMillis(),
              settings.measured(), rate, seed, created.toEpochMilli()));
          long appliedBefore = -1;
          long now = System.currentTimeMillis();
          if (now < windowStart.toEpochMilli()) {
            Thread.sleep(windowStart.toEpochMilli() - now);
            appliedBefore = updated.get();
          }
          RunQueue.Span windowSpan = new RunQueue.Span(server.pid());
          recorder.await(Duration.between(Instant.now(), windowEnd).toMillis() + 30_000);
          long sleepToEnd = windowEnd.toEpochMilli() - System.currentTimeMillis();
          if (sleepToEnd > 0) {
            Thread.sleep(sleepToEnd);
          }
          String cpu = windowSpan.end("window");
          double windowSeconds = settings.window().toMillis() / 1000.0;
          double applied = appliedBefore < 0 ? Double.NaN : (updated.get() - appliedBefore) / windowSeconds;
          String answer = fromServer.readLine();
          String[] w = answer == null ? new String[0] : answer.split(" ");
          if (w.length != 3) {
            throw new IllegalStateException("the scale server answered " + answer);
          }
          double sentPerSecond = Long.parseLong(w[1]) / Math.max(0.001, Long.parseLong(w[2]) / 1000.0);
          long[] sorted = recorder.sortedLateness();
          return new Row(n, syncMillis, firstWriteMillis, used, base,
              Stats.percentile(sorted, 50), Stats.percentile(sorted, 99), sorted.length == 0 ? 0 : sorted[sorted.length - 1],
              recorder.delivered(), expected,
              sentPerSecond, applied, syncCpu, cpu);
        } finally {
          scheduler.close();
        }
      }
    } finally {
      server.getOutputStream().close();
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      Footprint.deleteTree(dir);
    }
  }
}
