package io.microgrid.dispatch.actor.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The factory configuration {@value #PID}: one binding of a dispatch type to the factory PID of
 * a DS component. Read by {@link Binding#parse}, which checks every value; this annotation only
 * describes the properties (metatype) for tools such as the Felix web console.
 */
@ObjectClassDefinition(
    id = BindingConfiguration.PID,
    name = "Dispatch-driven component",
    description =
        "While a dispatch of the type runs, keeps one factory configuration of actor.pid that"
            + " describes it.")
public @interface BindingConfiguration {
  /** The factory configuration PID. */
  String PID = "io.microgrid.dispatch.actor";

  /**
   * Returns the microgrid whose dispatches drive the component. Text, so that a value that is not
   * a number is reported by name rather than silently read as 0.
   *
   * @return a microgrid id, > 0
   */
  @AttributeDefinition(name = "Microgrid id", description = "The microgrid whose dispatches drive the component (> 0).")
  String microgrid_id();

  /**
   * Returns the dispatch type.
   *
   * @return a type, not blank
   */
  @AttributeDefinition(name = "Dispatch type", description = "The dispatch type that drives the component.")
  String dispatch_type();

  /**
   * Returns the factory PID of the driven component.
   *
   * @return a PID, not blank
   */
  @AttributeDefinition(
      name = "Actor PID",
      description = "The factory configuration PID of the DS component to drive.")
  String actor_pid();

  /**
   * Returns how dispatches are merged.
   *
   * @return empty, {@code type} or {@code type+target}
   */
  @AttributeDefinition(
      name = "Merge",
      description = "Empty: one configuration per dispatch; type or type+target: one per merged identity.",
      required = false)
  String dispatch_merge() default "";

  /**
   * Returns how long to wait before retrying a component that failed to activate.
   *
   * @return seconds, > 0
   */
  @AttributeDefinition(
      name = "Retry interval (s)",
      description = "A component that fails to activate is retried this often while its dispatch runs.",
      required = false)
  long retry_interval_seconds() default 60;
}
