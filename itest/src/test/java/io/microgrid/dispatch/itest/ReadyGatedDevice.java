package io.microgrid.dispatch.itest;

import org.osgi.service.component.annotations.Component;

/**
 * A component that waits for the schedule of microgrid 1 to be loaded before it starts (the
 * Python {@code wait_for_initialization}), gated by the scheduler's ready condition.
 */
@Component(
    service = ReadyGatedDevice.class,
    immediate = true,
    property =
        "osgi.ds.satisfying.condition.target="
            + "(&(osgi.condition.id=io.microgrid.dispatch.ready)(microgrid.id=1))")
public class ReadyGatedDevice {}
