package io.microgrid.dispatch.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Registered as a whiteboard service to be told, exactly once per change, when a dispatch is
 * created, updated or deleted. Selected by the same service properties as {@link
 * RunningStateListener}.
 */
@ConsumerType
public interface DispatchLifecycleListener {
  /**
   * Called once for every change of a dispatch.
   *
   * @param event the change
   */
  void onDispatchEvent(DispatchEvent event);
}
