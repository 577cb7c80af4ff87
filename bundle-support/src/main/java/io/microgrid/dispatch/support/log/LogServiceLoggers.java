package io.microgrid.dispatch.support.log;

import java.lang.System.Logger.Level;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.log.Logger;
import org.osgi.service.log.LogService;
import org.osgi.service.log.LoggerFactory;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The OSGi half of the loggers: the only class that names OSGi types, loaded only where they are
 * visible ({@link BundleLoggers}).
 */
final class LogServiceLoggers {
  /** Per bundle; in practice one, since every bundle has its own copy of this class. */
  private static final ConcurrentMap<Bundle, BundleLogService> BUNDLES = new ConcurrentHashMap<>();

  private LogServiceLoggers() {}

  /**
   * Returns where the logger of a class finds its Log Service logger.
   *
   * @param type the class that logs
   * @return a supplier of the Log Service logger named after the class, or null when the class is
   *     not loaded by a bundle
   */
  static Supplier<LogServiceLogger> of(Class<?> type) {
    Bundle bundle = FrameworkUtil.getBundle(type);
    if (bundle == null) {
      return null;
    }
    return new NamedLogger(BUNDLES.computeIfAbsent(bundle, BundleLogService::new), type.getName());
  }

  /**
   * The LoggerFactory as the bundle sees it now. The tracker belongs to one BundleContext: when
   * the bundle is stopped that context is dead, and after a restart there is a new one, so the
   * tracker is replaced whenever the bundle's current context is not the one it was opened with.
   */
  static final class BundleLogService {
    /**
     * Felix Log registers the Log Service as a LoggerFactory; pax-logging (Karaf) registers it only
     * as a LogService, which extends LoggerFactory since Log 1.4: either serves.
     */
    private static final String LOG_SERVICES =
        "(|(objectClass=" + LoggerFactory.class.getName() + ")(objectClass="
            + LogService.class.getName() + "))";

    private final Bundle bundle;
    private final AtomicReference<Tracked> tracked = new AtomicReference<>();

    private record Tracked(
        BundleContext context, ServiceTracker<LoggerFactory, LoggerFactory> tracker) {}

    BundleLogService(Bundle bundle) {
      this.bundle = bundle;
    }

    Bundle bundle() {
      return bundle;
    }

    /**
     * Returns the Log Service's LoggerFactory.
     *
     * @return the factory, or null when the bundle is not active or no Log Service is registered
     */
    LoggerFactory loggerFactory() {
      BundleContext now = bundle.getBundleContext();
      Tracked current = tracked.get();
      while (current == null ? now != null : current.context() != now) {
        Tracked fresh = now == null ? null : open(now);
        if (now != null && fresh == null) {
          // The context died under us: the bundle is stopping, so there is nothing to log to.
          return null;
        }
        if (tracked.compareAndSet(current, fresh)) {
          close(current);
          current = fresh;
        } else {
          // Another thread replaced it meanwhile; use that one.
          close(fresh);
          current = tracked.get();
        }
      }
      return current == null ? null : current.tracker().getService();
    }

    private static Tracked open(BundleContext context) {
      try {
        ServiceTracker<LoggerFactory, LoggerFactory> tracker =
            new ServiceTracker<>(context, context.createFilter(LOG_SERVICES), null);
        tracker.open();
        return new Tracked(context, tracker);
      } catch (InvalidSyntaxException e) {
        throw new IllegalArgumentException(LOG_SERVICES, e);
      } catch (IllegalStateException e) {
        // The context died between getBundleContext() and open(): the bundle is stopping.
        return null;
      }
    }

    private static void close(Tracked tracked) {
      if (tracked == null) {
        return;
      }
      try {
        tracked.tracker().close();
      } catch (IllegalStateException e) {
        // Its context is already invalid: the framework dropped the tracker's listener with it.
      }
    }
  }

  /**
   * The Log Service logger of one name, kept as long as the LoggerFactory it came from is the
   * current one.
   */
  private static final class NamedLogger implements Supplier<LogServiceLogger> {
    private final BundleLogService logService;
    private final String name;
    private final AtomicReference<FromFactory> cached = new AtomicReference<>();

    private record FromFactory(LoggerFactory factory, LogServiceLogger logger) {}

    NamedLogger(BundleLogService logService, String name) {
      this.logService = logService;
      this.name = name;
    }

    @Override
    public LogServiceLogger get() {
      LoggerFactory factory = logService.loggerFactory();
      if (factory == null) {
        return null;
      }
      FromFactory last = cached.get();
      if (last != null && last.factory() == factory) {
        return last.logger();
      }
      LogServiceLogger logger =
          new OsgiLogger(factory.getLogger(logService.bundle(), name, Logger.class));
      cached.set(new FromFactory(factory, logger));
      return logger;
    }
  }

  /** Maps the System.Logger levels onto the Log Service's. */
  static final class OsgiLogger implements LogServiceLogger {
    private final Logger logger;

    OsgiLogger(Logger logger) {
      this.logger = logger;
    }

    @Override
    public boolean isLoggable(Level level) {
      return switch (level) {
        case ALL, TRACE -> logger.isTraceEnabled();
        case DEBUG -> logger.isDebugEnabled();
        case INFO -> logger.isInfoEnabled();
        case WARNING -> logger.isWarnEnabled();
        case ERROR -> logger.isErrorEnabled();
        case OFF -> false;
      };
    }

    @Override
    public void log(Level level, String message, Throwable thrown) {
      // The message is already formatted: it goes in as the argument of "{}", so that braces in
      // it (a JSON payload, a {0} without parameters) are never read as the Log Service's own
      // placeholders. A Throwable as the last argument becomes the entry's exception.
      Object[] arguments = thrown == null ? new Object[] {message} : new Object[] {message, thrown};
      switch (level) {
        case ALL, TRACE -> logger.trace("{}", arguments);
        case DEBUG -> logger.debug("{}", arguments);
        case INFO -> logger.info("{}", arguments);
        case WARNING -> logger.warn("{}", arguments);
        case ERROR -> logger.error("{}", arguments);
        case OFF -> {
          // never logged
        }
      }
    }
  }
}
