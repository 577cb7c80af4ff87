package io.microgrid.dispatch.benchmarks;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.scheduler.internal.core.DispatchSchedule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Footprint: heap retained per dispatch in the schedule, the size of each bundle and of the set a
 * Felix install needs, and the time from {@code java -jar dispatch-gateway.jar} to its first
 * notification.
 */
final class Footprint {
  /**
   * @param n dispatches held for the heap figures
   * @param repeats heap measurements, of which the median is reported
   * @param launches launcher starts, of which the median is reported
   * @param edge dispatches held by the server for {@link EdgeFootprint}; 0 skips it
   */
  record Settings(int n, int repeats, int launches, int edge) {}

  /**
   * What a Felix install needs besides the framework (README, "Installing into Apache Felix"):
   * our API, client and scheduler (which embed the protobuf, Guava and Gson classes they reach),
   * SCR with the DS, promise and function APIs, and ConfigAdmin. Matched against the bundles
   * packed in dispatch-gateway.jar, so a library that a bundle imports again shows up here as
   * soon as the gateway packs it.
   */
  private static final Pattern FELIX_INSTALL =
      Pattern.compile(".*(api-bundle|client-bundle|scheduler-bundle|protobuf-javalite|guava|failureaccess|gson"
          + "|org\\.apache\\.felix\\.scr|org\\.osgi\\.service\\.component|org\\.osgi\\.util\\.promise"
          + "|org\\.osgi\\.util\\.function|org\\.apache\\.felix\\.configadmin).*\\.jar");

  private final Settings settings;
  private final Report report;
  private final Path root;

  Footprint(Settings settings, Report report, Path root) {
    this.settings = settings;
    this.report = report;
    this.root = root;
  }

  void run() throws Exception {
    StringBuilder md = new StringBuilder();

    // Heap.
    List<Double> perDispatch = new ArrayList<>();
    List<Double> perUnshared = new ArrayList<>();
    for (int i = 0; i < settings.repeats(); i++) {
      perDispatch.add(heapPerDispatch(settings.n(), false));
      perUnshared.add(heapPerDispatch(settings.n(), true));
    }
    double heap = Stats.median(perDispatch);
    double unshared = Stats.median(perUnshared);
    md.append(Report.f(
        "**Heap**: %,d dispatches (half one-off, half recurring, payload `%s`, two target ids) held in the "
            + "schedule, with their pending transitions, each decoded apart (objects of its own, as the client "
            + "makes them); used heap after full GCs, before and after, divided by n; median of %d: **%,.0f bytes "
            + "per dispatch**. The same with a payload and target that differ for every dispatch (nothing to "
            + "share but type, duration and rule): %,.0f bytes per dispatch.\n\n",
        settings.n(), "{\"power_w\":5000,\"mode\":\"charge\"}", settings.repeats(), heap, unshared));
    report.target(new Report.Target("heap retained per dispatch", "≤ 600 B",
        Report.f("%,.0f bytes (%,.0f with a payload and target of its own each)", heap, unshared), heap <= 600));

    // Sizes.
    Path gateway = root.resolve("distribution/target/dispatch-gateway.jar");
    md.append("**Sizes** of the bundles built here, and of the bundles packed in `dispatch-gateway.jar`:\n\n");
    md.append("| file | bytes | in a Felix install |\n|---|---:|---|\n");
    for (String file : List.of("api-bundle", "client-bundle", "client-bundle/edge", "scheduler-bundle",
        "simulator-bundle", "logging-listener-bundle", "shell-bundle")) {
      // module/classifier: the edge client bundle is the client's second jar.
      String module = file.replaceAll("/.*", "");
      String classifier = file.contains("/") ? "-" + file.replaceAll(".*/", "") : "";
      Path jar = root.resolve(module + "/target/" + module + "-0.1.0-SNAPSHOT" + classifier + ".jar");
      if (Files.isRegularFile(jar)) {
        md.append(Report.f("| `%s` | %,d | %s |\n", root.relativize(jar), Files.size(jar),
            file.equals("client-bundle") ? "or the edge jar (which the gateway packs)"
                : FELIX_INSTALL.matcher(jar.getFileName().toString()).matches() ? "yes" : "optional"));
      }
    }
    long felixInstall = 0;
    long packed = 0;
    List<ZipEntry> inInstall = new ArrayList<>();
    if (Files.isRegularFile(gateway)) {
      try (ZipFile zip = new ZipFile(gateway.toFile())) {
        List<? extends ZipEntry> jars = zip.stream()
            .filter(e -> e.getName().endsWith(".jar"))
            .sorted(Comparator.comparing(ZipEntry::getName))
            .toList();
        for (ZipEntry e : jars) {
          boolean needed = FELIX_INSTALL.matcher(e.getName()).matches();
          packed += e.getSize();
          if (needed) {
            felixInstall += e.getSize();
            inInstall.add(e);
          }
          md.append(Report.f("| `dispatch-gateway.jar!/%s` | %,d | %s |\n", e.getName(), e.getSize(), needed ? "yes" : ""));
        }
      }
      md.append(Report.f("\nA Felix install (our API, client and scheduler bundles; protobuf-javalite, Guava, "
          + "failureaccess and Gson if the gateway packs them; SCR, the DS/promise/function APIs, ConfigAdmin): "
          + "**%,d bytes (%.2f MB)**. "
          + "All bundles packed in the gateway (with FileInstall, Gogo, the simulator, logging and shell bundles): "
          + "%,d bytes; `dispatch-gateway.jar` itself (with Felix): %,d bytes.\n\n",
          felixInstall, felixInstall / 1e6, packed, Files.size(gateway)));
      md.append("Largest in a Felix install: "
          + String.join(", ", inInstall.stream()
              .sorted(Comparator.comparingLong(ZipEntry::getSize).reversed())
              .limit(3)
              .map(e -> Report.f("`%s` %.2f MB", e.getName().replace("jar/", ""), e.getSize() / 1e6))
              .toList())
          + ".\n\n");
      report.target(new Report.Target("bundles plus dependencies of a Felix install", "≤ 4 MB",
          Report.f("%.2f MB", felixInstall / 1e6), felixInstall <= 4_000_000));
    } else {
      md.append("\n`distribution/target/dispatch-gateway.jar` is missing: build it first.\n\n");
      report.target(new Report.Target("bundles plus dependencies of a Felix install", "≤ 4 MB", "-", null));
    }

    // Launcher, without and with a class-data-sharing archive of the gateway (README, "Starting
    // faster"). The runs alternate, so that both see the same load of the machine.
    if (Files.isRegularFile(gateway) && settings.launches() > 0) {
      Path archiveDir = Files.createTempDirectory("dispatch-bench-cds");
      try {
        Path archive = archiveDir.resolve("dispatch-gateway.jsa");
        launchToFirstNotification(gateway, List.of("-XX:ArchiveClassesAtExit=" + archive));
        boolean archived = Files.isRegularFile(archive);
        List<Double> plain = new ArrayList<>();
        List<Double> shared = new ArrayList<>();
        for (int i = 0; i < settings.launches(); i++) {
          double ms = launchToFirstNotification(gateway, List.of());
          plain.add(ms);
          String line = Report.f("  launcher run %d: first notification after %.0f ms", i + 1, ms);
          if (archived) {
            double withArchive = launchToFirstNotification(gateway, List.of("-XX:SharedArchiveFile=" + archive));
            shared.add(withArchive);
            line += Report.f(", with the archive %.0f ms", withArchive);
          }
          System.out.println(line);
        }
        double first = Stats.median(plain);
        md.append(Report.f(
            "**Launcher**: `java -jar dispatch-gateway.jar` with a fresh `-Ddispatch.etc` (it writes its "
                + "defaults and creates the sample dispatch) until its first `dispatch-event` line (the sample's "
                + "`created`), median of %d: **%.0f ms** (runs: %s).",
            settings.launches(), first, plain.stream().map(v -> Report.f("%.0f", v)).toList()));
        if (archived) {
          double firstShared = Stats.median(shared);
          md.append(Report.f(
              " With a class-data-sharing archive of the gateway (`-XX:SharedArchiveFile`, made by one run "
                  + "with `-XX:ArchiveClassesAtExit`, %,d bytes), median of %d: **%.0f ms** (runs: %s).",
              Files.size(archive), settings.launches(), firstShared,
              shared.stream().map(v -> Report.f("%.0f", v)).toList()));
          report.target(new Report.Target("launcher to first notification", "≤ 1.0 s",
              Report.f("%.2f s (%.2f s with the CDS archive)", first / 1000, firstShared / 1000),
              Math.min(first, firstShared) <= 1000));
        } else {
          md.append(" The run that should have written a class-data-sharing archive wrote none.");
          report.target(new Report.Target("launcher to first notification", "≤ 1.0 s",
              Report.f("%.2f s", first / 1000), first <= 1000));
        }
        md.append("\n");
      } finally {
        deleteTree(archiveDir);
      }
    } else {
      report.target(new Report.Target("launcher to first notification", "≤ 1.0 s", "-", null));
    }

    // The gateway from outside.
    EdgeFootprint.Settings edgeSettings = new EdgeFootprint.Settings(settings.edge(), 10);
    EdgeFootprint edge = new EdgeFootprint(edgeSettings, root);
    if (settings.edge() > 0 && edge.available()) {
      List<EdgeFootprint.Run> runs = edge.run();
      md.append("\n").append(EdgeFootprint.markdown(edgeSettings, runs));
      report.target(EdgeFootprint.target(runs));
    } else {
      report.target(new Report.Target("gateway RSS with 10,000 dispatches, `-Xmx64m`, after sync and 10 probe "
          + "dispatches", "≤ 110 MB, with the probes' lateness p99 ≤ 2 ms", "-", null));
    }
    report.section("Footprint", md.toString());
  }

  /**
   * Bytes of heap that n dispatches held in the schedule retain, per dispatch.
   *
   * @param unshared whether every dispatch has a payload and target of another value
   */
  static double heapPerDispatch(int n, boolean unshared) {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    long before = usedAfterGc(memory);
    DispatchSchedule schedule = new DispatchSchedule(Workload.MICROGRID, ChurnBenchmark.NOWHERE);
    for (Dispatch d : Workload.later(n, now, now.minusSeconds(60), 17)) {
      schedule.apply(new DispatchEvent.Created(unshared ? Workload.unshared(d) : d), now);
    }
    long after = usedAfterGc(memory);
    if (schedule.dispatches().size() != n) {
      throw new IllegalStateException("the schedule lost dispatches");
    }
    java.lang.ref.Reference.reachabilityFence(schedule);
    return (after - before) / (double) n;
  }

  /** Used heap after full GCs: the least of a few, as a GC may leave some garbage behind. */
  static long usedAfterGc(MemoryMXBean memory) {
    long used = Long.MAX_VALUE;
    for (int i = 0; i < 4; i++) {
      System.gc();
      used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
    }
    return used;
  }

  /**
   * Milliseconds from starting the gateway to its first dispatch-event line. The gateway is then
   * stopped the way a service manager stops it (SIGTERM), which is when the JVM writes an archive
   * asked for with -XX:ArchiveClassesAtExit.
   */
  private static double launchToFirstNotification(Path gateway, List<String> jvmOptions) throws Exception {
    Path run = Files.createTempDirectory("dispatch-bench-gateway");
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(jvmOptions);
    command.addAll(List.of(
        "-Ddispatch.etc=" + run.resolve("etc"),
        "-Ddispatch.defaults.port=" + port,
        "-jar", gateway.toAbsolutePath().toString()));
    long t0 = System.nanoTime();
    Process p = new ProcessBuilder(command)
        .directory(run.toFile())
        .redirectError(run.resolve("stderr.log").toFile())
        .start();
    // A gateway that never prints is stopped after a minute, which ends the read below.
    Thread watchdog = new Thread(() -> {
      try {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "bench-gateway-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    try {
      p.getOutputStream().close();
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith("dispatch-event ")) {
          return (System.nanoTime() - t0) / 1e6;
        }
      }
      throw new IllegalStateException("the gateway ended without a notification; see " + run.resolve("stderr.log"));
    } finally {
      p.destroy();
      // Writing a class-data-sharing archive at exit takes a few seconds on a loaded machine.
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(15, TimeUnit.SECONDS);
      }
      deleteTree(run);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
