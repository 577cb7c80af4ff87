/**
 * The scheduler's DS edge: {@link io.microgrid.dispatch.scheduler.internal.SchedulerComponent}
 * (configuration, the client reference), {@link
 * io.microgrid.dispatch.scheduler.internal.WhiteboardTrackers} and {@link
 * io.microgrid.dispatch.scheduler.internal.ListenerRegistrations} (the tracked listener services),
 * {@link io.microgrid.dispatch.scheduler.internal.SchedulerConfiguration} and {@link
 * io.microgrid.dispatch.scheduler.internal.SchedulerStatus}. It wires the layers below and turns
 * OSGi into plain calls on them.
 *
 * <p>May import every layer (runner, core, delivery, persist) and {@code conditions}, which it
 * hands the registration of the condition services; none of them imports it. The optional {@code
 * events} and {@code health} components sit beside it.
 */
package io.microgrid.dispatch.scheduler.internal;
