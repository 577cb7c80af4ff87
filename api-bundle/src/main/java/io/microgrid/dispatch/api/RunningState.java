package io.microgrid.dispatch.api;

/** Whether a dispatch is running for a given consumer. */
public enum RunningState {
  /** The dispatch runs now: act on it. */
  RUNNING,
  /** The dispatch does not run now: stop acting on it. */
  STOPPED,
  /** The dispatch is of a type this consumer does not handle. */
  DIFFERENT_TYPE
}
