package io.microgrid.dispatch.scheduler.internal;

import java.util.List;

/**
 * The state of one running scheduler, registered as a service (private to this bundle) so that
 * the health check can find every scheduler without depending on how they are configured.
 */
public interface SchedulerStatus {

  /**
   * What an operator wants to know about one scheduler.
   *
   * @param microgridId the microgrid it follows
   * @param connected whether the stream from the server is open
   * @param completedSyncs how often the local copy was brought in step with a full list
   * @param deniedListeners service ids of listeners no longer called after timeouts
   */
  record Health(long microgridId, boolean connected, int completedSyncs, List<Long> deniedListeners) {
    /** Copies the list. */
    public Health {
      deniedListeners = List.copyOf(deniedListeners);
    }
  }

  /**
   * Returns the scheduler's state now.
   *
   * @return the state
   */
  Health health();
}
