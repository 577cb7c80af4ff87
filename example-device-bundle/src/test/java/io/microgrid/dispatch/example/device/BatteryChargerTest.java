package io.microgrid.dispatch.example.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.Annotation;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/** The charger's life as SCR drives it: what its log says at start, change and stop. */
class BatteryChargerTest {
  private final List<String> lines = new ArrayList<>();

  /** A Logger that keeps the messages of info(String); SCR would inject the Log Service's. */
  private final Logger log =
      (Logger)
          Proxy.newProxyInstance(
              Logger.class.getClassLoader(),
              new Class<?>[] {Logger.class},
              (proxy, method, args) -> {
                if (method.getName().equals("info") && args.length == 1) {
                  lines.add((String) args[0]);
                }
                return null;
              });

  private static ChargerConfig config(long powerW, long dispatchId) {
    return new ChargerConfig() {
      @Override
      public long payload_power__w() {
        return powerW;
      }

      @Override
      public long dispatch_id() {
        return dispatchId;
      }

      @Override
      public String dispatch_type() {
        return "BATTERY_CHARGE";
      }

      @Override
      public Class<? extends Annotation> annotationType() {
        return ChargerConfig.class;
      }
    };
  }

  @Test
  void logsStartChangeAndStopWithThePowerOfTheConfiguration() {
    BatteryCharger charger = new BatteryCharger(log, config(5000, 7));
    charger.modified(config(2500, 7));
    charger.deactivate();

    assertEquals(
        List.of(
            "charging started: 5000 W for dispatch 7 (BATTERY_CHARGE)",
            "charging changed: 2500 W for dispatch 7 (BATTERY_CHARGE)",
            "charging stopped"),
        lines);
  }
}
