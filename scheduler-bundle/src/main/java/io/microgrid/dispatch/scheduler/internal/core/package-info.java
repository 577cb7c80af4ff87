/**
 * The scheduler's core: {@link io.microgrid.dispatch.scheduler.internal.core.DispatchSchedule}
 * (what runs when), its {@code Timeline} of {@code Transition}s, {@link
 * io.microgrid.dispatch.scheduler.internal.core.MissedRuns}, {@code RunEnd}, and the {@link
 * io.microgrid.dispatch.scheduler.internal.core.Notifications} interface through which it reports
 * each change. It has no clock or thread of its own: the runner drives it.
 *
 * <p>May import the API and the bundle's loggers, nothing else of the scheduler: not delivery,
 * persist, the runner or the DS edge. Delivery implements {@code Notifications}, so that
 * dependency points from delivery to the core.
 */
package io.microgrid.dispatch.scheduler.internal.core;
