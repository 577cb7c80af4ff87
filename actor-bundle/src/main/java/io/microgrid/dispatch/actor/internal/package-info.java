/**
 * Dispatch-driven components (semantics §10): a binding (factory configuration {@value
 * io.microgrid.dispatch.actor.internal.BindingConfiguration#PID}) is a whiteboard running-state
 * listener of the scheduler, so merging, catch-up, per-listener order and the scheduler's delivery
 * reports come from the scheduler; what it adds is one factory configuration of the driven
 * component per running dispatch (or merged identity), and the retries of a component that fails
 * to activate. Private to this bundle.
 */
package io.microgrid.dispatch.actor.internal;
