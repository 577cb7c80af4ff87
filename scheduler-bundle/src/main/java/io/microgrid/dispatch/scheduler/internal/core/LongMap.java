package io.microgrid.dispatch.scheduler.internal.core;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * A map from dispatch id to what the core keeps of that dispatch, with the ids unboxed: a
 * {@code HashMap<Long, V>} spends a 32-byte node and a 24-byte {@code Long} on every entry, which
 * the schedule and its timeline each paid once per held dispatch; here an entry is a slot of two
 * arrays (open addressing, linear probing, at most two thirds full). Values are never null. Not
 * thread-safe: owned by the scheduler thread.
 */
final class LongMap<V> {
  private long[] keys = new long[16];
  private Object[] values = new Object[16];
  private int size;

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  V get(long key) {
    int mask = values.length - 1;
    for (int i = home(key, mask); values[i] != null; i = (i + 1) & mask) {
      if (keys[i] == key) {
        return (V) values[i];
      }
    }
    return null;
  }

  boolean containsKey(long key) {
    return get(key) != null;
  }

  /** Sets the value of a key and returns the one it replaced, or null. */
  @SuppressWarnings("unchecked")
  V put(long key, V value) {
    if (value == null) {
      throw new NullPointerException("value");
    }
    int mask = values.length - 1;
    int i = home(key, mask);
    for (; values[i] != null; i = (i + 1) & mask) {
      if (keys[i] == key) {
        V old = (V) values[i];
        values[i] = value;
        return old;
      }
    }
    keys[i] = key;
    values[i] = value;
    if (++size * 3 > values.length * 2) {
      resize(values.length * 2);
    }
    return null;
  }

  /** Removes a key and returns its value, or null when it had none. */
  @SuppressWarnings("unchecked")
  V remove(long key) {
    int mask = values.length - 1;
    int i = home(key, mask);
    while (values[i] != null && keys[i] != key) {
      i = (i + 1) & mask;
    }
    if (values[i] == null) {
      return null;
    }
    V old = (V) values[i];
    values[i] = null;
    size--;
    // Backward-shift deletion: move up every later entry of the run whose home slot is not
    // between the hole and itself, so that lookups can stop at the first empty slot.
    for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
      int k = home(keys[j], mask);
      boolean stays = i <= j ? (i < k && k <= j) : (i < k || k <= j);
      if (!stays) {
        keys[i] = keys[j];
        values[i] = values[j];
        values[j] = null;
        i = j;
      }
    }
    return old;
  }

  /** Returns the values, in no particular order. */
  List<V> values() {
    return values(v -> true);
  }

  /** Returns the values that pass {@code filter}, in no particular order. */
  @SuppressWarnings("unchecked")
  List<V> values(Predicate<V> filter) {
    List<V> all = new ArrayList<>();
    for (Object v : values) {
      if (v != null && filter.test((V) v)) {
        all.add((V) v);
      }
    }
    return all;
  }

  void clear() {
    keys = new long[16];
    values = new Object[16];
    size = 0;
  }

  private void resize(int capacity) {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[capacity];
    values = new Object[capacity];
    int mask = capacity - 1;
    for (int j = 0; j < oldValues.length; j++) {
      if (oldValues[j] != null) {
        int i = home(oldKeys[j], mask);
        while (values[i] != null) {
          i = (i + 1) & mask;
        }
        keys[i] = oldKeys[j];
        values[i] = oldValues[j];
      }
    }
  }

  private static int home(long key, int mask) {
    // Fibonacci hashing: ids are often consecutive, which a plain mask would cluster.
    return (int) ((key * 0x9E37_79B9_7F4A_7C15L) >>> 32) & mask;
  }
}
