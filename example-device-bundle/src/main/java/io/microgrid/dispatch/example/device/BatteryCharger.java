package io.microgrid.dispatch.example.device;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LoggerFactory;
import org.osgi.service.metatype.annotations.Designate;

/**
 * A battery charger driven by configuration: one instance per factory configuration of {@value
 * #PID}. It starts charging when the configuration appears (activate), changes its power when the
 * configuration changes (modified, no restart) and stops when it is deleted (deactivate). A real
 * device bundle would talk to its inverter where this one logs.
 */
@Component(configurationPid = BatteryCharger.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ChargerConfig.class, factory = true)
public class BatteryCharger {
  /** The factory PID: {@code etc/io.microgrid.dispatch.example.charger-NAME.cfg}. */
  public static final String PID = "io.microgrid.dispatch.example.charger";

  private final Logger log;

  @Activate
  public BatteryCharger(@Reference(service = LoggerFactory.class) Logger log, ChargerConfig config) {
    this.log = log;
    log.info("charging started: " + describe(config));
  }

  @Modified
  void modified(ChargerConfig config) {
    log.info("charging changed: " + describe(config));
  }

  @Deactivate
  void deactivate() {
    log.info("charging stopped");
  }

  private static String describe(ChargerConfig config) {
    return config.payload_power__w() + " W for dispatch " + config.dispatch_id()
        + " (" + config.dispatch_type() + ")";
  }
}
