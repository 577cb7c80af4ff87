package io.microgrid.dispatch.example.device;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The charger's configuration: one factory configuration of {@value BatteryCharger#PID} per
 * charge, written by a {@code .cfg} file or, while a dispatch runs, by an actor binding
 * (semantics §10), which adds the payload's top-level scalars as {@code payload.<key>}.
 *
 * <p>DS maps a method name to a property name: {@code _} becomes {@code .}, {@code __} becomes
 * {@code _}, so {@code payload_power__w} reads {@code payload.power_w}.
 */
@ObjectClassDefinition(
    name = "Example battery charger",
    description = "One charge: the power from the dispatch's payload")
@interface ChargerConfig {
  @AttributeDefinition(description = "Charging power in watts (payload key power_w)")
  long payload_power__w() default 0;

  @AttributeDefinition(description = "The dispatch that asked for the charge, 0 when none")
  long dispatch_id() default 0;

  @AttributeDefinition(description = "The dispatch's type")
  String dispatch_type() default "BATTERY_CHARGE";
}
