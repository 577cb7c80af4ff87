package io.microgrid.dispatch.scheduler.internal.core;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * The future transitions of all dispatches, ordered by instant: at most one pending transition
 * per dispatch, so replacing or removing a dispatch's transition is O(log n) and finding the next
 * one is O(1), whatever the number of dispatches. Not thread-safe: owned by the scheduler thread.
 *
 * <p>An indexed binary heap rather than a sorted tree: a tree walks all log n levels, through
 * scattered nodes, on every change, which at 100 000 dispatches cost several times what it cost at
 * 1 000 (the nodes no longer fit in the processor's caches). A heap changes a dispatch's
 * transition in place and moves it only as far as its new instant requires, a level or two on
 * average, and compares keys kept in the heap's own slots.
 */
final class Timeline {
  /**
   * A transition in the heap, with its sort key unpacked and its position in the heap. It keeps
   * only the key, not the {@link Transition} it was given nor that transition's {@code Instant}:
   * one slot per held dispatch, so every field here is paid 100 000 times on a large gateway, and
   * the transition is made again when it is read ({@link #peek}, {@link #pollDue}).
   */
  private static final class Slot {
    final long second;
    final int nano;
    final int kind;
    final long dispatchId;
    int index;

    Slot(Transition t) {
      this.second = t.at().getEpochSecond();
      this.nano = t.at().getNano();
      this.kind = t.kind().ordinal();
      this.dispatchId = t.dispatchId();
    }

    Transition transition() {
      return new Transition(Instant.ofEpochSecond(second, nano), KINDS[kind], dispatchId);
    }

    boolean after(Instant now) {
      long s = now.getEpochSecond();
      return second > s || (second == s && nano > now.getNano());
    }

    /** The order of {@link Transition#compareTo}: instant, then kind, then dispatch id. */
    boolean before(Slot o) {
      if (second != o.second) {
        return second < o.second;
      }
      if (nano != o.nano) {
        return nano < o.nano;
      }
      if (kind != o.kind) {
        return kind < o.kind;
      }
      return dispatchId < o.dispatchId;
    }
  }

  private static final Transition.Kind[] KINDS = Transition.Kind.values();

  private Slot[] heap = new Slot[16];
  private int size;
  private final LongMap<Slot> byDispatch = new LongMap<>();

  /** Sets the pending transition of a dispatch, replacing any it had. */
  void put(Transition t) {
    Slot s = new Slot(t);
    Slot old = byDispatch.put(t.dispatchId(), s);
    if (old != null) {
      s.index = old.index;
      heap[s.index] = s;
      restore(s.index);
      return;
    }
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    s.index = size;
    heap[size++] = s;
    siftUp(s.index);
  }

  /** Removes the pending transition of a dispatch, if any. */
  void remove(long dispatchId) {
    Slot old = byDispatch.remove(dispatchId);
    if (old != null) {
      removeAt(old.index);
    }
  }

  /** Returns the earliest pending transition. */
  Optional<Transition> peek() {
    return size == 0 ? Optional.empty() : Optional.of(heap[0].transition());
  }

  /** Removes and returns the earliest transition if it is due at {@code now}. */
  Optional<Transition> pollDue(Instant now) {
    if (size == 0 || heap[0].after(now)) {
      return Optional.empty();
    }
    Slot first = heap[0];
    byDispatch.remove(first.dispatchId);
    removeAt(0);
    return Optional.of(first.transition());
  }

  /** Returns the pending transition of a dispatch. */
  Optional<Transition> of(long dispatchId) {
    Slot s = byDispatch.get(dispatchId);
    return s == null ? Optional.empty() : Optional.of(s.transition());
  }

  /** Returns how many transitions are pending. */
  int size() {
    return size;
  }

  /** Removes everything. */
  void clear() {
    Arrays.fill(heap, 0, size, null);
    size = 0;
    byDispatch.clear();
  }

  private void removeAt(int i) {
    int last = --size;
    Slot moved = heap[last];
    heap[last] = null;
    if (i != last) {
      heap[i] = moved;
      moved.index = i;
      restore(i);
    }
  }

  /** Moves the slot at {@code i}, whose key changed, up or down to where it belongs. */
  private void restore(int i) {
    if (i > 0 && heap[i].before(heap[(i - 1) >>> 1])) {
      siftUp(i);
    } else {
      siftDown(i);
    }
  }

  private void siftUp(int i) {
    Slot s = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Slot p = heap[parent];
      if (!s.before(p)) {
        break;
      }
      heap[i] = p;
      p.index = i;
      i = parent;
    }
    heap[i] = s;
    s.index = i;
  }

  private void siftDown(int i) {
    Slot s = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      Slot c = heap[child];
      int right = child + 1;
      if (right < size && heap[right].before(c)) {
        child = right;
        c = heap[child];
      }
      if (!c.before(s)) {
        break;
      }
      heap[i] = c;
      c.index = i;
      i = child;
    }
    heap[i] = s;
    s.index = i;
  }
}
