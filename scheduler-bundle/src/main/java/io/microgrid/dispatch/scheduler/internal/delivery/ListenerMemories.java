package io.microgrid.dispatch.scheduler.internal.delivery;

import io.microgrid.dispatch.api.RunningStateChange;
import java.util.List;
import java.util.Map;

/**
 * What the recognisable running-state listeners were told is running, which the runner keeps in
 * the persisted schedule so that a listener resumes from it after a restart instead of being told
 * again what it knows. Used on the scheduler thread only.
 */
public interface ListenerMemories {
  /** Remembers nothing: for a scheduler without listeners to remember. */
  ListenerMemories NONE =
      new ListenerMemories() {
        @Override
        public Map<String, List<RunningStateChange>> memories() {
          return Map.of();
        }

        @Override
        public void remember(Map<String, List<RunningStateChange>> memories) {}
      };

  /**
   * Returns what each recognisable listener was told is running.
   *
   * @return memory key -> RUNNING snapshots
   */
  Map<String, List<RunningStateChange>> memories();

  /**
   * Replaces the memories not claimed yet with those read back from the persisted schedule; called
   * before the listeners register.
   *
   * @param memories memory key -> the RUNNING snapshots that listener was told
   */
  void remember(Map<String, List<RunningStateChange>> memories);

  /**
   * As {@link #remember(Map)}, with since when each memory has gone unclaimed (semantics §9: a
   * memory unclaimed for {@code 7 days} is dropped); a memory without an instant is unclaimed
   * from now.
   *
   * @param memories memory key -> the RUNNING snapshots that listener was told
   * @param unclaimedSince memory key -> since when no listener has claimed it
   */
  default void remember(
      Map<String, List<RunningStateChange>> memories, Map<String, java.time.Instant> unclaimedSince) {
    remember(memories);
  }

  /**
   * Returns since when each memory not claimed by a registered listener has gone unclaimed, for
   * the persisted schedule.
   *
   * @return memory key -> instant, for the unclaimed memories only
   */
  default Map<String, java.time.Instant> unclaimedSince() {
    return Map.of();
  }
}
