package io.microgrid.dispatch.simulator.internal;

import io.microgrid.dispatch.support.log.BundleLoggers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Runs a {@link DispatchSimulator} while configuration {@value SimulatorOptions#PID} exists: a
 * thin adapter from ConfigAdmin to the plain-Java simulator. The store is kept in the bundle's
 * data area, so it survives a restart of the bundle or the framework.
 *
 * <p>An edit is applied in place: a new key at once, a new address by restarting the server there
 * with the same store. A malformed initial configuration fails the activation, a malformed edit
 * is refused and the simulator keeps running as it was; both with an error log line that names
 * the property and how to fix it.
 */
@Component(configurationPid = SimulatorOptions.PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SimulatorConfiguration.class)
public final class SimulatorComponent {
  private static final Logger LOG = BundleLoggers.get(SimulatorComponent.class);

  /** The store's file name in the bundle's data area. */
  static final String STORE_FILE = "dispatch-store.pb";

  private final Path storeFile;
  private final DispatchSimulator simulator;

  /**
   * Starts the simulator.
   *
   * @param context the bundle's context, for its data area
   * @param properties the configuration
   * @throws IllegalArgumentException when the configuration is malformed
   * @throws UncheckedIOException when the server cannot listen, or the store cannot be read
   */
  @Activate
  public SimulatorComponent(BundleContext context, Map<String, Object> properties) {
    java.io.File data = context.getDataFile(STORE_FILE);
    if (data == null) {
      LOG.log(
          Level.WARNING,
          "Dispatch simulator: the framework has no data area for this bundle; the store is kept"
              + " in memory only and lost when the bundle stops");
    }
    this.storeFile = data == null ? null : data.toPath();
    SimulatorOptions options;
    try {
      options = options(properties);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.ERROR, "{0}; the simulator is not started", e.getMessage());
      throw e;
    }
    try {
      this.simulator = DispatchSimulator.start(options);
    } catch (IOException e) {
      String message = "Dispatch simulator not started: " + e.getMessage();
      LOG.log(Level.ERROR, message);
      throw new UncheckedIOException(message, e);
    }
  }

  /**
   * Applies an edited configuration, keeping the store. A malformed edit is logged and the
   * simulator keeps its last good configuration.
   *
   * @param properties the new configuration
   */
  @Modified
  void modified(Map<String, Object> properties) {
    SimulatorOptions options;
    try {
      options = options(properties);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.ERROR, "{0}; the simulator keeps its previous configuration", e.getMessage());
      return;
    }
    try {
      simulator.reconfigure(options);
    } catch (IOException e) {
      LOG.log(
          Level.ERROR,
          "Dispatch simulator: keeping the previous address: {0}",
          e.getMessage());
    }
  }

  @Deactivate
  void deactivate() {
    simulator.close();
  }

  /** The port the simulator listens on; for tests. */
  int port() {
    return simulator.port();
  }

  private SimulatorOptions options(Map<String, Object> properties) {
    try {
      return SimulatorOptions.fromConfiguration(properties, storeFile);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "configuration " + SimulatorOptions.PID + " is invalid: " + e.getMessage(), e);
    }
  }
}
