/**
 * Delivery of running-state changes and lifecycle events to whiteboard listeners: one ordered queue
 * and thread per listener registration, merging by type, a timeout watchdog that denies listeners
 * which hang, and a delivery report for every notification (semantics §7, §8).
 *
 * <p>Plain Java: the DS component that tracks the listener services turns them into calls on {@link
 * io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub}.
 */
package io.microgrid.dispatch.scheduler.internal.delivery;
