package io.microgrid.dispatch.benchmarks;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.scheduler.internal.core.DispatchSchedule;
import io.microgrid.dispatch.scheduler.internal.core.Notifications;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Churn (JMH): what one update and one delete cost the schedule when it holds n dispatches (half
 * one-off, half recurring, all in the future). The update moves a dispatch's start by a second
 * back and forth, with a newer modification time, so it is applied, not ignored; the schedule
 * keeps n dispatches. Deletes are timed in batches of {@value #DELETES} on a freshly filled
 * schedule (single shot), since a delete cannot be repeated on the same dispatch.
 */
public class ChurnBenchmark {
  static final int DELETES = 100;

  /** Where the schedule's notifications go: nowhere, so only the schedule is measured. */
  static final Notifications NOWHERE =
      new Notifications() {
        @Override
        public void runningStateChanged(RunningStateChange change) {}

        @Override
        public void dispatchEvent(DispatchEvent event, Instant due) {}
      };

  /** A schedule of n dispatches, updated one after another. */
  @State(Scope.Thread)
  public static class Updating {
    @Param({"1000", "10000", "100000"})
    public int n;

    DispatchSchedule schedule;
    Dispatch[] held;
    Map<Long, Dispatch> byId;
    Instant now;
    int next;

    @Setup(Level.Trial)
    public void fill() {
      now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      schedule = new DispatchSchedule(Workload.MICROGRID, NOWHERE);
      held = Workload.later(n, now, now.minusSeconds(60), 42).toArray(Dispatch[]::new);
      for (Dispatch d : held) {
        schedule.apply(new DispatchEvent.Created(d), now);
      }
      // Visit the dispatches in a random order, not in the order of their ids.
      List<Dispatch> shuffled = new ArrayList<>(List.of(held));
      Collections.shuffle(shuffled, new Random(7));
      held = shuffled.toArray(Dispatch[]::new);
      byId = new HashMap<>();
      for (Dispatch d : held) {
        byId.put(d.id(), d);
      }
    }
  }

  /** A freshly filled schedule of n dispatches for each batch of deletes. */
  @State(Scope.Thread)
  public static class Deleting {
    @Param({"1000", "10000", "100000"})
    public int n;

    DispatchSchedule schedule;
    Dispatch[] victims;
    Instant now;
    int next;

    @Setup(Level.Iteration)
    public void fill() {
      now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
      schedule = new DispatchSchedule(Workload.MICROGRID, NOWHERE);
      List<Dispatch> all = Workload.later(n, now, now.minusSeconds(60), 42);
      for (Dispatch d : all) {
        schedule.apply(new DispatchEvent.Created(d), now);
      }
      List<Dispatch> shuffled = new ArrayList<>(all);
      Collections.shuffle(shuffled, new Random(7));
      victims = shuffled.subList(0, DELETES).toArray(Dispatch[]::new);
      next = 0;
    }
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public boolean update(Updating s) {
    int i = s.next;
    s.next = (i + 1) % s.held.length;
    Dispatch d = s.held[i];
    long shift = (d.startTime().getEpochSecond() % 2 == 0) ? 1 : -1;
    // As the client hands an update over: a dispatch decoded afresh, not a copy sharing the held
    // one's objects (whose reading would be charged to the schedule).
    Dispatch moved =
        Workload.dispatch(
            d.id(),
            d.startTime().plusSeconds(shift),
            d.duration().orElseThrow(),
            d.recurrence().map(r -> RecurrenceRule.builder(r.frequency()).count(r.count().getAsInt()).build()),
            d.createTime());
    moved = Workload.moved(moved, moved.startTime(), d.updateTime().plusNanos(1));
    s.held[i] = moved;
    return s.schedule.apply(new DispatchEvent.Updated(moved), s.now);
  }

  /**
   * The control: finding a dispatch by id in a plain hash map and reading its start, in the same
   * random order. It is O(1) in n, so whatever it grows from 1 000 to 100 000 is the memory
   * hierarchy (a working set that no longer fits in the processor's caches), not the algorithm.
   */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public long lookup(Updating s) {
    int i = s.next;
    s.next = (i + 1) % s.held.length;
    return s.byId.get(s.held[i].id()).startTime().getEpochSecond();
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.NANOSECONDS)
  public boolean delete(Deleting s) {
    return s.schedule.apply(new DispatchEvent.Deleted(s.victims[s.next++]), s.now);
  }
}
