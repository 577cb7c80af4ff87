package io.microgrid.dispatch.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a run found: machine, sections with their tables, and the targets met or missed. */
final class Report {
  /** One target of the issue and whether this run met it. */
  record Target(String what, String target, String measured, Boolean met) {
    String verdict() {
      return met == null ? "not measured" : met ? "met" : "MISSED";
    }
  }

  private final StringBuilder sections = new StringBuilder();
  private final List<Target> targets = new ArrayList<>();
  private final String machine;
  private final String command;

  Report(String machine, String command) {
    this.machine = machine;
    this.command = command;
  }

  /** Adds a section (Markdown) and prints it at once, so a long run shows progress. */
  void section(String title, String markdown) {
    String text = "## " + title + "\n\n" + markdown.strip() + "\n\n";
    sections.append(text);
    System.out.print(text);
    System.out.flush();
  }

  void target(Target t) {
    targets.add(t);
  }

  String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n");
    md.append("Written by `").append(command).append("` (see the README's Benchmarks section). ");
    md.append("Figures depend on the machine and on what else it runs: compare them within one run.\n\n");
    md.append("## Machine\n\n").append(machine).append("\n\n");
    md.append("## Targets\n\n");
    md.append("| what | target | measured | verdict |\n|---|---|---|---|\n");
    for (Target t : targets) {
      md.append("| ").append(t.what()).append(" | ").append(t.target()).append(" | ")
          .append(t.measured()).append(" | ").append(t.verdict()).append(" |\n");
    }
    md.append("\n").append(sections);
    return md.toString();
  }

  void write(Path file) throws IOException {
    Files.writeString(file, markdown(), StandardCharsets.UTF_8);
  }

  static String ms(double nanos) {
    return String.format(Locale.ROOT, "%.3f", nanos / 1e6);
  }

  static String f(String format, Object... args) {
    return String.format(Locale.ROOT, format, args);
  }
}
