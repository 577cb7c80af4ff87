package io.microgrid.dispatch.benchmarks;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Runs every benchmark, prints each table as it is done and writes them all, with the targets
 * met or missed and the machine they ran on, to {@code BENCHMARKS.md}.
 *
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar [--quick] [--only lateness,churn,sync,footprint,scale] [--out FILE] [--root DIR]
 * </pre>
 */
public final class Benchmarks {
  private static final Set<String> ALL = Set.of("lateness", "churn", "sync", "footprint", "scale");

  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    boolean quick = false;
    Set<String> only = new LinkedHashSet<>(List.of("lateness", "churn", "sync", "footprint", "scale"));
    Path root = Path.of(".");
    Path out = null;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--quick" -> quick = true;
        case "--only" -> {
          only = new LinkedHashSet<>(Arrays.asList(value(args, ++i).split(",")));
          if (!ALL.containsAll(only)) {
            usage("--only takes some of " + ALL + ", got " + only);
          }
        }
        case "--root" -> root = Path.of(value(args, ++i));
        case "--out" -> out = Path.of(value(args, ++i));
        case "-h", "--help" -> usage(null);
        default -> usage("unknown argument " + args[i]);
      }
    }
    // The simulator, client and scheduler log each start, stop and sync at INFO: not figures.
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    root = root.toAbsolutePath().normalize();
    if (!Files.isRegularFile(root.resolve("scheduler-bundle/pom.xml"))) {
      usage(root + " is not the project's root: run from there or give --root");
    }
    if (out == null) {
      out = root.resolve("BENCHMARKS.md");
    }

    String command = "benchmarks/run" + (quick ? " --quick" : "") + (only.size() < ALL.size() ? " --only " + String.join(",", only) : "");
    Report report = new Report(machine(quick), command);
    System.out.println(report.markdown().lines().filter(l -> l.startsWith("- ")).reduce("", (a, b) -> a + b + "\n"));
    Instant started = Instant.now();

    if (only.contains("lateness")) {
      new LatenessBenchmark(
              quick
                  ? new LatenessBenchmark.Settings(List.of(1_000, 10_000), 500, Duration.ofSeconds(6), 1)
                  : new LatenessBenchmark.Settings(List.of(1_000, 10_000, 100_000), 2_000, Duration.ofSeconds(10), 3),
              report)
          .run();
    }
    if (only.contains("churn")) {
      new Churn(
              quick
                  ? new Churn.Settings(List.of(1_000, 100_000), 1, 3, 1)
                  : new Churn.Settings(List.of(1_000, 10_000, 100_000), 2, 5, 2),
              report)
          .run();
    }
    if (only.contains("sync")) {
      new SyncBenchmark(
              quick ? new SyncBenchmark.Settings(10_000, 1, 500) : new SyncBenchmark.Settings(100_000, 5, 5_000),
              report)
          .run();
    }
    if (only.contains("footprint")) {
      new Footprint(
              quick ? new Footprint.Settings(10_000, 1, 1, 10_000) : new Footprint.Settings(100_000, 3, 5, 10_000),
              report,
              root)
          .run();
    }
    if (only.contains("scale")) {
      new ScaleBenchmark(
              quick
                  ? new ScaleBenchmark.Settings(10_000, 1_000, 100_000, 500, Duration.ofSeconds(6))
                  : new ScaleBenchmark.Settings(100_000, 1_000, 1_000_000, 2_000, Duration.ofSeconds(10)),
              report)
          .run();
    }
    report.section("Run", Report.f("Took %d s.", Duration.between(started, Instant.now()).toSeconds()));
    report.write(out);
    System.out.println("Wrote " + out);
    // Non-daemon threads of the peers (Quartz, gRPC) must not keep the run alive.
    System.exit(0);
  }

  private static String machine(boolean quick) {
    Runtime rt = Runtime.getRuntime();
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return String.join("\n",
        "- date: " + Instant.now().truncatedTo(ChronoUnit.SECONDS),
        "- cores: " + rt.availableProcessors(),
        "- load average (1 min) at start: " + (load < 0 ? "unknown" : Report.f("%.2f", load)),
        "- Java: " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + " "
            + System.getProperty("java.vm.version") + ")",
        "- OS: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"),
        "- max heap: " + rt.maxMemory() / (1024 * 1024) + " MB; JVM options: "
            + String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()),
        "- mode: " + (quick ? "quick (smoke run: fewer sizes and repeats; the 100 000 targets are not measured)" : "full"));
  }

  private static String value(String[] args, int i) {
    if (i >= args.length) {
      usage(args[i - 1] + " needs a value");
    }
    return args[i];
  }

  private static void usage(String problem) {
    if (problem != null) {
      System.err.println(problem);
    }
    System.err.println("usage: java -jar benchmarks/target/benchmarks.jar [--quick] "
        + "[--only lateness,churn,sync,footprint,scale] [--out FILE] [--root DIR]");
    System.exit(problem == null ? 0 : 2);
  }
}
