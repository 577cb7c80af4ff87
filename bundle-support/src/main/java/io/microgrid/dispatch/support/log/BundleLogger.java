package io.microgrid.dispatch.support.log;

import java.text.MessageFormat;
import java.util.MissingResourceException;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * A {@link System.Logger} that writes to the Log Service while one is available and to a plain
 * {@link System.Logger} otherwise. The choice is made at every call, because the Log Service can
 * come and go, and the bundle be restarted, while the logger (a static field) lives on.
 */
final class BundleLogger implements System.Logger {
  private final String name;
  private final Supplier<LogServiceLogger> logService;
  private final System.Logger fallback;

  /**
   * Creates a logger.
   *
   * @param name the logger's name
   * @param logService the Log Service logger of this name now (null when there is none), or null
   *     outside a framework
   * @param fallback where entries go when there is no Log Service
   */
  BundleLogger(String name, Supplier<LogServiceLogger> logService, System.Logger fallback) {
    this.name = name;
    this.logService = logService;
    this.fallback = fallback;
  }

  @Override
  public String getName() {
    return name;
  }

  @Override
  public boolean isLoggable(Level level) {
    if (level == Level.OFF) {
      return false;
    }
    LogServiceLogger logger = logService();
    return logger == null ? fallback.isLoggable(level) : logger.isLoggable(level);
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
    if (level == Level.OFF) {
      return;
    }
    LogServiceLogger logger = logService();
    if (logger == null) {
      fallback.log(level, bundle, message, thrown);
    } else if (logger.isLoggable(level)) {
      logger.log(level, localized(bundle, message), thrown);
    }
  }

  @Override
  public void log(Level level, ResourceBundle bundle, String format, Object... params) {
    if (level == Level.OFF) {
      return;
    }
    LogServiceLogger logger = logService();
    if (logger == null) {
      fallback.log(level, bundle, format, params);
    } else if (logger.isLoggable(level)) {
      logger.log(level, format(localized(bundle, format), params), null);
    }
  }

  private LogServiceLogger logService() {
    return logService == null ? null : logService.get();
  }

  private static String localized(ResourceBundle bundle, String key) {
    if (bundle == null || key == null) {
      return key;
    }
    try {
      return bundle.getString(key);
    } catch (MissingResourceException e) {
      return key;
    }
  }

  /**
   * Formats like the JDK's default System.Logger (java.util.logging): {@link MessageFormat} with
   * {@code {0}}-style parameters, the pattern as it is when there are no parameters or it is not
   * a valid pattern. So a message reads the same whichever way it is logged.
   */
  static String format(String format, Object[] params) {
    if (format == null || params == null || params.length == 0 || format.indexOf('{') < 0) {
      return format;
    }
    try {
      return MessageFormat.format(format, params);
    } catch (IllegalArgumentException e) {
      return format;
    }
  }
}
