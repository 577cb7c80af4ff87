package io.microgrid.dispatch.support.log;

import java.lang.System.Logger.Level;

/**
 * A logger of the OSGi Log Service as {@link BundleLogger} sees it: free of OSGi types, so that
 * {@link BundleLogger} loads where the Log Service API is missing.
 */
interface LogServiceLogger {
  /**
   * Tells whether an entry at this level would be logged now.
   *
   * @param level a level other than {@link Level#OFF}
   * @return whether the Log Service's configuration lets it through
   */
  boolean isLoggable(Level level);

  /**
   * Logs one entry.
   *
   * @param level a level other than {@link Level#OFF}
   * @param message the message, already formatted
   * @param thrown the exception of the entry, or null
   */
  void log(Level level, String message, Throwable thrown);
}
