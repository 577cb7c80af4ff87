package io.microgrid.dispatch.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What Linux's scheduler statistics say about a window: for each thread of a process, the CPU
 * time it ran and the time it waited on a run queue, ready but without a CPU ({@code
 * /proc/PID/task/TID/schedstat}: run time, wait time, time slices, in nanoseconds), and the page
 * faults it took ({@code stat}: minor and major), each a stop while the kernel maps memory. A transition
 * that is late while its thread waited for a CPU is late because the machine's cores were busy,
 * not because of the scheduler's own work or a pause of the JVM; these figures tell the two apart.
 * Threads are grouped by name as the kernel keeps it (15 characters), with numbers folded.
 */
final class RunQueue {
  /** Per thread name: run time and wait time in nanoseconds, and page faults, at one moment. */
  record Snapshot(Map<String, long[]> byName) {
    /** The process's threads' run and wait time, or an empty snapshot where /proc is missing. */
    static Snapshot of(long pid) {
      Map<String, long[]> byName = new HashMap<>();
      Path tasks = Path.of("/proc", Long.toString(pid), "task");
      try (Stream<Path> list = Files.list(tasks)) {
        for (Path task : (Iterable<Path>) list::iterator) {
          try {
            String name = Files.readString(task.resolve("comm")).strip().replaceAll("\\d+", "#");
            String[] sched = Files.readString(task.resolve("schedstat")).strip().split(" ");
            // /proc/PID/task/TID/stat: the fields after the name in brackets; minflt and majflt
            // are fields 10 and 12 of the line, 8 and 10 after the bracket.
            String stat = Files.readString(task.resolve("stat"));
            String[] after = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long[] sum = byName.computeIfAbsent(name, k -> new long[3]);
            sum[0] += Long.parseLong(sched[0]);
            sum[1] += Long.parseLong(sched[1]);
            sum[2] += Long.parseLong(after[7]) + Long.parseLong(after[9]);
          } catch (IOException | RuntimeException gone) {
            // The thread ended while being read.
          }
        }
      } catch (IOException e) {
        return new Snapshot(Map.of());
      }
      return new Snapshot(byName);
    }

    /** What ran and waited since {@code before}, per thread name. */
    Map<String, long[]> since(Snapshot before) {
      Map<String, long[]> d = new HashMap<>();
      byName.forEach(
          (name, now) -> {
            long[] then = before.byName.getOrDefault(name, new long[3]);
            d.put(name, new long[] {now[0] - then[0], now[1] - then[1], now[2] - then[2]});
          });
      return d;
    }

    long runNanos() {
      return byName.values().stream().mapToLong(v -> v[0]).sum();
    }
  }

  /**
   * One measured span: the two processes' threads and this JVM's collections at its start, so
   * that {@link #end} can say where its time went.
   */
  static final class Span {
    private final long serverPid;
    private final long began = System.nanoTime();
    private final Snapshot ours = Snapshot.of(ProcessHandle.current().pid());
    private final Snapshot server;
    private final long[] collections = collections();

    /** @param serverPid the server's process, measured beside this one */
    Span(long serverPid) {
      this.serverPid = serverPid;
      this.server = Snapshot.of(serverPid);
    }

    /** {@link #describe} of the span from its start until now, with the collections made in it. */
    String end(String what) {
      long[] after = collections();
      return describe(what, System.nanoTime() - began,
              Snapshot.of(ProcessHandle.current().pid()).since(ours),
              Snapshot.of(serverPid).runNanos() - server.runNanos(), 4)
          + Report.f("; collections: %d, %d ms in all", after[0] - collections[0], after[1] - collections[1]);
    }

    /** How many collections this JVM made so far, and their time in milliseconds. */
    private static long[] collections() {
      long count = 0;
      long millis = 0;
      for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        count += Math.max(0, gc.getCollectionCount());
        millis += Math.max(0, gc.getCollectionTime());
      }
      return new long[] {count, millis};
    }
  }

  private RunQueue() {}

  /**
   * One line: the span's length, the CPU the two processes used of what the cores offered, the
   * threads that ran most, and those that waited longest for a CPU (run queue delay).
   */
  private static String describe(
      String what, long spanNanos, Map<String, long[]> ours, long serverRunNanos, int top) {
    long ourRun = ours.values().stream().mapToLong(v -> v[0]).sum();
    int cores = Runtime.getRuntime().availableProcessors();
    return Report.f(
        "in the %.1f s %s the benchmark's process ran %.1f s of CPU and the server's %.1f s, of %d cores × %.1f s;"
            + " ran most: %s; waited most for a CPU: %s",
        spanNanos / 1e9, what, ourRun / 1e9, serverRunNanos / 1e9, cores, spanNanos / 1e9,
        largest(ours, 0, top), largest(ours, 1, top));
  }

  /** The {@code top} thread names by run time (field 0) or wait (field 1), each with both. */
  private static String largest(Map<String, long[]> threads, int field, int top) {
    List<Map.Entry<String, long[]>> sorted = new ArrayList<>(threads.entrySet());
    sorted.sort(Comparator.comparingLong((Map.Entry<String, long[]> e) -> e.getValue()[field]).reversed());
    List<String> named = new ArrayList<>();
    for (Map.Entry<String, long[]> e : sorted.subList(0, Math.min(top, sorted.size()))) {
      named.add(Report.f("`%s` %.0f ms (waited %.0f ms, %,d page faults)", e.getKey(), e.getValue()[0] / 1e6,
          e.getValue()[1] / 1e6, e.getValue()[2]));
    }
    return String.join(", ", named);
  }
}
