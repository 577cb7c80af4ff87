package io.microgrid.dispatch.example.device;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;

/**
 * Active exactly while a {@code BATTERY_CHARGE} dispatch runs in any microgrid: SCR satisfies it
 * only while the scheduler's condition {@code io.microgrid.dispatch.running} for that type is
 * registered (semantics §10), with no code against the dispatch API. Add {@code
 * (microgrid.id=1)} to the filter for one microgrid.
 */
@Component(
    property =
        "osgi.ds.satisfying.condition.target="
            + "(&(osgi.condition.id=io.microgrid.dispatch.running)(dispatch.type=BATTERY_CHARGE))")
public class ChargingWhileRunning {
  private final Logger log;

  @Activate
  public ChargingWhileRunning(@Reference(service = LoggerFactory.class) Logger log) {
    this.log = log;
    log.info("a BATTERY_CHARGE dispatch runs: charging window open");
  }

  @Deactivate
  void deactivate() {
    log.info("no BATTERY_CHARGE dispatch runs: charging window closed");
  }
}
