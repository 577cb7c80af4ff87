package io.microgrid.dispatch.reliability;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.reliability.SemanticsOracle.Note;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One registration of a running-state listener, from its registration to its removal: what it
 * received, and what semantics §3, §7, §8 and §9 say it is owed, worked out from the oracle's
 * per-dispatch notifications.
 *
 * <p>What it is owed: at registration, a catch-up (RUNNING for each matching dispatch running
 * then, §8), or after a gateway restart the resumption from its memory (§9: STOPPED at the instant
 * a run really ended, RUNNING where a new run or version runs, nothing for the run it knows); then
 * every matching RUNNING, and the STOPPED of every dispatch it was told RUNNING. A listener that
 * merges by type (§7) is owed the same runs per identity: on when the first dispatch of an
 * identity starts, off exactly when the last one stops.
 */
final class ListenerSession implements RunningStateListener {
  /** A merged identity (§7, merge by type): type and dry-run flag. */
  record Identity(String type, boolean dryRun) {}

  /** A merged identity's run starting or ending. */
  record Edge(Identity identity, boolean on, Instant at) {}

  /** What a comparison found. */
  record Verdict(int compared, int lost, int unexpected, int outOfOrder, List<String> examples) {}

  final String typeFilter;
  final boolean merged;
  final Instant start;
  private final List<Note> owed = new ArrayList<>();
  // The dispatches it was told RUNNING and not STOPPED since: its memory (§9) and its concern (§8).
  private final Map<Long, Note> told = new TreeMap<>();
  private final List<RunningStateChange> received = new ArrayList<>();
  // When each arrived, by the gateway's clock: shown with a notification out of order.
  private final List<Instant> receivedAt = new ArrayList<>();
  private final java.time.Clock clock;
  // What it knew at registration, for the merged view: its runs that were on already.
  private final Map<Long, Note> initialTold;

  /**
   * @param clock the gateway's clock, read now for the instant of the registration
   * @param known the dispatches the gateway holds then, by id
   * @param memory what it was told before the gateway stopped (§9), or null for a fresh start
   */
  ListenerSession(
      String typeFilter,
      boolean merged,
      java.time.Clock clock,
      Map<Long, Dispatch> known,
      Map<Long, Note> memory) {
    this.clock = clock;
    Instant start = clock.instant();
    this.typeFilter = typeFilter;
    this.merged = merged;
    this.start = start;
    this.initialTold = memory == null ? Map.of() : new TreeMap<>(memory);
    if (memory != null) {
      for (Note k : memory.values()) {
        told.put(k.id(), k);
      }
      for (Note k : memory.values()) {
        Dispatch d = Objects.requireNonNull(known.get(k.id()), "nothing is deleted while the gateway is down");
        if (!SemanticsOracle.runs(d, start)) {
          told.remove(k.id());
          owed.add(SemanticsOracle.stopped(d, SemanticsOracle.realEnd(d, k.at(), start)));
        } else {
          // The same run when no occurrence started since it was told. The driver changes
          // nothing while the gateway is down, and a change while it ran was told then if §3 says
          // so (an update that changes nothing a device acts on is told neither then nor now).
          boolean sameRun = !SemanticsOracle.currentOccurrence(d, start).isAfter(k.at());
          if (!sameRun) {
            Note n = SemanticsOracle.running(d, start);
            told.put(n.id(), n);
            owed.add(n);
          }
        }
      }
    }
    for (Dispatch d : known.values()) {
      if (matches(d.type()) && SemanticsOracle.runs(d, start) && !told.containsKey(d.id())) {
        Note n = SemanticsOracle.running(d, start);
        told.put(n.id(), n);
        owed.add(n);
      }
    }
  }

  private boolean matches(String type) {
    return typeFilter.equals("*") || typeFilter.equals(type);
  }

  /** A per-dispatch notification of the oracle, due while this registration lives. */
  void owe(Note n) {
    if (!matches(n.type())) {
      return;
    }
    if (n.state() == RunningState.RUNNING) {
      told.put(n.id(), n);
      owed.add(n);
    } else if (told.remove(n.id()) != null) {
      owed.add(n);
    }
  }

  /** What it was told is running: its memory when the gateway stops now. */
  Map<Long, Note> memory() {
    return new TreeMap<>(told);
  }

  @Override
  public synchronized void onRunningStateChange(RunningStateChange change) {
    received.add(change);
    receivedAt.add(clock.instant());
  }

  /** Whether everything owed so far has arrived (for a merged listener: every run's edge). */
  boolean caughtUp() {
    return merged ? edges(receivedNotes(), true).size() >= edges(owed, false).size() : receivedNotes().size() >= owed.size();
  }

  private synchronized Instant receivedAt(int i) {
    return receivedAt.get(i);
  }

  private synchronized List<Note> receivedNotes() {
    List<Note> out = new ArrayList<>();
    for (RunningStateChange c : received) {
      Dispatch d = c.dispatch();
      out.add(new Note(d.id(), c.state(), c.at(), c.until(), d.updateTime(), d.type(), d.dryRun()));
    }
    return out;
  }

  /** Compares what it received with what it is owed. */
  Verdict compare() {
    List<Note> got = receivedNotes();
    return merged ? compareRuns(got) : compareNotes(got);
  }

  private Verdict compareNotes(List<Note> got) {
    Map<Long, List<Note>> want = byId(owed);
    Map<Long, List<Note>> have = byId(got);
    int lost = 0;
    int unexpected = 0;
    int outOfOrder = 0;
    List<String> examples = new ArrayList<>();
    for (Long id : union(want, have)) {
      List<Note> w = want.getOrDefault(id, List.of());
      List<Note> h = have.getOrDefault(id, List.of());
      if (w.equals(h)) {
        continue;
      }
      List<Note> missing = new ArrayList<>(w);
      List<Note> extra = new ArrayList<>();
      for (Note n : h) {
        if (!missing.remove(n)) {
          extra.add(n);
        }
      }
      lost += missing.size();
      unexpected += extra.size();
      if (missing.isEmpty() && extra.isEmpty()) {
        outOfOrder++;
      }
      if (examples.size() < 5) {
        examples.add("#" + id + " owed " + w + " but got " + h);
      }
    }
    // In the order received, apart from the resumption's STOPPEDs (§9 dates them in the past),
    // instants never go back, and at one instant (transitions due together, or the changes of one
    // resync) no dispatch's stop follows another's start (§3).
    Note previous = null;
    for (int i = 0; i < got.size(); i++) {
      Note n = got.get(i);
      if (n.at().isBefore(start)) {
        continue;
      }
      if (previous != null
          && (n.at().isBefore(previous.at())
              || (n.at().equals(previous.at()) && n.id() != previous.id()
                  && n.state() == RunningState.STOPPED && previous.state() == RunningState.RUNNING))) {
        outOfOrder++;
        if (examples.size() < 5) {
          List<String> around = new ArrayList<>();
          for (int j = Math.max(0, i - 4); j < Math.min(got.size(), i + 4); j++) {
            around.add(got.get(j) + " told at " + receivedAt(j));
          }
          examples.add("out of order: " + previous + " then " + n + "; around it: " + around);
        }
      }
      previous = n;
    }
    return new Verdict(owed.size(), lost, unexpected, outOfOrder, examples);
  }

  /**
   * The merged view: each identity's runs, on at its first start and off at its last stop. A
   * RUNNING while on is a reconfiguration, owed as any RUNNING of a member is; a STOPPED while off
   * is unexpected.
   */
  private Verdict compareRuns(List<Note> got) {
    List<Edge> want = edges(owed, false);
    List<Edge> have = edges(got, true);
    int unexpected = have.stream().filter(e -> e.identity() == null).mapToInt(e -> 1).sum();
    have.removeIf(e -> e.identity() == null);
    List<Edge> missing = new ArrayList<>(want);
    int extra = unexpected;
    List<String> examples = new ArrayList<>();
    for (Edge e : have) {
      if (!missing.remove(e)) {
        extra++;
        if (examples.size() < 5) {
          examples.add("unexpected " + e);
        }
      }
    }
    missing.stream().limit(5 - Math.min(5, examples.size())).forEach(e -> examples.add("lost " + e));
    int outOfOrder = missing.isEmpty() && extra == 0 && !want.equals(have) ? 1 : 0;
    return new Verdict(want.size(), missing.size(), extra, outOfOrder, examples);
  }

  /**
   * The edges of each identity's runs, from the runs it knew at registration on, in a list of
   * per-dispatch notes (what it is owed) or of merged notifications (what it received; a STOPPED
   * while off comes out as an edge without identity).
   */
  private List<Edge> edges(List<Note> notes, boolean mergedInput) {
    Map<Identity, java.util.Set<Long>> members = new HashMap<>();
    Map<Identity, Boolean> on = new HashMap<>();
    for (Note n : initialTold.values()) {
      members.computeIfAbsent(identity(n), k -> new java.util.HashSet<>()).add(n.id());
      on.put(identity(n), true);
    }
    List<Edge> out = new ArrayList<>();
    for (Note n : notes) {
      Identity id = identity(n);
      boolean isOn = on.getOrDefault(id, false);
      if (mergedInput) {
        if (n.state() == RunningState.RUNNING && !isOn) {
          on.put(id, true);
          out.add(new Edge(id, true, n.at()));
        } else if (n.state() == RunningState.STOPPED) {
          if (isOn) {
            on.put(id, false);
            out.add(new Edge(id, false, n.at()));
          } else {
            out.add(new Edge(null, false, n.at()));
          }
        }
        continue;
      }
      java.util.Set<Long> m = members.computeIfAbsent(id, k -> new java.util.HashSet<>());
      if (n.state() == RunningState.RUNNING) {
        m.add(n.id());
        if (!isOn) {
          on.put(id, true);
          out.add(new Edge(id, true, n.at()));
        }
      } else if (m.remove(n.id()) && m.isEmpty() && isOn) {
        on.put(id, false);
        out.add(new Edge(id, false, n.at()));
      }
    }
    return out;
  }

  private static Identity identity(Note n) {
    return new Identity(n.type(), n.dryRun());
  }

  private static Map<Long, List<Note>> byId(List<Note> notes) {
    Map<Long, List<Note>> m = new TreeMap<>();
    notes.forEach(n -> m.computeIfAbsent(n.id(), k -> new ArrayList<>()).add(n));
    return m;
  }

  private static java.util.Set<Long> union(Map<Long, ?> a, Map<Long, ?> b) {
    java.util.Set<Long> s = new java.util.TreeSet<>(a.keySet());
    s.addAll(b.keySet());
    return s;
  }
}
