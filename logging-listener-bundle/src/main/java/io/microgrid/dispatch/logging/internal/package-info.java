/**
 * The logging listener: two DS components that print every running-state change and every
 * lifecycle event of every dispatch type as one {@code dispatch-event {json}} line on standard
 * output (contract, "Running it"). Private to the bundle.
 */
package io.microgrid.dispatch.logging.internal;
