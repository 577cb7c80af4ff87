package io.microgrid.dispatch.scheduler.internal.delivery;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.RunningState;
import java.time.Instant;
import java.util.Optional;

/**
 * One notification queued for one listener: what a {@link io.microgrid.dispatch.api.DeliveryReport}
 * needs to describe it, and the call that delivers it. The call is built by the listener's
 * registration, so an endpoint does not need to know which listener interface it serves.
 *
 * @param kind {@code running}, {@code created}, {@code updated} or {@code deleted}
 * @param dispatch the dispatch it is about
 * @param state the running state, for {@code running}
 * @param due when it was due: the latency of its report is measured from here
 * @param call calls the listener
 */
record Delivery(
    String kind, Dispatch dispatch, Optional<RunningState> state, Instant due, Runnable call) {}
