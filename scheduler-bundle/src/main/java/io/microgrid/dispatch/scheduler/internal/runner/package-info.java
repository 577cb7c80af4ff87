/**
 * The runner: {@link io.microgrid.dispatch.scheduler.internal.runner.DispatchScheduler} owns the
 * scheduler thread, the sync with the Dispatch API and the client subscription. It drives the
 * core's schedule on time, hands delivery what runs when a listener registers, and takes the
 * snapshots that persist writes.
 *
 * <p>May import the API, the core, delivery and persist; not the DS edge. Nothing in the core,
 * delivery or persist imports it.
 */
package io.microgrid.dispatch.scheduler.internal.runner;
