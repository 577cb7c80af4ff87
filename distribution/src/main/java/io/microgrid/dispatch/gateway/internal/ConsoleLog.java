package io.microgrid.dispatch.gateway.internal;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The gateway's console log: every entry of the OSGi Log Service (Felix Log) that its LoggerAdmin
 * lets through, one line each (and the stack trace of its exception), on standard error. Standard
 * output is left to the {@code dispatch-event} lines and the Gogo console.
 *
 * <p>Which entries exist is decided by the log levels (ConfigAdmin PID {@code
 * org.osgi.service.log.admin}, {@code etc/org.osgi.service.log.admin.cfg}); this writer adds one
 * rule of its own: the framework, bundle and service events that Felix Log turns into entries
 * (loggers {@code Events.*}) are printed only from WARN up, since at INFO and DEBUG they are a line
 * per bundle start and per service registration and would bury the gateway's own lines.
 */
final class ConsoleLog implements LogListener {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
          .withZone(ZoneOffset.UTC);

  /** Felix Log names the entries it makes of framework events Events.Framework/Bundle/Service. */
  private static final String FRAMEWORK_EVENTS = "Events.";

  private final PrintStream out;
  private ServiceTracker<LogReaderService, LogReaderService> readers;

  /**
   * Creates a writer.
   *
   * @param out where the lines go (standard error in the gateway)
   */
  ConsoleLog(PrintStream out) {
    this.out = out;
  }

  /**
   * Starts listening to every LogReaderService that is or will be registered.
   *
   * @param context the gateway bundle's context
   */
  void open(BundleContext context) {
    readers =
        new ServiceTracker<>(context, LogReaderService.class, null) {
          @Override
          public LogReaderService addingService(ServiceReference<LogReaderService> reference) {
            LogReaderService reader = super.addingService(reference);
            if (reader != null) {
              reader.addLogListener(ConsoleLog.this);
            }
            return reader;
          }

          @Override
          public void removedService(
              ServiceReference<LogReaderService> reference, LogReaderService reader) {
            reader.removeLogListener(ConsoleLog.this);
            super.removedService(reference, reader);
          }
        };
    readers.open();
  }

  /** Stops listening. */
  void close() {
    if (readers != null) {
      readers.close();
      readers = null;
    }
  }

  @Override
  public void logged(LogEntry entry) {
    String text = format(entry);
    if (text != null) {
      // One write per entry, so that lines of entries logged at once never interleave.
      synchronized (out) {
        out.print(text);
        out.flush();
      }
    }
  }

  /**
   * Formats an entry: {@code <time> <LEVEL> <logger> [<bundle>]: <message>}, then the stack trace
   * of its exception.
   *
   * @param entry the entry
   * @return the text with its line ends, or null when the entry is not printed
   */
  static String format(LogEntry entry) {
    LogLevel level = entry.getLogLevel();
    String logger = entry.getLoggerName();
    if (logger != null && logger.startsWith(FRAMEWORK_EVENTS) && !LogLevel.WARN.implies(level)) {
      return null;
    }
    StringBuilder text = new StringBuilder(160);
    text.append(TIME.format(Instant.ofEpochMilli(entry.getTime())))
        .append(' ')
        .append(String.format(Locale.ROOT, "%-5s", level))
        .append(' ')
        .append(logger);
    Bundle bundle = entry.getBundle();
    if (bundle != null && bundle.getSymbolicName() != null) {
      text.append(" [").append(bundle.getSymbolicName()).append(']');
    }
    text.append(": ").append(entry.getMessage()).append(System.lineSeparator());
    Throwable exception = entry.getException();
    if (exception != null) {
      StringWriter trace = new StringWriter();
      exception.printStackTrace(new PrintWriter(trace));
      text.append(trace);
    }
    return text.toString();
  }
}
