/**
 * Delivery of running-state changes and lifecycle events to whiteboard listeners: one ordered queue
 * and thread per listener registration, merging by type, a timeout watchdog that denies listeners
 * which hang, and a delivery report for every notification (semantics §7, §8). {@link
 * io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub} implements the core's {@code
 * Notifications}: the fan-out, which hands each notification to the registrations it concerns.
 * {@link io.microgrid.dispatch.scheduler.internal.delivery.ListenerRegistry} tracks the
 * registrations, one object each (its properties, merge state and endpoint), and is the {@link
 * io.microgrid.dispatch.scheduler.internal.delivery.ListenerMemories} that the runner keeps in the
 * persisted schedule.
 *
 * <p>Plain Java, no OSGi: the DS edge turns the listener services into calls on the hub. May import
 * the API, the bundle's loggers and the core; not persist, the runner or the DS edge.
 */
package io.microgrid.dispatch.scheduler.internal.delivery;
