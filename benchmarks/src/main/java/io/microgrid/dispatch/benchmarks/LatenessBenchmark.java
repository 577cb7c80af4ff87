package io.microgrid.dispatch.benchmarks;

import io.microgrid.dispatch.api.Dispatch;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Lateness: from a transition's instant to the listener's call, with n dispatches held, for our
 * scheduler and the two peers, each run in turn (ours, Quartz, executor, ours, ...) so that a
 * change of load on the machine hits all three alike. Each run: build n dispatches, of which
 * {@code measured} start and stop inside a window that begins after everything is loaded; wait
 * for every transition of the window; note p50, p99 and max. The median of each over the runs is
 * reported.
 */
final class LatenessBenchmark {
  private final Settings settings;
  private final Report report;

  record Settings(List<Integer> sizes, int measured, Duration window, int repeats) {}

  /** One run's figures, nanoseconds. */
  record Run(long p50, long p99, long max, int delivered, int expected) {}

  LatenessBenchmark(Settings settings, Report report) {
    this.settings = settings;
    this.report = report;
  }

  void run() throws Exception {
    List<Supplier<Contender>> contenders = List.of(OurScheduler::new, QuartzPeer::new, ExecutorPeer::new);
    List<String> names = List.of("dispatch scheduler", "Quartz (RAMJobStore)", "ScheduledThreadPoolExecutor");
    Map<String, Map<Integer, List<Run>>> runs = new LinkedHashMap<>();
    names.forEach(n -> runs.put(n, new LinkedHashMap<>()));

    // Warm-up: one short run of each, not reported, so that JIT compilation is not measured.
    for (Supplier<Contender> c : contenders) {
      once(c, Math.min(1000, settings.sizes().get(0)), 0);
    }
    for (int n : settings.sizes()) {
      for (int rep = 0; rep < settings.repeats(); rep++) {
        for (int i = 0; i < contenders.size(); i++) {
          Run r = once(contenders.get(i), n, rep + 1);
          runs.get(names.get(i)).computeIfAbsent(n, k -> new ArrayList<>()).add(r);
          System.out.println(Report.f(
              "  lateness n=%d run %d %s: p50 %s ms, p99 %s ms, max %s ms (%d/%d transitions)",
              n, rep + 1, names.get(i), Report.ms(r.p50()), Report.ms(r.p99()), Report.ms(r.max()),
              r.delivered(), r.expected()));
        }
      }
    }

    StringBuilder md = new StringBuilder();
    md.append(Report.f(
        "From a transition's instant to the listener's call (system clock), median over %d run(s) of "
            + "p50 / p99 / max; min(n, %,d) dispatches start and stop inside a %d s window (up to %,d "
            + "transitions: half one-off, half recurring every minute), the others (half recurring "
            + "daily or hourly) start from an hour after the window to 30 days later. Quartz: RAMJobStore, SimpleThreadPool of %d threads, one job "
            + "and trigger per transition. Executor: ScheduledThreadPoolExecutor of %d threads, one task "
            + "per transition. Both peers get the transitions worked out in advance (no recurrence "
            + "evaluation while running) and call the same listener as ours. Ours: the scheduler "
            + "thread plus the listener's own delivery thread.\n\n",
        settings.repeats(), settings.measured(), settings.window().toSeconds(), 2 * settings.measured(),
        ExecutorPeer.THREADS, ExecutorPeer.THREADS));
    md.append("| dispatches | implementation | p50 ms | p99 ms | max ms | delivered | p99 of peer / ours |\n");
    md.append("|---:|---|---:|---:|---:|---:|---:|\n");
    for (int n : settings.sizes()) {
      double ourP99 = medianOf(runs.get(names.get(0)).get(n), Run::p99);
      for (String name : names) {
        List<Run> rs = runs.get(name).get(n);
        double p99 = medianOf(rs, Run::p99);
        String ratio = name.equals(names.get(0)) ? "" : Report.f("%.2f", p99 / Math.max(1, ourP99));
        md.append(Report.f("| %,d | %s | %s | %s | %s | %s | %s |\n", n, name,
            Report.ms(medianOf(rs, Run::p50)), Report.ms(p99), Report.ms(medianOf(rs, Run::max)),
            delivered(rs), ratio));
      }
    }
    report.section("Lateness", md.toString());

    int largest = settings.sizes().get(settings.sizes().size() - 1);
    double ours = medianOf(runs.get(names.get(0)).get(largest), Run::p99);
    double quartz = medianOf(runs.get(names.get(1)).get(largest), Run::p99);
    double executor = medianOf(runs.get(names.get(2)).get(largest), Run::p99);
    boolean complete = runs.get(names.get(0)).get(largest).stream().allMatch(r -> r.delivered() == r.expected());
    report.target(new Report.Target(
        Report.f("lateness p99 at %,d dispatches", largest),
        "≤ 2 ms at 100 000, lower than both peers",
        Report.f("%s ms (Quartz %s ms, executor %s ms)", Report.ms(ours), Report.ms(quartz), Report.ms(executor)),
        largest < 100_000 ? null : complete && ours <= 2e6 && ours < quartz && ours < executor));
  }

  private static String delivered(List<Run> rs) {
    int d = rs.stream().mapToInt(Run::delivered).sum();
    int e = rs.stream().mapToInt(Run::expected).sum();
    return d == e ? "all" : Report.f("%d of %d", d, e);
  }

  private static double medianOf(List<Run> rs, java.util.function.ToLongFunction<Run> f) {
    return Stats.median(rs.stream().map(r -> (double) f.applyAsLong(r)).toList());
  }

  private Run once(Supplier<Contender> make, int n, int seed) throws Exception {
    int measured = Math.min(settings.measured(), n);
    // Enough time to build and load everything before the window opens; a run whose loading
    // overran is done again with more time rather than measured.
    Duration lead = Duration.ofMillis(3000 + n / 10);
    for (int attempt = 0; ; attempt++) {
      System.gc();
      Instant created = Instant.now().truncatedTo(ChronoUnit.MILLIS);
      Instant windowStart = created.plus(lead);
      Instant windowEnd = windowStart.plus(settings.window());
      List<Dispatch> dispatches =
          Workload.withWindow(n, measured, windowStart, settings.window(), created, seed);
      Transitions transitions = Transitions.of(dispatches, created, windowStart, windowEnd);
      LatenessRecorder recorder = new LatenessRecorder(windowStart, windowEnd, transitions.inWindow().size());
      try (Contender c = make.get()) {
        c.load(dispatches, transitions, recorder);
        dispatches = null;
        Duration margin = Duration.between(Instant.now(), windowStart);
        if (margin.toMillis() < 300) {
          if (attempt >= 2) {
            throw new IllegalStateException(c.name() + " could not load " + n + " dispatches in " + lead);
          }
          System.out.println(Report.f("  (%s loaded %d dispatches too late for the window; again with more time)", c.name(), n));
          lead = lead.multipliedBy(2);
          continue;
        }
        long wait = Duration.between(Instant.now(), windowEnd).toMillis() + 30_000;
        recorder.await(wait);
        long[] sorted = recorder.sortedLateness();
        return new Run(
            Stats.percentile(sorted, 50), Stats.percentile(sorted, 99),
            sorted.length == 0 ? 0 : sorted[sorted.length - 1],
            recorder.delivered(), transitions.inWindow().size());
      }
    }
  }
}
