/**
 * The scheduler's core: what runs when and what is missed, free of clocks, threads and delivery.
 * It owns the {@link io.microgrid.dispatch.scheduler.internal.core.Notifications} interface it
 * calls; delivery implements it, so the dependency points from delivery to the core.
 */
package io.microgrid.dispatch.scheduler.internal.core;
