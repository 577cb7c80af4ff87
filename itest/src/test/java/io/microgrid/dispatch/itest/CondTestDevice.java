package io.microgrid.dispatch.itest;

import org.osgi.service.component.annotations.Component;

/**
 * A device component as a user writes it to run only while a dispatch of its type runs: the
 * satisfying condition of DS 1.5 names the scheduler's running condition of microgrid 1 and type
 * COND_TEST. SCR registers its service while the condition holds, and only then.
 */
@Component(
    service = CondTestDevice.class,
    immediate = true,
    property =
        "osgi.ds.satisfying.condition.target="
            + "(&(osgi.condition.id=io.microgrid.dispatch.running)(microgrid.id=1)(dispatch.type=COND_TEST))")
public class CondTestDevice {}
