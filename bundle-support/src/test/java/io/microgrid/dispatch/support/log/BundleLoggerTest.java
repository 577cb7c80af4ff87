package io.microgrid.dispatch.support.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

class BundleLoggerTest {
  /** An entry as the Log Service received it. */
  record Entry(Level level, String message, Throwable thrown) {}

  /** A Log Service logger whose configuration lets the given levels through. */
  static final class RecordingLogService implements LogServiceLogger {
    final List<Entry> entries = new ArrayList<>();
    Set<Level> enabled = EnumSet.of(Level.INFO, Level.WARNING, Level.ERROR);

    @Override
    public boolean isLoggable(Level level) {
      return enabled.contains(level);
    }

    @Override
    public void log(Level level, String message, Throwable thrown) {
      entries.add(new Entry(level, message, thrown));
    }
  }

  /** The plain System.Logger, recording what reaches it. */
  static final class RecordingFallback implements System.Logger {
    final List<String> calls = new ArrayList<>();

    @Override
    public String getName() {
      return "fallback";
    }

    @Override
    public boolean isLoggable(Level level) {
      return level.getSeverity() >= Level.INFO.getSeverity();
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
      calls.add(level + " " + msg + " thrown=" + thrown);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
      calls.add(level + " " + format + " params=" + Arrays.toString(params));
    }
  }

  private final RecordingLogService logService = new RecordingLogService();
  private final RecordingFallback fallback = new RecordingFallback();
  private LogServiceLogger current = logService;
  private final Supplier<LogServiceLogger> currentLogService = () -> current;
  private final BundleLogger logger = new BundleLogger("a.b.C", currentLogService, fallback);

  @Test
  void formatsNumberedParametersAndPassesTheExceptionToTheLogService() {
    IllegalStateException failure = new IllegalStateException("stream broke");

    logger.log(Level.INFO, "dispatch {0} of microgrid {1} started", "d-7", "m-1");
    logger.log(Level.WARNING, "reconnecting", failure);

    assertEquals(
        List.of(
            new Entry(Level.INFO, "dispatch d-7 of microgrid m-1 started", null),
            new Entry(Level.WARNING, "reconnecting", failure)),
        logService.entries);
    assertTrue(fallback.calls.isEmpty(), "nothing goes to System.Logger while a Log Service is there");
  }

  @Test
  void aMessageWithoutParametersKeepsItsBracesAndQuotes() {
    logger.log(Level.INFO, "payload {\"mode\": 'on'}");
    logger.log(Level.INFO, "broken pattern {x", "unused");

    assertEquals("payload {\"mode\": 'on'}", logService.entries.get(0).message());
    assertEquals("broken pattern {x", logService.entries.get(1).message());
  }

  @Test
  void theLogServiceDecidesWhichLevelsAreLogged() {
    logger.log(Level.DEBUG, "evaluated {0}", "d-7");
    assertFalse(logger.isLoggable(Level.DEBUG));
    assertTrue(logService.entries.isEmpty(), "DEBUG is dropped while the Log Service says INFO");

    logService.enabled = EnumSet.allOf(Level.class);
    logger.log(Level.DEBUG, "evaluated {0}", "d-7");
    logger.log(Level.TRACE, () -> "traced");

    assertTrue(logger.isLoggable(Level.DEBUG));
    assertEquals(
        List.of(
            new Entry(Level.DEBUG, "evaluated d-7", null), new Entry(Level.TRACE, "traced", null)),
        logService.entries);
  }

  @Test
  void offIsNeverLogged() {
    logService.enabled = EnumSet.allOf(Level.class);

    logger.log(Level.OFF, "never");
    logger.log(Level.OFF, "never {0}", 1);

    assertFalse(logger.isLoggable(Level.OFF));
    assertTrue(logService.entries.isEmpty());
    assertTrue(fallback.calls.isEmpty());
  }

  @Test
  void withoutALogServiceEntriesGoToSystemLoggerUnformatted() {
    current = null;
    RuntimeException failure = new RuntimeException("boom");

    logger.log(Level.INFO, "dispatch {0} started", "d-7");
    logger.log(Level.ERROR, "listener failed", failure);

    // System.Logger formats itself (java.util.logging does it when the record is written).
    assertEquals(
        List.of("INFO dispatch {0} started params=[d-7]", "ERROR listener failed thrown=" + failure),
        fallback.calls);
    assertTrue(logger.isLoggable(Level.INFO));
    assertFalse(logger.isLoggable(Level.DEBUG));
  }

  @Test
  void followsTheLogServiceAsItComesAndGoes() {
    logger.log(Level.INFO, "first");
    current = null;
    logger.log(Level.INFO, "second");
    current = logService;
    logger.log(Level.INFO, "third");

    assertEquals(
        List.of(new Entry(Level.INFO, "first", null), new Entry(Level.INFO, "third", null)),
        logService.entries);
    assertEquals(List.of("INFO second params=null"), fallback.calls);
  }

  @Test
  void outsideAFrameworkEntriesReachJavaUtilLoggingUnderTheClassName() {
    String name = BundleLoggerTest.class.getName();
    java.util.logging.Logger jul = java.util.logging.Logger.getLogger(name);
    List<LogRecord> records = new ArrayList<>();
    Handler recorder =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    jul.addHandler(recorder);
    // Keep the console quiet: the WARNING below carries a stack trace.
    jul.setUseParentHandlers(false);
    try {
      System.Logger plain = BundleLoggers.get(BundleLoggerTest.class);
      IllegalStateException failure = new IllegalStateException("boom");
      plain.log(Level.INFO, "dispatch {0} started", "d-7");
      plain.log(Level.WARNING, "stream failed", failure);

      assertEquals(name, plain.getName());
      assertNull(LogServiceLoggers.of(BundleLoggerTest.class), "no bundle holds this class");
      assertEquals(2, records.size());
      assertEquals(java.util.logging.Level.INFO, records.get(0).getLevel());
      assertEquals(name, records.get(0).getLoggerName());
      assertEquals("dispatch d-7 started", new SimpleFormatter().formatMessage(records.get(0)));
      assertEquals(java.util.logging.Level.WARNING, records.get(1).getLevel());
      assertSame(failure, records.get(1).getThrown());
    } finally {
      jul.removeHandler(recorder);
      jul.setUseParentHandlers(true);
    }
  }
}
