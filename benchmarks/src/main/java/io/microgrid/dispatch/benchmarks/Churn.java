package io.microgrid.dispatch.benchmarks;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Runs {@link ChurnBenchmark} with JMH and reports the cost per operation against n. */
final class Churn {
  record Settings(List<Integer> sizes, int forks, int iterations, int seconds) {}

  private final Settings settings;
  private final Report report;

  Churn(Settings settings, Report report) {
    this.settings = settings;
    this.report = report;
  }

  void run() throws Exception {
    String[] sizes = settings.sizes().stream().map(String::valueOf).toArray(String[]::new);
    Map<String, Map<Integer, double[]>> scores = new TreeMap<>();
    scores.putAll(run("update", sizes, false));
    scores.putAll(run("lookup", sizes, false));
    scores.putAll(run("delete", sizes, true));

    StringBuilder md = new StringBuilder();
    md.append(Report.f(
        "JMH %s, %d fork(s) × %d measured iterations; the schedule holds n dispatches (half one-off, half "
            + "recurring), visited in random order. `update`: average time of one applied update (start moved by "
            + "a second, newer modification time; the updated dispatch made afresh, as the client decodes it, "
            + "which is about half of the cost at the smallest n). `delete`: one delete, timed in single-shot batches of %d "
            + "on a freshly filled schedule. `lookup`: the control, a plain `HashMap` lookup of the same "
            + "dispatch and a read of its start: O(1), so its growth with n is what the memory hierarchy "
            + "alone costs. Score ± 99.9%% error.\n\n",
        org.openjdk.jmh.util.Utils.class.getPackage().getImplementationVersion() == null
            ? "1.37" : org.openjdk.jmh.util.Utils.class.getPackage().getImplementationVersion(),
        settings.forks(), settings.iterations(), ChurnBenchmark.DELETES));
    md.append("| operation | n | ns per operation | × the smallest n |\n|---|---:|---:|---:|\n");
    for (Map.Entry<String, Map<Integer, double[]>> op : scores.entrySet()) {
      double base = op.getValue().values().iterator().next()[0];
      for (Map.Entry<Integer, double[]> e : op.getValue().entrySet()) {
        md.append(Report.f("| %s | %,d | %.0f ± %.0f | %.2f |\n",
            op.getKey(), e.getKey(), e.getValue()[0], e.getValue()[1], e.getValue()[0] / base));
      }
    }
    report.section("Churn", md.toString());

    Map<Integer, double[]> update = scores.get("update");
    int smallest = settings.sizes().get(0);
    int largest = settings.sizes().get(settings.sizes().size() - 1);
    double ratio = update.get(largest)[0] / update.get(smallest)[0];
    report.target(new Report.Target(
        Report.f("update cost %,d vs %,d dispatches", largest, smallest),
        "within 2× from 1 000 to 100 000",
        Report.f("%.2f× (%.0f ns vs %.0f ns; delete %.2f×; the O(1) hash map lookup control %.2f×)",
            ratio, update.get(largest)[0], update.get(smallest)[0],
            scores.get("delete").get(largest)[0] / scores.get("delete").get(smallest)[0],
            scores.get("lookup").get(largest)[0] / scores.get("lookup").get(smallest)[0]),
        smallest <= 1000 && largest >= 100_000 ? ratio <= 2.0 : null));
  }

  private Map<String, Map<Integer, double[]>> run(String method, String[] sizes, boolean singleShot) throws Exception {
    ChainedOptionsBuilder options =
        new OptionsBuilder()
            .include(ChurnBenchmark.class.getName() + "\\." + method + "$")
            .param("n", sizes)
            .forks(settings.forks())
            .jvmArgsAppend("-Xmx2g")
            .verbosity(VerboseMode.SILENT)
            .shouldFailOnError(true);
    if (singleShot) {
      options
          .warmupIterations(settings.iterations())
          .warmupBatchSize(ChurnBenchmark.DELETES)
          .measurementIterations(settings.iterations() * 3)
          .measurementBatchSize(ChurnBenchmark.DELETES);
    } else {
      options
          .warmupIterations(settings.iterations())
          .warmupTime(TimeValue.seconds(settings.seconds()))
          .measurementIterations(settings.iterations())
          .measurementTime(TimeValue.seconds(settings.seconds()));
    }
    System.out.println("  churn: JMH " + method + " at n = " + String.join(", ", sizes) + " ...");
    Collection<RunResult> results = new Runner(options.build()).run();
    Map<Integer, double[]> byN = new TreeMap<>();
    for (RunResult r : results) {
      int n = Integer.parseInt(r.getParams().getParam("n"));
      double score = r.getPrimaryResult().getScore();
      double error = r.getPrimaryResult().getScoreError();
      if (singleShot) {
        score /= ChurnBenchmark.DELETES;
        error /= ChurnBenchmark.DELETES;
      }
      byN.put(n, new double[] {score, Double.isNaN(error) ? 0 : error});
    }
    return Map.of(method, byN);
  }
}
