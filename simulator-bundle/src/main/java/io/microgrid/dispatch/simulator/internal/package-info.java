/**
 * The Dispatch API simulator: {@link io.microgrid.dispatch.simulator.internal.DispatchSimulator},
 * a local gRPC server with the real API's rules and a persistent store, and the DS component that
 * runs it from configuration {@code io.microgrid.dispatch.simulator}. Private to the bundle.
 */
package io.microgrid.dispatch.simulator.internal;
