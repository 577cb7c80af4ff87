package io.microgrid.dispatch.support.log;

import java.util.function.Supplier;

/**
 * The loggers of the dispatch bundles.
 *
 * <p>A class in an OSGi bundle logs through the OSGi Log Service (1.4 {@code LoggerFactory}) as
 * long as one is registered, under the bundle that holds the class: levels then follow the
 * framework's logging configuration (LoggerAdmin and the ConfigAdmin PID {@code
 * org.osgi.service.log.admin} with Felix Log; {@code log:set} with Karaf's pax-logging). Without a
 * Log Service, or outside a framework (the CLI, unit tests), it logs through {@link
 * System#getLogger(String)} as before, so call sites only change their declaration.
 *
 * <p>Every bundle embeds its own private copy of this package; {@code org.osgi.service.log} is an
 * optional import, and a bundle that was resolved without it simply keeps the fallback.
 */
public final class BundleLoggers {
  /**
   * Whether the Log Service API and the framework API are visible to this copy; when a bundle was
   * resolved without {@code org.osgi.service.log}, touching those types would throw
   * NoClassDefFoundError, so nothing that names them is loaded then.
   */
  private static final boolean LOG_SERVICE_API =
      visible("org.osgi.framework.FrameworkUtil")
          && visible("org.osgi.util.tracker.ServiceTracker")
          && visible("org.osgi.service.log.LoggerFactory");

  private BundleLoggers() {}

  /**
   * Returns the logger of a class, named after it.
   *
   * @param type the class that logs
   * @return a logger that writes to the Log Service of the class's bundle when there is one, and to
   *     {@code System.getLogger(type.getName())} otherwise
   */
  public static System.Logger get(Class<?> type) {
    String name = type.getName();
    Supplier<LogServiceLogger> logService = LOG_SERVICE_API ? LogServiceLoggers.of(type) : null;
    return new BundleLogger(name, logService, System.getLogger(name));
  }

  private static boolean visible(String className) {
    try {
      Class.forName(className, false, BundleLoggers.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
