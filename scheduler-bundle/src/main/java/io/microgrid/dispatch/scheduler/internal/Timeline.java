package io.microgrid.dispatch.scheduler.internal;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The future transitions of all dispatches, ordered by instant: at most one pending transition
 * per dispatch, so replacing or removing a dispatch's transition is O(log n) and finding the next
 * one is O(log n), whatever the number of dispatches. Not thread-safe: owned by the scheduler
 * thread.
 */
final class Timeline {
  private final TreeSet<Transition> queue = new TreeSet<>();
  private final Map<Long, Transition> byDispatch = new HashMap<>();

  /** Sets the pending transition of a dispatch, replacing any it had. */
  void put(Transition t) {
    Transition old = byDispatch.put(t.dispatchId(), t);
    if (old != null) {
      queue.remove(old);
    }
    queue.add(t);
  }

  /** Removes the pending transition of a dispatch, if any. */
  void remove(long dispatchId) {
    Transition old = byDispatch.remove(dispatchId);
    if (old != null) {
      queue.remove(old);
    }
  }

  /** Returns the earliest pending transition. */
  Optional<Transition> peek() {
    return queue.isEmpty() ? Optional.empty() : Optional.of(queue.first());
  }

  /** Removes and returns the earliest transition if it is due at {@code now}. */
  Optional<Transition> pollDue(Instant now) {
    if (queue.isEmpty() || queue.first().at().isAfter(now)) {
      return Optional.empty();
    }
    Transition t = queue.pollFirst();
    byDispatch.remove(t.dispatchId());
    return Optional.of(t);
  }

  /** Returns the pending transition of a dispatch. */
  Optional<Transition> of(long dispatchId) {
    return Optional.ofNullable(byDispatch.get(dispatchId));
  }

  /** Returns how many transitions are pending. */
  int size() {
    return queue.size();
  }

  /** Removes everything. */
  void clear() {
    queue.clear();
    byDispatch.clear();
  }
}
