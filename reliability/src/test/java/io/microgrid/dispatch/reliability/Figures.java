package io.microgrid.dispatch.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of the suites, for the README's reliability section: each suite hands in its table,
 * which is printed and written, with the machine it was measured on, to {@code
 * target/reliability-figures.md} (system property {@code reliability.figures}). Figures are
 * reported, never asserted: the machine is shared and its load varies.
 */
final class Figures {
  /** The README's order, whichever suite runs first. */
  private static final List<String> ORDER =
      List.of(
          "Server outages", "Long outage", "Live reconfiguration", "Bad listeners", "Simulated month", "Simulated year");

  private static final Map<String, List<String>> SECTIONS = new LinkedHashMap<>();

  private Figures() {}

  /**
   * Records a suite's figures, replacing an earlier table of the same suite, and rewrites the file.
   *
   * @param suite the section's title
   * @param rows markdown table rows {@code | figure | value |}, without the header
   */
  static synchronized void publish(String suite, List<String> rows) {
    List<String> section = new ArrayList<>();
    section.add("## " + suite);
    section.add("");
    section.add("| figure | value |");
    section.add("|---|---|");
    section.addAll(rows);
    section.add("");
    SECTIONS.put(suite, section);
    System.out.println(String.join(System.lineSeparator(), section));
    write();
  }

  static String row(String figure, Object value) {
    return "| " + figure + " | " + value + " |";
  }

  /** The value at percentile {@code p} (0-100) of {@code values}, nearest rank. */
  static long percentile(Collection<Long> values, double p) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort(null);
    if (sorted.isEmpty()) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  /** Microseconds as milliseconds with one decimal. */
  static String millis(long micros) {
    return String.format(java.util.Locale.ROOT, "%.1f ms", micros / 1000.0);
  }

  private static void write() {
    Path file = Path.of(System.getProperty("reliability.figures", "target/reliability-figures.md"));
    List<String> lines = new ArrayList<>();
    lines.add("# Reliability figures");
    lines.add("");
    lines.add("Measured " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + " on " + machine() + ".");
    lines.add("Written by the tests of the `reliability` module; regenerate with `.ci/reliability-figures`.");
    lines.add("");
    SECTIONS.entrySet().stream()
        .sorted(Comparator.comparingInt(e -> ORDER.contains(e.getKey()) ? ORDER.indexOf(e.getKey()) : ORDER.size()))
        .forEach(e -> lines.addAll(e.getValue()));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, lines);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Cores, Java and the load when the figures were taken: others may be building on the box. */
  static String machine() {
    double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    return Runtime.getRuntime().availableProcessors()
        + " cores, Java "
        + System.getProperty("java.version")
        + " ("
        + System.getProperty("java.vm.name")
        + "), "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.arch")
        + (load >= 0 ? String.format(java.util.Locale.ROOT, ", load average %.2f", load) : "");
  }
}
