package io.microgrid.dispatch.scheduler.internal.delivery;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.scheduler.internal.core.MissedRuns;
import io.microgrid.dispatch.scheduler.internal.core.RunEnd;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * What one running-state listener has been told is running, and so what it must be told next
 * (semantics §7 and §8). Turns the core's unmerged, per-dispatch transitions into the notifications
 * for this listener: filtered by its properties, merged by its merge mode, and with a STOPPED for
 * every dispatch that stops being its concern while it was told RUNNING.
 *
 * <p>Invariant: a listener is told STOPPED for an identity only after it was told RUNNING for it,
 * and every RUNNING is eventually followed by a STOPPED (when the dispatch stops, changes to a type
 * the listener does not handle, or the listener's properties stop matching it).
 *
 * <p>Not thread-safe: confined to the scheduler thread, so that its view and the core's list of
 * running dispatches (used for catch-up) always agree.
 */
final class MergeState {
  private ListenerProperties properties;

  // Dispatch id -> the last RUNNING this listener was told (or would have been told, had it not
  // been denied) for that dispatch. In merged modes a dispatch is here while it counts towards
  // its identity's run, even when its own RUNNING was absorbed.
  private final Map<Long, RunningStateChange> told = new TreeMap<>();

  // Identity -> the dispatch ids that keep it running. Kept for every mode; without merging
  // each identity holds exactly one id, which keeps one code path for all modes.
  private final Map<Object, Set<Long>> running = new HashMap<>();

  MergeState(ListenerProperties properties) {
    this.properties = properties;
  }

  /**
   * Returns what the listener is told about one transition from the core, in order.
   *
   * @param change the core's transition (RUNNING or STOPPED)
   * @return the notifications, at most two (a STOPPED of the identity the dispatch left, then its
   *     RUNNING), often none
   */
  List<RunningStateChange> apply(RunningStateChange change) {
    List<RunningStateChange> out = new ArrayList<>(2);
    Dispatch dispatch = change.dispatch();
    RunningStateChange previous = told.get(dispatch.id());
    boolean matches = properties.matches(dispatch);
    if (change.state() == RunningState.RUNNING && matches) {
      if (previous != null && !identity(previous).equals(identity(change))) {
        // A new target under type+target merging: it left one merged run and joins another.
        leave(previous, change.at(), null, out);
      }
      told.put(dispatch.id(), change);
      running.computeIfAbsent(identity(change), k -> new LinkedHashSet<>()).add(dispatch.id());
      // Always told: the first of an identity starts it; any later start or reconfiguration
      // while it runs is a RUNNING again (reconfigure), as §3 and §7 require.
      out.add(change);
    } else if (previous != null) {
      // Stopped, or no longer this listener's (its type or microgrid moved away): either way it
      // stopped for this consumer. Only the STOPPED of a matching dispatch is passed as is; one
      // that moved away is reported with the snapshot the listener knows, of a type it handles.
      leave(previous, change.at(), matches ? change : null, out);
    }
    // A STOPPED for a dispatch never told RUNNING is not this listener's concern.
    return out;
  }

  /**
   * Catch-up for a new registration (semantics §8): RUNNING for every matching running dispatch,
   * one per merged identity.
   *
   * @param runningNow the core's snapshots of the dispatches running now
   * @return the notifications, in dispatch id order
   */
  List<RunningStateChange> catchUp(Collection<RunningStateChange> runningNow) {
    return refilter(properties, runningNow, null);
  }

  /**
   * Re-reads the listener's properties and brings it up to date as if it registered afresh, without
   * repeating RUNNING for what it was already told: STOPPED for what it no longer handles (under
   * the old merge mode, since that is what it was told), then RUNNING for what it now handles and
   * was not told, merged by the new mode.
   *
   * <p>Dispatches that it keeps are carried over silently, also when the merge mode changes: the
   * listener already acts on them, so it is only told when the last of a new identity stops.
   *
   * @param newProperties the new properties
   * @param runningNow the core's snapshots of the dispatches running now
   * @param now when the change happened: the instant of the STOPPED notifications
   * @return the notifications, stops first
   */
  List<RunningStateChange> refilter(
      ListenerProperties newProperties, Collection<RunningStateChange> runningNow, Instant now) {
    Map<Long, RunningStateChange> current = new TreeMap<>();
    for (RunningStateChange c : runningNow) {
      if (c.state() == RunningState.RUNNING) {
        current.put(c.dispatch().id(), c);
      }
    }
    List<RunningStateChange> out = new ArrayList<>();
    for (RunningStateChange previous : List.copyOf(told.values())) {
      RunningStateChange c = current.get(previous.dispatch().id());
      if (c == null || !newProperties.matches(c.dispatch())) {
        leave(previous, now == null ? previous.at() : now, null, out);
      }
    }

    properties = newProperties;
    running.clear();
    for (RunningStateChange kept : told.values()) {
      running.computeIfAbsent(identity(kept), k -> new LinkedHashSet<>()).add(kept.dispatch().id());
    }

    // Group the newcomers by identity so that a merged listener hears of each identity once.
    Map<Object, List<RunningStateChange>> joining = new LinkedHashMap<>();
    for (RunningStateChange c : current.values()) {
      if (!told.containsKey(c.dispatch().id()) && newProperties.matches(c.dispatch())) {
        joining.computeIfAbsent(identity(c), k -> new ArrayList<>()).add(c);
      }
    }
    for (Map.Entry<Object, List<RunningStateChange>> e : joining.entrySet()) {
      boolean alreadyRunning = running.containsKey(e.getKey());
      Set<Long> members = running.computeIfAbsent(e.getKey(), k -> new LinkedHashSet<>());
      for (RunningStateChange c : e.getValue()) {
        told.put(c.dispatch().id(), c);
        members.add(c.dispatch().id());
      }
      if (!alreadyRunning) {
        // The run in effect under live merging is that of the latest start (each start
        // reconfigures), so that is the snapshot the merged catch-up carries.
        out.add(
            e.getValue().stream()
                .max(
                    Comparator.comparing(RunningStateChange::at)
                        .thenComparing(c -> c.dispatch().id()))
                .orElseThrow());
      }
    }
    return out;
  }

  /**
   * Resumes a listener that was told {@code known} before the gateway restarted (the persisted
   * schedule's memory of it), instead of a catch-up: a run it knows is not told again; a dispatch
   * that ended meanwhile is told STOPPED, one in a later run or changed meanwhile RUNNING, each with
   * the runs missed since it was told (semantics §6); then RUNNING for what runs now and it was
   * never told, as a catch-up would.
   *
   * @param known the RUNNING snapshots it was told, as persisted
   * @param runningNow the core's snapshots of the dispatches running now
   * @param now the current instant: the instant of every notification but the STOPPED of a run
   *     that ended meanwhile, which carries its end
   * @return the notifications, in dispatch id order, newcomers last
   */
  List<RunningStateChange> resume(
      Collection<RunningStateChange> known, Collection<RunningStateChange> runningNow, Instant now) {
    Map<Long, RunningStateChange> current = new TreeMap<>();
    for (RunningStateChange c : runningNow) {
      if (c.state() == RunningState.RUNNING) {
        current.put(c.dispatch().id(), c);
      }
    }
    for (RunningStateChange k : known) {
      told.put(k.dispatch().id(), k);
      running.computeIfAbsent(identity(k), x -> new LinkedHashSet<>()).add(k.dispatch().id());
    }
    List<RunningStateChange> out = new ArrayList<>();
    for (RunningStateChange k : List.copyOf(told.values())) {
      Dispatch d = k.dispatch();
      RunningStateChange c = current.get(d.id());
      if (c == null) {
        List<Instant> missed = MissedRuns.of(d, now, Optional.empty(), k.at());
        // §9: at the instant it really ended while the gateway was down.
        Instant ended = RunEnd.of(d, k.at(), now);
        out.addAll(apply(new RunningStateChange(d, RunningState.STOPPED, ended, Optional.empty(), missed)));
        continue;
      }
      Instant occurrence = MissedRuns.currentOccurrence(c.dispatch(), c.until());
      // Conservative: any change of the dispatch meanwhile is told, as a reconfiguration.
      boolean sameRun =
          !occurrence.isAfter(k.at()) && c.dispatch().updateTime().equals(d.updateTime());
      if (!sameRun) {
        List<Instant> missed = MissedRuns.of(c.dispatch(), now, Optional.of(occurrence), k.at());
        out.addAll(
            apply(new RunningStateChange(c.dispatch(), RunningState.RUNNING, now, c.until(), missed)));
      }
    }
    out.addAll(refilter(properties, runningNow, now));
    return out;
  }

  /**
   * Returns the RUNNING snapshots this listener was told and that still hold, for the persisted
   * schedule.
   *
   * @return one per dispatch, in order of id
   */
  List<RunningStateChange> told() {
    return List.copyOf(told.values());
  }

  /**
   * Returns the dispatch ids that this listener counts as running, for tests and health checks.
   *
   * @return the ids, ascending
   */
  Set<Long> toldRunning() {
    return Set.copyOf(told.keySet());
  }

  /**
   * Returns whether this listener counts a dispatch as running, so that any transition of it,
   * matching or not, concerns the listener.
   *
   * @param dispatchId the dispatch's id
   * @return true when it was told RUNNING for it and not yet STOPPED
   */
  boolean wasToldRunning(long dispatchId) {
    return told.containsKey(dispatchId);
  }

  private void leave(
      RunningStateChange previous,
      Instant at,
      RunningStateChange stop,
      List<RunningStateChange> out) {
    long id = previous.dispatch().id();
    told.remove(id);
    Object identity = identity(previous);
    Set<Long> members = running.get(identity);
    if (members != null) {
      members.remove(id);
      if (!members.isEmpty()) {
        return; // another dispatch of the identity still runs: nothing stopped for the listener
      }
      running.remove(identity);
    }
    out.add(
        stop != null && stop.state() == RunningState.STOPPED
            ? stop
            : new RunningStateChange(
                previous.dispatch(), RunningState.STOPPED, at, Optional.empty(), List.of()));
  }

  private Object identity(RunningStateChange change) {
    return properties.merge().identityOf(change.dispatch());
  }
}
