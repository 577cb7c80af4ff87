package io.microgrid.dispatch.benchmarks;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.server.DispatchApi;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The gateway as a controller vendor sees it from outside: {@code dispatch-gateway.jar} started as
 * a process of its own with {@code -Xmx64m}, against a Dispatch API (server-core's {@link
 * DispatchApi}, in this process, on loopback) holding n dispatches, with only the client, the
 * scheduler and the logging listener configured (no simulator in the gateway). After its sync is
 * complete (n {@code created} lines) ten probe dispatches are created that start a few seconds
 * later, two seconds apart; their lateness is read from the {@code dispatch-event} lines ({@code notified_at - at}),
 * and the process's resident memory and threads from {@code /proc} once they ran. Once with the
 * JVM's defaults and once with the {@code edge} launch profile ({@code distribution/edge.jvmopts}
 * and {@code MALLOC_ARENA_MAX=2}).
 */
final class EdgeFootprint {
  record Settings(int n, int probes) {}

  /** What one gateway run showed. */
  record Run(
      String profile,
      double syncMillis,
      long rssKb,
      long hwmKb,
      int threads,
      long[] lateness,
      long[] latenessInOrder,
      long[] control,
      Map<String, Integer> threadNames) {}

  /** The RSS target of issue 14, in kB as /proc reports it (110 MB). */
  static final long RSS_TARGET_KB = 110_000_000 / 1024;

  /** Between the probes' starts: each runs 1 s, so no two of their transitions share an instant. */
  static final Duration PROBE_SPACING = Duration.ofSeconds(2);

  private static final Pattern EVENT = Pattern.compile(
      "\"kind\":\"(\\w+)\",\"state\":(?:\"(\\w+)\"|null),\"dispatch_id\":(\\d+)");
  private static final Pattern AT = Pattern.compile("\"at\":\"([^\"]+)\"");
  private static final Pattern NOTIFIED = Pattern.compile("\"notified_at\":\"([^\"]+)\"");

  private final Settings settings;
  private final Path gateway;
  private final Path edgeOptions;

  EdgeFootprint(Settings settings, Path root) {
    this.settings = settings;
    this.gateway = root.resolve("distribution/target/dispatch-gateway.jar");
    this.edgeOptions = root.resolve("distribution/edge.jvmopts");
  }

  boolean available() {
    return Files.isRegularFile(gateway) && Files.isRegularFile(edgeOptions) && Files.isDirectory(Path.of("/proc/self"));
  }

  /** Runs the gateway once with the JVM's defaults and once with the edge profile. */
  List<Run> run() throws Exception {
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    DispatchApi api = new DispatchApi(Clock.systemUTC(),
        SyncBenchmark.contents(Workload.later(settings.n(), now, now.minusSeconds(60), 23)), null, null, null);
    Server server = api.listen(SyncBenchmark.loopback(), InsecureServerCredentials.create());
    try {
      List<Run> runs = new ArrayList<>();
      runs.add(once("defaults", List.of(), Map.of(), server.getPort()));
      runs.add(once("edge", List.of("@" + edgeOptions.toAbsolutePath()), Map.of("MALLOC_ARENA_MAX", "2"),
          server.getPort()));
      return runs;
    } finally {
      server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  private Run once(String profile, List<String> jvmOptions, Map<String, String> env, int port) throws Exception {
    Path dir = Files.createTempDirectory("dispatch-bench-edge");
    Path etc = Files.createDirectories(dir.resolve("etc"));
    // An existing etc/ is read as it is: no simulator, no sample dispatch.
    Files.writeString(etc.resolve("io.microgrid.dispatch.client.cfg"),
        "url = grpc://127.0.0.1:" + port + "?ssl=false\n.key = bench\n");
    Files.writeString(etc.resolve("io.microgrid.dispatch.scheduler-gateway.cfg"),
        "microgrid.id = " + Workload.MICROGRID + "\n");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx64m");
    command.addAll(jvmOptions);
    command.addAll(List.of("-Ddispatch.etc=" + etc, "-Ddispatch.deploy=" + dir.resolve("deploy"),
        "-jar", gateway.toAbsolutePath().toString()));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
        .redirectError(dir.resolve("stderr.log").toFile());
    pb.environment().putAll(env);
    long t0 = System.nanoTime();
    Process p = pb.start();
    try {
      p.getOutputStream().close();
      AtomicInteger created = new AtomicInteger();
      CountDownLatch synced = new CountDownLatch(1);
      Set<Long> probeIds = ConcurrentHashMap.newKeySet();
      List<Long> lateness = java.util.Collections.synchronizedList(new ArrayList<>());
      CountDownLatch probed = new CountDownLatch(2 * settings.probes());
      Thread reader = new Thread(() -> {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
          String line;
          while ((line = out.readLine()) != null) {
            Matcher m = EVENT.matcher(line);
            if (!line.startsWith("dispatch-event ") || !m.find()) {
              continue;
            }
            if (m.group(1).equals("created") && created.incrementAndGet() == settings.n()) {
              synced.countDown();
            }
            if (m.group(1).equals("running") && probeIds.contains(Long.parseLong(m.group(3)))) {
              Matcher at = AT.matcher(line);
              Matcher notified = NOTIFIED.matcher(line);
              if (at.find() && notified.find()) {
                lateness.add(Duration.between(Instant.parse(at.group(1)), Instant.parse(notified.group(1))).toMillis());
                probed.countDown();
              }
            }
          }
        } catch (IOException e) {
          // The gateway was stopped: the waits below time out and say so.
        }
      }, "bench-edge-reader");
      reader.setDaemon(true);
      reader.start();
      if (!synced.await(3, TimeUnit.MINUTES)) {
        throw new IllegalStateException(profile + ": no complete sync (" + created.get() + " created lines); see "
            + dir.resolve("stderr.log"));
      }
      double syncMillis = (System.nanoTime() - t0) / 1e6;
      Instant first;
      try (DispatchConnection client =
          DispatchConnection.open(ClientOptions.builder("grpc://127.0.0.1:" + port + "?ssl=false").build())) {
        // The probes start a few seconds ahead, two seconds apart, and run for one second each,
        // so that every RUNNING and STOPPED has an instant of its own. The API keeps start times in
        // whole seconds: probes 300 ms apart started four at a time, and the fourth, told after
        // the other three, measured their telling rather than the scheduler's timing.
        first = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < settings.probes(); i++) {
          Dispatch d = client.create(Workload.MICROGRID,
              NewDispatch.builder("PROBE", TargetComponents.ids(1))
                  .startTime(first.plus(PROBE_SPACING.multipliedBy(i)))
                  .duration(Duration.ofSeconds(1))
                  .payload(Workload.SMALL_PAYLOAD)
                  .build());
          probeIds.add(d.id());
        }
      }
      List<Instant> instants = new ArrayList<>();
      for (int i = 0; i < settings.probes(); i++) {
        instants.add(first.plus(PROBE_SPACING.multipliedBy(i)));
        instants.add(first.plus(PROBE_SPACING.multipliedBy(i)).plusSeconds(1));
      }
      long[] control = control(instants);
      if (!probed.await(1, TimeUnit.MINUTES)) {
        throw new IllegalStateException(profile + ": the probes were not all told; see " + dir.resolve("stderr.log"));
      }
      // Let what the probes' lines started settle before reading the process from outside.
      Thread.sleep(500);
      Map<String, Long> status = status(p.pid());
      Map<String, Integer> names = threadNames(p.pid());
      int threads = names.values().stream().mapToInt(Integer::intValue).sum();
      long[] inOrder = lateness.stream().mapToLong(Long::longValue).toArray();
      long[] sorted = inOrder.clone();
      Arrays.sort(sorted);
      return new Run(
          profile, syncMillis, status.get("VmRSS"), status.get("VmHWM"), threads, sorted, inOrder, control, names);
    } finally {
      p.destroy();
      if (!p.waitFor(15, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
      }
      Footprint.deleteTree(dir);
    }
  }

  /**
   * How late this process's own timer wakes at the probes' instants, in whole milliseconds as the
   * gateway's lines give them: what the machine alone costs (other work on its cores), to read the
   * probes' lateness against. Sleeps until a millisecond before, then parks to the instant.
   */
  private static long[] control(List<Instant> instants) throws InterruptedException {
    List<Instant> sorted = instants.stream().sorted().toList();
    long[] late = new long[sorted.size()];
    for (int i = 0; i < late.length; i++) {
      Instant at = sorted.get(i);
      long ahead = Duration.between(Instant.now(), at).toMillis() - 1;
      if (ahead > 0) {
        Thread.sleep(ahead);
      }
      while (Instant.now().isBefore(at)) {
        java.util.concurrent.locks.LockSupport.parkNanos(50_000);
      }
      late[i] = Duration.between(at, Instant.now()).toMillis();
    }
    Arrays.sort(late);
    return late;
  }

  /** VmRSS and VmHWM of a process, in kB. */
  private static Map<String, Long> status(long pid) throws IOException {
    Map<String, Long> kb = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      String[] parts = line.split("\\s+");
      if (parts.length >= 2 && (parts[0].equals("VmRSS:") || parts[0].equals("VmHWM:"))) {
        kb.put(parts[0].substring(0, parts[0].length() - 1), Long.parseLong(parts[1]));
      }
    }
    return kb;
  }

  /**
   * The process's threads by name, with the digits of pool members dropped so that a pool shows
   * as one name with its count (the kernel keeps the first 15 characters of a Java thread's name).
   */
  private static Map<String, Integer> threadNames(long pid) throws IOException {
    Map<String, Integer> names = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks.toList()) {
        try {
          String name = Files.readString(task.resolve("comm")).strip().replaceAll("[0-9]+", "#");
          names.merge(name, 1, Integer::sum);
        } catch (IOException e) {
          // The thread ended meanwhile.
        }
      }
    }
    return names;
  }

  static String markdown(Settings settings, List<Run> runs) {
    StringBuilder md = new StringBuilder();
    md.append(Report.f("**Gateway from outside**: `dispatch-gateway.jar` as a process with `-Xmx64m`, client, scheduler "
        + "and logging listener configured (no simulator), against server-core's Dispatch API on loopback holding "
        + "%,d dispatches (half recurring); after its sync, %d probe dispatches of 1 s start 4 s ahead, 2 s "
        + "apart (start times are whole seconds on the API, so each transition has an instant of its own); lateness is `notified_at - at` of their RUNNING and STOPPED lines (milliseconds, as the lines "
        + "give them), beside a control: a timer in the benchmark's process woken at the same instants (what the "
        + "machine's other work alone costs); memory and threads read from `/proc/PID` after the probes ran. `edge`: "
        + "`MALLOC_ARENA_MAX=2 java -Xmx64m @distribution/edge.jvmopts -jar dispatch-gateway.jar`.\n\n",
        settings.n(), settings.probes()));
    md.append("| profile | sync incl. JVM start | VmRSS | VmHWM | threads | probe lateness p50 / p99 / max "
        + "| control timer p99 / max | probe lateness in the order told, ms |\n");
    md.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
    for (Run r : runs) {
      md.append(Report.f("| %s | %.1f s | %.1f MB | %.1f MB | %d | %d / %d / %d ms | %d / %d ms | %s |\n", r.profile(),
          r.syncMillis() / 1000, r.rssKb() * 1024 / 1e6, r.hwmKb() * 1024 / 1e6, r.threads(),
          Stats.percentile(r.lateness(), 50), Stats.percentile(r.lateness(), 99),
          Stats.percentile(r.lateness(), 100), Stats.percentile(r.control(), 99),
          Stats.percentile(r.control(), 100),
          String.join(" ", Arrays.stream(r.latenessInOrder()).mapToObj(Long::toString).toList())));
    }
    md.append("\nThreads of the `edge` run by name (pools folded, `#` for a number): ");
    Run edge = runs.get(runs.size() - 1);
    md.append(String.join(", ", edge.threadNames().entrySet().stream()
        .map(e -> "`" + e.getKey() + "`" + (e.getValue() > 1 ? " ×" + e.getValue() : ""))
        .toList()));
    md.append(".\n\n");
    return md.toString();
  }

  /** The target row: the edge profile's RSS, with the probes' p99. */
  static Report.Target target(List<Run> runs) {
    Run edge = runs.get(runs.size() - 1);
    long p99 = Stats.percentile(edge.lateness(), 99);
    boolean met = edge.rssKb() <= RSS_TARGET_KB && p99 <= 2;
    return new Report.Target("gateway RSS with 10,000 dispatches, `-Xmx64m`, after sync and 10 probe dispatches",
        "≤ 110 MB, with the probes' lateness p99 ≤ 2 ms",
        Report.f("%.1f MB with the edge profile, p99 %d ms, control timer p99 %d ms (JVM defaults: %.1f MB)",
            edge.rssKb() * 1024 / 1e6, p99, Stats.percentile(edge.control(), 99), runs.get(0).rssKb() * 1024 / 1e6),
        met);
  }
}
