package io.microgrid.dispatch.scheduler.internal.delivery;

import io.microgrid.dispatch.api.RunningStateChange;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The listener memories that no registered listener holds (semantics §9): read back from the
 * persisted schedule, or kept when a listener left as the gateway went down, until a listener with
 * the same key claims one. Bounded, so that the persisted file does not grow with listeners that
 * never come back: a memory unclaimed for {@link #KEEP} is dropped, and so is what a memory says
 * of a dispatch that stopped while the gateway ran (its listener was away: the STOPPED it missed
 * is no longer owed, a returning listener is caught up afresh). Scheduler thread only.
 */
final class DormantMemories {
  /** How long a memory waits for its listener. */
  static final Duration KEEP = Duration.ofDays(7);

  private final Map<String, List<RunningStateChange>> told = new TreeMap<>();
  private final Map<String, Instant> since = new HashMap<>();

  /** Replaces every memory; one without an instant is unclaimed from {@code now}. */
  void replace(Map<String, List<RunningStateChange>> memories, Map<String, Instant> unclaimedSince, Instant now) {
    told.clear();
    since.clear();
    memories.forEach(
        (key, list) -> {
          told.put(key, List.copyOf(list));
          since.put(key, unclaimedSince.getOrDefault(key, now));
        });
  }

  /** Keeps what a departing listener was told, unless a memory of that key is kept already. */
  void keep(String key, List<RunningStateChange> memory, Instant now) {
    if (told.putIfAbsent(key, memory) == null) {
      since.put(key, now);
    }
  }

  /** Hands a memory to the listener that claims it; null when none is kept. */
  List<RunningStateChange> claim(String key) {
    since.remove(key);
    return told.remove(key);
  }

  /** Forgets what the memories say of a dispatch that stopped; drops a memory left empty. */
  void stopped(long dispatchId) {
    for (String key : new ArrayList<>(told.keySet())) {
      List<RunningStateChange> list = told.get(key);
      if (list.stream().anyMatch(c -> c.dispatch().id() == dispatchId)) {
        List<RunningStateChange> rest = list.stream().filter(c -> c.dispatch().id() != dispatchId).toList();
        if (rest.isEmpty()) {
          told.remove(key);
          since.remove(key);
        } else {
          told.put(key, rest);
        }
      }
    }
  }

  /** Drops the memories unclaimed for {@link #KEEP} or longer. */
  void dropStale(Instant now) {
    Instant cutoff = now.minus(KEEP);
    since.entrySet().removeIf(
        e -> {
          boolean stale = !e.getValue().isAfter(cutoff);
          if (stale) {
            told.remove(e.getKey());
          }
          return stale;
        });
  }

  /** The memories, by key. */
  Map<String, List<RunningStateChange>> told() {
    return told;
  }

  /** Since when each memory has gone unclaimed. */
  Map<String, Instant> since() {
    return Map.copyOf(since);
  }

  void clear() {
    told.clear();
    since.clear();
  }
}
