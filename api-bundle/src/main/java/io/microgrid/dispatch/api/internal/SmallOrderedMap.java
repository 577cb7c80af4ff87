package io.microgrid.dispatch.api.internal;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * An immutable map of a few members in the order they were given, kept in two arrays. A JSON
 * object of a payload held in a gateway's schedule has a handful of members; as an unmodifiable
 * {@code LinkedHashMap} each one cost a table, a map, a wrapper, an entry of 40 bytes per member
 * and the views that {@code equals} and {@code depth} left cached on it: about 300 bytes for two
 * members, here about 70. Lookups walk the keys, so larger objects keep a {@code LinkedHashMap}
 * ({@link #copyOf}).
 */
public final class SmallOrderedMap<V> extends AbstractMap<String, V> {
  /** The most members kept in arrays; a lookup compares at most this many keys. */
  static final int MAX = 8;

  private final String[] keys;
  private final Object[] values;

  private SmallOrderedMap(String[] keys, Object[] values) {
    this.keys = keys;
    this.values = values;
  }

  /**
   * Returns an immutable copy of an ordered map, in its order.
   *
   * @param ordered the members, without null keys or values
   * @param <V> the type of the values
   * @return the copy
   */
  public static <V> Map<String, V> copyOf(Map<String, V> ordered) {
    if (ordered.size() > MAX) {
      return Collections.unmodifiableMap(new java.util.LinkedHashMap<>(ordered));
    }
    String[] k = new String[ordered.size()];
    Object[] v = new Object[ordered.size()];
    int i = 0;
    for (Map.Entry<String, V> e : ordered.entrySet()) {
      k[i] = e.getKey();
      v[i++] = e.getValue();
    }
    return new SmallOrderedMap<>(k, v);
  }

  @Override
  public int size() {
    return keys.length;
  }

  @Override
  @SuppressWarnings("unchecked")
  public V get(Object key) {
    for (int i = 0; i < keys.length; i++) {
      if (keys[i].equals(key)) {
        return (V) values[i];
      }
    }
    return null;
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  /** A new view at each call: AbstractMap would keep it in a field, 16 bytes more per object. */
  @Override
  @SuppressWarnings("unchecked")
  public Collection<V> values() {
    return Collections.unmodifiableList(Arrays.asList((V[]) values));
  }

  @Override
  public Set<Map.Entry<String, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return keys.length;
      }

      @Override
      public Iterator<Map.Entry<String, V>> iterator() {
        return new Iterator<>() {
          private int next;

          @Override
          public boolean hasNext() {
            return next < keys.length;
          }

          @Override
          @SuppressWarnings("unchecked")
          public Map.Entry<String, V> next() {
            if (next >= keys.length) {
              throw new NoSuchElementException();
            }
            int i = next++;
            return new AbstractMap.SimpleImmutableEntry<>(keys[i], (V) values[i]);
          }
        };
      }
    };
  }
}
