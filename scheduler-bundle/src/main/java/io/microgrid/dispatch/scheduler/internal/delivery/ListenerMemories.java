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
}
