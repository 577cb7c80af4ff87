package io.microgrid.dispatch.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Registered by a device bundle as a whiteboard service to be told when dispatches of its types
 * start, stop or change while running.
 *
 * <p>Register it with the service property {@value #TYPE} (the dispatch types it handles, or
 * {@code *}), and optionally {@value #MICROGRID_ID} and {@value #MERGE}. Each registration is
 * called from its own thread, in order; a slow listener delays only itself.
 */
@ConsumerType
public interface RunningStateListener {
  /** Service property: the dispatch types handled, a String or String[]; {@code *} = all. */
  String TYPE = "dispatch.type";

  /** Service property: the microgrids handled, a Long or Long[]; absent = all. */
  String MICROGRID_ID = "dispatch.microgrid.id";

  /** Service property: {@code type} or {@code type+target} to merge dispatches of one identity. */
  String MERGE = "dispatch.merge";

  /**
   * Called on each transition of a dispatch that this listener handles.
   *
   * @param change what changed, as an immutable snapshot
   */
  void onRunningStateChange(RunningStateChange change);
}
