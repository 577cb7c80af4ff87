package io.microgrid.dispatch.scheduler.internal.runner;

import io.microgrid.dispatch.api.RunningStateChange;
import java.util.List;

/**
 * Told when the runner's schedule of a microgrid becomes trustworthy and when the runner leaves
 * that microgrid. Called on the scheduler thread, in step with the notifications around it.
 */
public interface ScheduleReadiness {
  /** Told nothing. */
  ScheduleReadiness NONE =
      new ScheduleReadiness() {
        @Override
        public void loaded(long microgridId, List<RunningStateChange> running) {}

        @Override
        public void left(long microgridId) {}
      };

  /**
   * The schedule of a microgrid is loaded: from its persisted copy, or by the first full list from
   * the server when there was none. Told once per microgrid followed.
   *
   * @param microgridId the microgrid
   * @param running what runs now, as a listener registered now would be told; it includes the runs
   *     resumed from the persisted copy, which are not notified again
   */
  void loaded(long microgridId, List<RunningStateChange> running);

  /**
   * The runner no longer follows a microgrid whose schedule was loaded (its microgrid was changed).
   * Its running dispatches have been notified STOPPED before this.
   *
   * @param microgridId the microgrid left
   */
  void left(long microgridId);
}
