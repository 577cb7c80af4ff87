package io.microgrid.dispatch.reliability;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.RunningState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What semantics §3 says the scheduler tells, worked out from the definitions alone: the test
 * reports each version of each dispatch with the gateway instant it reached the gateway, and the
 * oracle hands out the per-dispatch notifications due up to an instant, in the order §3 fixes
 * (time, then stops before starts, then dispatch id).
 *
 * <p>Brute force, in that nothing of the scheduler's own bookkeeping is reused: whether a version
 * runs at an instant is asked of the definition ({@link Dispatch#runningState}, §2) at every
 * instant where it could change, each occurrence start is a RUNNING, an end is a STOPPED only when
 * the definition says the dispatch no longer runs there (back-to-back occurrences), and a change
 * of version is judged by the table of §3 from the running state of the old and the new version at
 * the change's instant. The occurrences themselves (§1) are the API's, which the property tests of
 * the recurrence engine check against python-dateutil.
 */
final class SemanticsOracle {
  /** The fields whose change while running is a reconfiguration (§3). */
  private static boolean reconfigures(Dispatch a, Dispatch b) {
    return !a.type().equals(b.type())
        || !a.target().equals(b.target())
        || !a.duration().equals(b.duration())
        || a.dryRun() != b.dryRun()
        || !a.payload().equals(b.payload());
  }

  /**
   * One running-state notification for one dispatch, as a listener without merging must see it.
   *
   * @param id the dispatch
   * @param state RUNNING or STOPPED
   * @param at the transition's instant
   * @param until for RUNNING, the end of the run (§2); empty for STOPPED and infinite runs
   * @param updateTime the modification time of the version the notification carries
   * @param type the dispatch's type, for the listeners' filters
   * @param dryRun the dispatch's dry-run flag, for merging
   */
  record Note(
      long id, RunningState state, Instant at, Optional<Instant> until, Instant updateTime, String type, boolean dryRun) {
    @Override
    public String toString() {
      return "#" + id + " " + state + " at " + at + until.map(u -> " until " + u).orElse("") + " (version "
          + updateTime + ")";
    }
  }

  /**
   * A notification due later, from the version that was current when it was worked out. The
   * STOPPED of a zero-length occurrence belongs with its RUNNING, among the starts.
   */
  private record Pending(Note note, long versionSeq, int order, boolean start) {}

  private static final Comparator<Pending> DUE =
      Comparator.comparing((Pending p) -> p.note.at())
          .thenComparingInt(p -> p.start ? 1 : 0)
          .thenComparingLong(p -> p.note.id())
          .thenComparingInt(p -> p.order);

  private final Instant horizon;
  private final Map<Long, Dispatch> current = new HashMap<>();
  private final Map<Long, Long> versionSeq = new HashMap<>();
  private final PriorityQueue<Pending> due = new PriorityQueue<>(DUE);
  private long nextSeq;
  private int order;
  private Instant now = Instant.MIN;
  // Each dispatch's last versions as they reached the gateway, for the message of a failed
  // comparison; bounded so that a year's soak measures the gateway's heap, not the oracle's.
  private static final int HISTORY = 6;
  private final Map<Long, Deque<String>> history = new HashMap<>();
  // A deleted dispatch's versions are kept past the longest registration (a gateway restart ends
  // every one within days), whose comparison may still name them.
  private static final Duration FORGET_DELETED = Duration.ofDays(8);
  private final TreeMap<Instant, List<Long>> deletedAt = new TreeMap<>();

  /** The last versions of a dispatch that reached the gateway, with their instants. */
  List<String> history(long id) {
    return List.copyOf(history.getOrDefault(id, new ArrayDeque<>()));
  }

  private void remember(Instant at, long id, Dispatch version) {
    while (!deletedAt.isEmpty() && deletedAt.firstEntry().getKey().isBefore(at.minus(FORGET_DELETED))) {
      deletedAt.pollFirstEntry().getValue().forEach(history::remove);
    }
    Deque<String> versions = history.computeIfAbsent(id, k -> new ArrayDeque<>());
    if (versions.size() == HISTORY) {
      versions.removeFirst();
    }
    versions.addLast(at + ": " + version);
    if (version == null) {
      deletedAt.computeIfAbsent(at, k -> new ArrayList<>()).add(id);
    }
  }

  /** @param horizon no transition after this instant is worked out (the end of the run) */
  SemanticsOracle(Instant horizon) {
    this.horizon = horizon;
  }

  /** The version current at the gateway, or null when unknown or deleted. */
  Dispatch version(long id) {
    return current.get(id);
  }

  /** The dispatches known now, by id. */
  Map<Long, Dispatch> known() {
    return new TreeMap<>(current);
  }

  static boolean runs(Dispatch d, Instant t) {
    return d != null && d.runningState(d.type(), t) == RunningState.RUNNING;
  }

  /**
   * Hands out, in order, every notification due at or before {@code t}.
   *
   * @param t the gateway instant reached; never before an earlier call's
   * @param out where the notifications go
   */
  void advanceTo(Instant t, Consumer<Note> out) {
    if (t.isBefore(now)) {
      throw new IllegalArgumentException("the oracle only moves on: " + t + " < " + now);
    }
    now = t;
    while (!due.isEmpty() && !due.peek().note.at().isAfter(t)) {
      Pending p = due.poll();
      if (Objects.equals(versionSeq.get(p.note.id()), p.versionSeq)) {
        out.accept(p.note);
      }
    }
  }

  /**
   * A version of a dispatch reached the gateway at {@code at} (the gateway's clock), or the
   * dispatch was deleted ({@code version} null). Hands out what the change itself causes (§3's
   * table), after everything due before it.
   */
  void change(Instant at, long id, Dispatch version, Consumer<Note> out) {
    advanceTo(at, out);
    remember(at, id, version);
    Dispatch old = current.get(id);
    boolean was = runs(old, at);
    boolean is = runs(version, at);
    if (version == null) {
      current.remove(id);
      versionSeq.remove(id);
      if (was) {
        out.accept(stopped(old, at));
      }
      return;
    }
    current.put(id, version);
    long seq = nextSeq++;
    versionSeq.put(id, seq);
    if (is && (!was || reconfigures(old, version))) {
      out.accept(running(version, at));
    } else if (was && !is) {
      out.accept(stopped(version, at));
    }
    schedule(version, at, seq);
  }

  /** The RUNNING of a catch-up or a reconfiguration at {@code at}. */
  static Note running(Dispatch d, Instant at) {
    return new Note(d.id(), RunningState.RUNNING, at, d.until(at), d.updateTime(), d.type(), d.dryRun());
  }

  /** The RUNNING of a zero-length occurrence: it ends where it starts (§2: o + duration). */
  private static Note runningForNoTime(Dispatch d, Instant o) {
    return new Note(d.id(), RunningState.RUNNING, o, Optional.of(o), d.updateTime(), d.type(), d.dryRun());
  }

  static Note stopped(Dispatch d, Instant at) {
    return new Note(d.id(), RunningState.STOPPED, at, Optional.empty(), d.updateTime(), d.type(), d.dryRun());
  }

  /**
   * Where the run that covers {@code t} started: its latest covering occurrence, or the start of
   * an infinite dispatch.
   */
  static Instant currentOccurrence(Dispatch d, Instant t) {
    if (d.duration().isEmpty()) {
      return d.startTime();
    }
    Duration length = d.duration().get();
    List<Instant> starts = d.occurrencesBetween(t.minus(length), t.plusNanos(1), Integer.MAX_VALUE);
    for (int i = starts.size() - 1; i >= 0; i--) {
      if (starts.get(i).plus(length).isAfter(t)) {
        return starts.get(i);
      }
    }
    throw new IllegalStateException("#" + d.id() + " does not run at " + t);
  }

  /**
   * The instant a run told at {@code toldAt} really ended, at or before {@code t} (§9): the last
   * instant in between where the definition stops running it.
   */
  static Instant realEnd(Dispatch d, Instant toldAt, Instant t) {
    Duration length = d.duration().orElseThrow();
    Instant end = null;
    for (Instant o : d.occurrencesBetween(toldAt.minus(length), t.plusNanos(1), Integer.MAX_VALUE)) {
      Instant e = o.plus(length);
      if (!e.isAfter(t) && e.isAfter(toldAt.minusNanos(1)) && !runs(d, e)) {
        end = e;
      }
    }
    if (end == null) {
      throw new IllegalStateException("#" + d.id() + " told at " + toldAt + " never ended before " + t);
    }
    return end;
  }

  /** Works out the transitions of {@code d} after {@code from}, up to the horizon. */
  private void schedule(Dispatch d, Instant from, long seq) {
    if (!d.active()) {
      return;
    }
    if (d.duration().isEmpty()) {
      if (d.startTime().isAfter(from) && !d.startTime().isAfter(horizon)) {
        add(running(d, d.startTime()), seq, true);
      }
      return;
    }
    Duration length = d.duration().get();
    List<Instant> starts = d.occurrencesBetween(from.minus(length), horizon, Integer.MAX_VALUE);
    for (Instant o : starts) {
      if (o.isAfter(from)) {
        if (length.isZero()) {
          add(runningForNoTime(d, o), seq, true);
          add(stopped(d, o), seq, true);
        } else {
          add(running(d, o), seq, true);
        }
      }
      Instant e = o.plus(length);
      if (!length.isZero() && e.isAfter(from) && !e.isAfter(horizon) && !runs(d, e)) {
        add(stopped(d, e), seq, false);
      }
    }
  }

  private void add(Note note, long seq, boolean start) {
    due.add(new Pending(note, seq, order++, start));
  }
}
