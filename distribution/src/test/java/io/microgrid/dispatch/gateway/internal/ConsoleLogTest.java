package io.microgrid.dispatch.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;

class ConsoleLogTest {
  private static final Instant AT = Instant.parse("2026-03-01T10:15:30.042Z");
  private static final String NL = System.lineSeparator();

  /** A Log Service entry with only what the console reads. */
  private static LogEntry entry(LogLevel level, String logger, String message, Throwable e) {
    return new LogEntry() {
      @Override
      public Bundle getBundle() {
        return null;
      }

      @Override
      public ServiceReference<?> getServiceReference() {
        return null;
      }

      @Override
      @SuppressWarnings("deprecation")
      public int getLevel() {
        return level.ordinal();
      }

      @Override
      public String getMessage() {
        return message;
      }

      @Override
      public Throwable getException() {
        return e;
      }

      @Override
      public long getTime() {
        return AT.toEpochMilli();
      }

      @Override
      public LogLevel getLogLevel() {
        return level;
      }

      @Override
      public String getLoggerName() {
        return logger;
      }

      @Override
      public long getSequence() {
        return 1;
      }

      @Override
      public String getThreadInfo() {
        return "main";
      }

      @Override
      public StackTraceElement getLocation() {
        return null;
      }
    };
  }

  @Test
  void anEntryIsOneLineWithTimeLevelLoggerAndMessage() {
    assertEquals(
        "2026-03-01T10:15:30.042Z DEBUG io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub:"
            + " dispatch 7 of microgrid 1 (DEMO) RUNNING at 2026-03-01T10:15:30Z"
            + NL,
        ConsoleLog.format(
            entry(
                LogLevel.DEBUG,
                "io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub",
                "dispatch 7 of microgrid 1 (DEMO) RUNNING at 2026-03-01T10:15:30Z",
                null)));
  }

  @Test
  void theExceptionFollowsWithItsStackTrace() {
    String text =
        ConsoleLog.format(
            entry(LogLevel.WARN, "a.B", "stream failed", new IllegalStateException("boom")));

    assertTrue(
        text.startsWith(
            "2026-03-01T10:15:30.042Z WARN  a.B: stream failed" + NL
                + "java.lang.IllegalStateException: boom" + NL + "\tat "),
        text);
  }

  @Test
  void frameworkEventsArePrintedOnlyFromWarnUp() {
    assertNull(ConsoleLog.format(entry(LogLevel.INFO, "Events.Bundle", "BundleEvent STARTED", null)));
    assertNull(ConsoleLog.format(entry(LogLevel.DEBUG, "Events.Service", "ServiceEvent MODIFIED", null)));
    assertEquals(
        "2026-03-01T10:15:30.042Z ERROR Events.Framework: FrameworkEvent ERROR" + NL,
        ConsoleLog.format(entry(LogLevel.ERROR, "Events.Framework", "FrameworkEvent ERROR", null)));
    assertEquals(
        "2026-03-01T10:15:30.042Z INFO  Eventsource: not an event" + NL,
        ConsoleLog.format(entry(LogLevel.INFO, "Eventsource", "not an event", null)));
  }

  @Test
  void loggedEntriesGoToTheStreamGiven() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleLog console = new ConsoleLog(new PrintStream(bytes, true, StandardCharsets.UTF_8));

    console.logged(entry(LogLevel.INFO, "a.B", "first", null));
    console.logged(entry(LogLevel.INFO, "Events.Bundle", "BundleEvent STARTED", null));
    console.logged(entry(LogLevel.ERROR, "a.B", "second", null));

    assertEquals(
        "2026-03-01T10:15:30.042Z INFO  a.B: first" + NL
            + "2026-03-01T10:15:30.042Z ERROR a.B: second" + NL,
        bytes.toString(StandardCharsets.UTF_8));
  }
}
