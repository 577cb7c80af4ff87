package io.microgrid.dispatch.scheduler.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** The factory configuration {@value #PID}: one scheduler per microgrid. */
@ObjectClassDefinition(
    id = SchedulerConfiguration.PID,
    name = "Dispatch scheduler",
    description = "Keeps one microgrid's dispatches in sync and tells the listeners when they run.")
public @interface SchedulerConfiguration {
  /** The factory configuration PID. */
  String PID = "io.microgrid.dispatch.scheduler";

  /**
   * Returns the microgrid followed.
   *
   * @return its id, > 0
   */
  @AttributeDefinition(name = "Microgrid id", description = "The microgrid whose dispatches to run (> 0).", min = "1")
  long microgrid_id();

  /**
   * Returns the filter that selects the DispatchClient service to use.
   *
   * @return an LDAP filter
   */
  @AttributeDefinition(
      name = "Client filter",
      description = "LDAP filter selecting the DispatchClient service, e.g. (service.pid=...).",
      required = false)
  String client_target() default "(objectClass=io.microgrid.dispatch.api.DispatchClient)";

  /**
   * Returns how long a listener call may take before it counts as timed out.
   *
   * @return milliseconds, > 0
   */
  @AttributeDefinition(name = "Listener timeout (ms)", description = "A listener call longer than this is logged as timed out.", min = "1")
  long listener_timeout_ms() default 5000;

  /**
   * Returns after how many timeouts in a row a listener is denied.
   *
   * @return a count, > 0
   */
  @AttributeDefinition(
      name = "Deny after",
      description = "Timeouts in a row after which a listener is no longer called, until it re-registers.",
      min = "1")
  int listener_deny_after() default 3;
}
