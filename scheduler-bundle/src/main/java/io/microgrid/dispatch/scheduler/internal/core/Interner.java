package io.microgrid.dispatch.scheduler.internal.core;

import io.microgrid.dispatch.api.Dispatch;
import java.util.Collection;

/**
 * Makes the held dispatches share their equal parts. A client decodes every dispatch from the wire
 * into objects of its own, so 100 000 dispatches of one type, with the same targets, duration,
 * rule and payload held 100 000 copies of each: most of what a held dispatch cost. The schedule
 * keeps one instance of each distinct type, duration, target, payload and recurrence rule, and a
 * dispatch held is rebuilt from those instances.
 *
 * <p>The instances are kept in one open-addressing table of references (a few bytes per distinct
 * value, so a gateway whose payloads all differ pays little for it). Nothing is counted per use:
 * values that no held dispatch uses any more stay in the table until as many dispatches were
 * replaced or removed as are held, when it is rebuilt from the dispatches held then ({@link
 * #shouldRebuild}): a rebuild costs O(held) once per O(held) changes, and what stays unused is at
 * most about what is used. All parts are immutable values whose {@code equals} is the value's, so
 * sharing them changes nothing a listener can see. Not thread-safe: the schedule's is owned by the
 * scheduler thread; a sync reads the server's list through one of its own on the lister thread, so
 * that the whole list, held until the scheduler thread takes it, does not hold a copy of every part
 * of every dispatch.
 */
public final class Interner {
  private static final int MIN_CAPACITY = 64;

  private Object[] table = new Object[MIN_CAPACITY];
  private int size;
  private int dropped;

  /**
   * Returns a dispatch equal to {@code d} whose parts are the shared instances; {@code d} itself
   * when they already are.
   */
  public Dispatch dispatch(Dispatch d) {
    var type = intern(d.type());
    var duration = intern(d.duration());
    var target = intern(d.target());
    var payload = intern(d.payload());
    var recurrence = intern(d.recurrence());
    if (type == d.type()
        && duration == d.duration()
        && target == d.target()
        && payload == d.payload()
        && recurrence == d.recurrence()) {
      return d;
    }
    return new Dispatch(
        d.id(),
        d.microgridId(),
        type,
        d.startTime(),
        duration,
        target,
        d.active(),
        d.dryRun(),
        payload,
        recurrence,
        d.createTime(),
        d.updateTime(),
        d.endTime());
  }

  /** Notes that a held dispatch was replaced or removed: its parts may be used no more. */
  void dropped() {
    dropped++;
  }

  /** Whether {@link #rebuild} should now forget the values that are no longer used. */
  boolean shouldRebuild(int held) {
    return dropped > MIN_CAPACITY && dropped > held;
  }

  /** Forgets every value, then keeps those of the dispatches given (already interned). */
  void rebuild(Collection<Dispatch> held) {
    clear();
    for (Dispatch d : held) {
      dispatch(d);
    }
  }

  /** Forgets every value. */
  void clear() {
    table = new Object[MIN_CAPACITY];
    size = 0;
    dropped = 0;
  }

  @SuppressWarnings("unchecked")
  private <T> T intern(T value) {
    int mask = table.length - 1;
    int i = spread(value.hashCode()) & mask;
    for (Object o; (o = table[i]) != null; i = (i + 1) & mask) {
      if (o.equals(value)) {
        return (T) o;
      }
    }
    table[i] = value;
    if (++size * 2 > table.length) {
      grow();
    }
    return value;
  }

  private void grow() {
    Object[] old = table;
    table = new Object[old.length * 2];
    int mask = table.length - 1;
    for (Object o : old) {
      if (o != null) {
        int i = spread(o.hashCode()) & mask;
        while (table[i] != null) {
          i = (i + 1) & mask;
        }
        table[i] = o;
      }
    }
  }

  private static int spread(int h) {
    return h ^ (h >>> 16) ^ (h >>> 7);
  }
}
