/**
 * The scheduler's OSGi R8 conditions (semantics §10): {@link
 * io.microgrid.dispatch.scheduler.internal.conditions.DispatchConditions} decides from the
 * runner's readiness and the core's notifications which conditions hold, and has them registered
 * in that order off the scheduler thread.
 *
 * <p>May import the API, the core ({@code Notifications}) and the runner ({@code
 * ScheduleReadiness}); the service registration itself is handed in by the DS edge, which is the
 * only one to import this package.
 */
package io.microgrid.dispatch.scheduler.internal.conditions;
