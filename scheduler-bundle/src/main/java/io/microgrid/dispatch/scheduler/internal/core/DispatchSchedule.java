package io.microgrid.dispatch.scheduler.internal.core;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The local copy of a microgrid's dispatches and the rules of semantics §3, §4 and §6: what each
 * change and each passing instant means for the running state, and who is told what, in which
 * order.
 *
 * <p>Single-threaded and free of clocks and threads: every method takes "now" from its caller, so
 * tests drive it with virtual time and the {@link DispatchScheduler} drives it from its one
 * scheduler thread.
 */
public final class DispatchSchedule {
  private static final System.Logger LOG = BundleLoggers.get(DispatchSchedule.class);

  private long microgridId;
  private final Notifications out;
  private final LongMap<Held> held = new LongMap<>();
  private final Timeline timeline = new Timeline();
  // What changed for the persisted copy since takeHeldChanges() last ran: the ids whose HeldState
  // may differ, or everything. Everything until the first call, so that a schedule nobody persists
  // records no ids at all. Replaced, never cleared, once taken: a HashSet keeps the table of the
  // most it ever held (a sync of a million), and iterating and clearing that table at each save
  // held the scheduler thread for milliseconds, every save delay, after such a sync.
  private Set<Long> changedIds = new HashSet<>();
  private boolean allChanged = true;
  private final Interner parts = new Interner();

  /** What is known of one dispatch, and what its listeners were last told. */
  private static final class Held {
    Dispatch dispatch;
    boolean running;
    Optional<Instant> until = Optional.empty();
    List<Instant> missed = List.of();
    /** When RUNNING was last told: an occurrence starting then has been told already. */
    Instant lastRunningAt;

    Held(Dispatch dispatch) {
      this.dispatch = dispatch;
    }
  }

  /**
   * @param microgridId the microgrid whose dispatches this holds
   * @param out where notifications go
   */
  public DispatchSchedule(long microgridId, Notifications out) {
    this.microgridId = microgridId;
    this.out = Objects.requireNonNull(out, "out");
  }

  // ---- changes --------------------------------------------------------------------------------

  /**
   * Applies an event from the stream (semantics §3 and §4).
   *
   * @param event the event
   * @param now the current instant
   * @return whether the local copy changed (false for an ignored event)
   */
  public boolean apply(DispatchEvent event, Instant now) {
    Dispatch d = event.dispatch();
    Held h = held.get(d.id());
    if (event instanceof DispatchEvent.Deleted) {
      if (h == null) {
        LOG.log(Level.DEBUG, "ignoring deletion of unknown dispatch {0} of microgrid {1}", d.id(), microgridId);
        return false;
      }
      remove(h, d, now);
      out.dispatchEvent(event, now);
      return true;
    }
    if (h == null) {
      if (event instanceof DispatchEvent.Updated) {
        // §3: an event for an unknown id is ignored; the next resync adds it if it exists.
        LOG.log(Level.DEBUG, "ignoring update of unknown dispatch {0} of microgrid {1}", d.id(), microgridId);
        return false;
      }
      add(d, now);
      out.dispatchEvent(event, now);
      return true;
    }
    if (!d.updateTime().isAfter(h.dispatch.updateTime())) {
      LOG.log(
          Level.DEBUG,
          "ignoring event for dispatch {0} of microgrid {1}: not newer than what is held",
          d.id(),
          microgridId);
      return false;
    }
    update(h, d, now);
    out.dispatchEvent(new DispatchEvent.Updated(d), now);
    return true;
  }

  /**
   * Compares a full list from the server with the local copy and applies the difference, producing
   * exactly the events and notifications the missed stream events would have (semantics §5).
   *
   * @param listed every dispatch the server holds
   * @param touchedDuringList ids that stream events changed or deleted while the list was being
   *     read: the stream is newer for them, so the list neither deletes nor resurrects them
   * @param now the current instant
   */
  public void sync(Collection<Dispatch> listed, Set<Long> touchedDuringList, Instant now) {
    // §3: what one resync changes happens at one instant, so its stops are told first, then the
    // rest, each in order of id: a device that serves one dispatch at a time and stops on STOPPED
    // then ends up running the new one (a deletion told after a creation would stop it).
    Map<Long, Runnable> stops = new TreeMap<>();
    Map<Long, Runnable> others = new TreeMap<>();
    Set<Long> seen = new HashSet<>();
    for (Dispatch d : listed) {
      seen.add(d.id());
      Held h = held.get(d.id());
      if (h == null) {
        if (!touchedDuringList.contains(d.id())) {
          others.put(d.id(), () -> {
            add(d, now);
            out.dispatchEvent(new DispatchEvent.Created(d), now);
          });
        }
      } else if (d.updateTime().isAfter(h.dispatch.updateTime())) {
        boolean stopping = h.running && d.runningState(d.type(), now) != RunningState.RUNNING;
        (stopping ? stops : others).put(d.id(), () -> {
          update(h, d, now);
          out.dispatchEvent(new DispatchEvent.Updated(d), now);
        });
      }
    }
    for (Held h : held.values()) {
      long id = h.dispatch.id();
      if (!seen.contains(id) && !touchedDuringList.contains(id)) {
        Dispatch gone = h.dispatch;
        (h.running ? stops : others).put(id, () -> {
          remove(h, gone, now);
          out.dispatchEvent(new DispatchEvent.Deleted(gone), now);
        });
      }
    }
    stops.values().forEach(Runnable::run);
    others.values().forEach(Runnable::run);
  }


  /**
   * Returns whether a dispatch is held.
   *
   * @param dispatchId the dispatch
   * @return true when it is
   */
  public boolean holds(long dispatchId) {
    return held.containsKey(dispatchId);
  }

  /**
   * Stops everything and forgets it, as when the schedule moves to another microgrid. Running
   * dispatches are told STOPPED; no lifecycle event is sent (nothing was deleted).
   *
   * @param now the current instant
   */
  public void clear(Instant now) {
    for (Held h : runningSortedById()) {
      notify(h.dispatch, RunningState.STOPPED, now, Optional.empty(), h);
    }
    held.clear();
    timeline.clear();
    allChanged = true;
    changedIds = new HashSet<>();
    parts.clear();
  }

  // ---- persistence -----------------------------------------------------------------------------

  /**
   * What the persisted schedule keeps of one dispatch: enough to resume after a restart without
   * telling a run twice or losing a missed one.
   *
   * @param dispatch the dispatch
   * @param running whether RUNNING is the last state told
   * @param lastRunningAt when RUNNING was last told, if ever
   * @param missed missed runs not delivered yet, oldest first
   */
  public record HeldState(
      Dispatch dispatch, boolean running, Optional<Instant> lastRunningAt, List<Instant> missed) {
    /** Copies the list. */
    public HeldState {
      Objects.requireNonNull(dispatch, "dispatch");
      Objects.requireNonNull(lastRunningAt, "lastRunningAt");
      missed = List.copyOf(missed);
    }
  }

  /**
   * Returns what the persisted schedule keeps.
   *
   * @return one state per dispatch held, in order of id
   */
  public List<HeldState> heldStates() {
    return sortedById().stream().map(DispatchSchedule::state).toList();
  }

  /**
   * What changed for the persisted schedule since the last call: the states of the dispatches
   * added or changed and the ids of those removed, or every state when the schedule was replaced
   * as a whole (the first call, a restore, a change of microgrid).
   *
   * @param replacesAll whether {@code changed} is every state held, to replace what a copy holds
   * @param changed the states added or changed (all of them when {@code replacesAll}), in order of id
   * @param removed the ids no longer held
   */
  public record HeldChanges(boolean replacesAll, List<HeldState> changed, List<Long> removed) {
    /** Copies the lists. */
    public HeldChanges {
      changed = List.copyOf(changed);
      removed = List.copyOf(removed);
    }
  }

  /**
   * Returns what changed for the persisted schedule since the last call, so that a copy of {@link
   * #heldStates()} can be brought up to date at the cost of the changes instead of rebuilt from
   * every dispatch held: with a million held, a rebuild takes the scheduler thread for seconds.
   *
   * @return the changes since the last call
   */
  public HeldChanges takeHeldChanges() {
    if (allChanged) {
      allChanged = false;
      changedIds = new HashSet<>();
      return new HeldChanges(true, heldStates(), List.of());
    }
    List<Long> ids = new ArrayList<>(changedIds);
    changedIds = new HashSet<>();
    ids.sort(Long::compare);
    List<HeldState> changed = new ArrayList<>();
    List<Long> removed = new ArrayList<>();
    for (long id : ids) {
      Held h = held.get(id);
      if (h == null) {
        removed.add(id);
      } else {
        changed.add(state(h));
      }
    }
    return new HeldChanges(false, changed, removed);
  }

  private static HeldState state(Held h) {
    return new HeldState(h.dispatch, h.running, Optional.ofNullable(h.lastRunningAt), h.missed);
  }

  /** Notes that what the persisted schedule keeps of a dispatch may have changed. */
  private void changed(long dispatchId) {
    if (!allChanged) {
      changedIds.add(dispatchId);
    }
  }

  /**
   * Resumes from the persisted schedule, at start and before the server answers: the copy runs at
   * once. What was told before the restart is not told again: a dispatch still in the run that was
   * told RUNNING stays silent; one that ended while the gateway was down is told STOPPED, one that
   * is in a later run is told RUNNING, each with the runs missed meanwhile (semantics §6). Sends no
   * lifecycle event: nothing was created; the sync with the server that follows sends what
   * changed there.
   *
   * @param states what was persisted; replaces what is held
   * @param now the current instant
   */
  public void restore(Collection<HeldState> states, Instant now) {
    held.clear();
    timeline.clear();
    allChanged = true;
    changedIds = new HashSet<>();
    parts.clear();
    List<HeldState> byId = new ArrayList<>(states);
    byId.sort((a, b) -> Long.compare(a.dispatch().id(), b.dispatch().id()));
    for (HeldState s : byId) {
      Dispatch d = parts.dispatch(s.dispatch());
      Held h = new Held(d);
      held.put(d.id(), h);
      h.lastRunningAt = s.lastRunningAt().orElse(null);
      Optional<Instant> until = d.until(now);
      boolean running = until.isPresent() || runsForever(d, now);
      Optional<Instant> current =
          running ? Optional.of(MissedRuns.currentOccurrence(d, until)) : Optional.empty();
      h.missed = MissedRuns.union(s.missed(), MissedRuns.of(d, now, current, h.lastRunningAt));
      // The run told before the restart goes on when it started no later than that RUNNING.
      boolean sameRun =
          s.running() && running && h.lastRunningAt != null && !current.get().isAfter(h.lastRunningAt);
      h.until = running ? until : Optional.empty();
      if (running && !sameRun) {
        notify(d, RunningState.RUNNING, now, until, h);
      } else if (!running && s.running()) {
        // §9: at the instant it really ended while the gateway was down.
        notify(d, RunningState.STOPPED, RunEnd.of(d, h.lastRunningAt, now), Optional.empty(), h);
      }
      h.running = running;
      scheduleNext(h, now, !now.equals(h.lastRunningAt));
    }
  }

  // ---- time -----------------------------------------------------------------------------------

  /**
   * Delivers every transition due at or before {@code now}, in timeline order.
   *
   * @param now the current instant
   */
  public void advance(Instant now) {
    Optional<Transition> due;
    while ((due = timeline.pollDue(now)).isPresent()) {
      Transition t = due.get();
      Held h = held.get(t.dispatchId());
      if (h == null) {
        continue;
      }
      switch (t.kind()) {
        case START -> started(h, t.at());
        case STOP -> {
          changed(t.dispatchId());
          notify(h.dispatch, RunningState.STOPPED, t.at(), Optional.empty(), h);
          h.running = false;
          h.until = Optional.empty();
          scheduleNext(h, t.at(), false);
        }
      }
    }
  }

  /**
   * Returns when the next transition is due.
   *
   * @return the instant, or empty when nothing is pending
   */
  public Optional<Instant> nextDue() {
    return timeline.peek().map(Transition::at);
  }

  // ---- queries --------------------------------------------------------------------------------

  /**
   * Returns the running dispatches as the notifications a listener would have received, for a
   * listener that registers now (semantics §8 catch-up).
   *
   * @param now the current instant
   * @return one RUNNING snapshot per running dispatch, in order of id
   */
  public List<RunningStateChange> running(Instant now) {
    List<RunningStateChange> result = new ArrayList<>();
    for (Held h : runningSortedById()) {
      result.add(new RunningStateChange(h.dispatch, RunningState.RUNNING, now, h.until, List.of()));
    }
    return result;
  }

  /**
   * Returns the dispatches held.
   *
   * @return a copy, in order of id
   */
  public List<Dispatch> dispatches() {
    return sortedById().stream().map(h -> h.dispatch).toList();
  }

  /**
   * Returns the number of pending transitions, for tests and health checks.
   *
   * @return the count
   */
  public int pendingTransitions() {
    return timeline.size();
  }

  /**
   * Serves another microgrid; call {@link #clear(Instant)} first.
   *
   * @param newMicrogridId the microgrid
   */
  public void moveTo(long newMicrogridId) {
    this.microgridId = newMicrogridId;
  }

  /**
   * Returns the microgrid served.
   *
   * @return its id
   */
  public long microgridId() {
    return microgridId;
  }

  // ---- rules ----------------------------------------------------------------------------------

  private void add(Dispatch wire, Instant now) {
    Dispatch d = parts.dispatch(wire);
    changed(d.id());
    Held h = new Held(d);
    held.put(d.id(), h);
    Optional<Instant> until = d.until(now);
    boolean running = until.isPresent() || runsForever(d, now);
    h.missed =
        MissedRuns.of(d, now, running ? Optional.of(MissedRuns.currentOccurrence(d, until)) : Optional.empty(), null);
    if (running) {
      h.until = until;
      notify(d, RunningState.RUNNING, now, until, h);
      h.running = true;
    }
    scheduleNext(h, now, !running);
  }

  private void update(Held h, Dispatch wire, Instant now) {
    Dispatch d = parts.dispatch(wire);
    changed(d.id());
    Dispatch old = h.dispatch;
    h.dispatch = d;
    dropped();
    // §6: occurrences before the last modification are never missed runs.
    h.missed = List.of();
    Optional<Instant> until = d.until(now);
    boolean running = until.isPresent() || runsForever(d, now);
    if (running != h.running) {
      notify(d, running ? RunningState.RUNNING : RunningState.STOPPED, now, until, h);
    } else if (running && materiallyChanged(old, d)) {
      notify(d, RunningState.RUNNING, now, until, h);
    }
    h.running = running;
    h.until = until;
    // An occurrence at now is still to come only if RUNNING has not been told at now already: an
    // update at the instant of a zero-duration occurrence must not tell that occurrence again.
    // The new transition replaces the old one in place; only when there is none is the old removed.
    if (!scheduleNext(h, now, !running && !now.equals(h.lastRunningAt))) {
      timeline.remove(d.id());
    }
  }

  private void remove(Held h, Dispatch snapshot, Instant now) {
    changed(snapshot.id());
    if (h.running) {
      notify(snapshot, RunningState.STOPPED, now, Optional.empty(), h);
    }
    held.remove(snapshot.id());
    timeline.remove(snapshot.id());
    dropped();
  }

  /** Notes that a held dispatch was replaced or removed, and forgets unused parts now and then. */
  private void dropped() {
    parts.dropped();
    if (parts.shouldRebuild(held.size())) {
      parts.rebuild(held.values().stream().map(x -> x.dispatch).toList());
    }
  }

  private void started(Held h, Instant o) {
    Dispatch d = h.dispatch;
    changed(d.id());
    Optional<Duration> duration = d.duration();
    if (duration.isPresent() && duration.get().isZero()) {
      // §3: an occurrence without duration starts and ends at once, in this order.
      notify(d, RunningState.RUNNING, o, Optional.of(o), h);
      notify(d, RunningState.STOPPED, o, Optional.empty(), h);
      h.running = false;
      h.until = Optional.empty();
      scheduleNext(h, o, false);
      return;
    }
    h.until = duration.map(o::plus);
    notify(d, RunningState.RUNNING, o, h.until, h);
    h.running = true;
    scheduleNext(h, o, false);
  }

  /**
   * Schedules the next transition of a dispatch after {@code from}, replacing the one it had.
   *
   * @param inclusive whether an occurrence exactly at {@code from} still counts as next (true when
   *     the dispatch has just become known or changed, false right after a transition at from)
   * @return whether a transition was scheduled (false when the dispatch has none to come, in which
   *     case a transition it had is left in place)
   */
  private boolean scheduleNext(Held h, Instant from, boolean inclusive) {
    Dispatch d = h.dispatch;
    if (!d.active()) {
      return false;
    }
    Instant searchFrom = inclusive ? from : from.plusNanos(1);
    if (d.duration().isEmpty()) {
      // Infinite: one start, then running for ever.
      if (h.running) {
        return false;
      }
      return put(d.nextRunAfter(searchFrom), Transition.Kind.START, d.id());
    }
    Optional<Instant> next = d.nextRunAfter(searchFrom);
    if (h.running) {
      Instant end = h.until.orElseThrow();
      if (next.isPresent() && !next.get().isAfter(end)) {
        // Overlapping or back-to-back: the next start comes first and the dispatch never stops.
        return put(next, Transition.Kind.START, d.id());
      }
      return put(Optional.of(end), Transition.Kind.STOP, d.id());
    }
    return put(next, Transition.Kind.START, d.id());
  }

  private boolean put(Optional<Instant> at, Transition.Kind kind, long dispatchId) {
    at.ifPresent(o -> timeline.put(new Transition(o, kind, dispatchId)));
    return at.isPresent();
  }

  private void notify(
      Dispatch d, RunningState state, Instant at, Optional<Instant> until, Held h) {
    changed(h.dispatch.id());
    List<Instant> missed = h.missed;
    h.missed = List.of();
    if (state == RunningState.RUNNING) {
      h.lastRunningAt = at;
    }
    out.runningStateChanged(new RunningStateChange(d, state, at, until, missed));
  }

  /**
   * Whether an infinite dispatch runs now. A finite one runs exactly when {@link Dispatch#until}
   * is present, which the callers have already evaluated: recurrence is evaluated once per change.
   */
  private static boolean runsForever(Dispatch d, Instant now) {
    return d.duration().isEmpty() && d.runningState(d.type(), now) == RunningState.RUNNING;
  }

  /** §3: what a running consumer must be told about again. */
  private static boolean materiallyChanged(Dispatch a, Dispatch b) {
    return !a.type().equals(b.type())
        || !a.target().equals(b.target())
        || !a.duration().equals(b.duration())
        || a.dryRun() != b.dryRun()
        || !a.payload().equals(b.payload());
  }

  private List<Held> sortedById() {
    return sortedById(held.values());
  }

  // Those running are picked before sorting: sorting a million held to find the few running took
  // the scheduler thread 0.6 s at each listener's registration (benchmarks, Scale).
  private List<Held> runningSortedById() {
    return sortedById(held.values(h -> h.running));
  }

  private static List<Held> sortedById(List<Held> some) {
    some.sort((a, b) -> Long.compare(a.dispatch.id(), b.dispatch.id()));
    return some;
  }
}
