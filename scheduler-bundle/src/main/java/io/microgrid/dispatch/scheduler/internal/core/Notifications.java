package io.microgrid.dispatch.scheduler.internal.core;

import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RunningStateChange;

/** Where the scheduler's notifications go. Called on the scheduler thread only. */
public interface Notifications {
  /** A dispatch's running state changed (unmerged, one per dispatch transition). */
  void runningStateChanged(RunningStateChange change);

  /**
   * A lifecycle event; always called after the running-state change that the same change caused.
   *
   * @param event the event
   * @param due when it arrived
   */
  void dispatchEvent(DispatchEvent event, java.time.Instant due);
}
