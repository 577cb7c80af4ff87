package io.microgrid.dispatch.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.RunningState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogLevel;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.service.log.admin.LoggerAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * Log levels the OSGi way: the dispatch bundles log through the Log Service (Felix Log here), so
 * the levels an operator sets in ConfigAdmin (PID {@value #LOG_ADMIN_PID}, which LoggerAdmin
 * reads) decide what is logged, and a LogReaderService sees it.
 */
class LogLevelsTest {
  private static final String LOG_ADMIN_PID = "org.osgi.service.log.admin";
  private static final String SCHEDULER_BUNDLE = "io.microgrid.dispatch.scheduler";
  /** Logs each transition at DEBUG. */
  private static final String DELIVERY_HUB =
      "io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub";
  /** Logs the start of each scheduler at INFO. */
  private static final String SCHEDULER_COMPONENT =
      "io.microgrid.dispatch.scheduler.internal.SchedulerComponent";
  private static final Duration TIMEOUT = SchedulerFixture.TIMEOUT;

  @InjectBundleContext BundleContext context;
  @InjectService ConfigurationAdmin configAdmin;
  @InjectService LogReaderService logReader;
  @InjectService LoggerAdmin loggerAdmin;

  private final BlockingQueue<LogEntry> entries = new LinkedBlockingQueue<>();
  private final LogListener recorder = entries::add;
  /** Every entry taken from the queue so far, in the order the Log Service delivered them. */
  private final List<LogEntry> seen = new ArrayList<>();
  private final BlockingQueue<ConfigurationEvent> configurationEvents = new LinkedBlockingQueue<>();
  private ServiceRegistration<ConfigurationListener> configurationListener;
  private SimulatorConfiguration simulator;
  private SchedulerFixture fixture;
  private Configuration levels;

  @BeforeEach
  void setUp() throws Exception {
    logReader.addLogListener(recorder);
    configurationListener =
        context.registerService(ConfigurationListener.class, configurationEvents::add, null);
    // Location "?": the Log Service's bundle reads it, not this one.
    levels = configAdmin.getConfiguration(LOG_ADMIN_PID, "?");
    simulator = SimulatorConfiguration.create(configAdmin);
    fixture = new SchedulerFixture(context, configAdmin);
    fixture.connectClient(simulator.port());
  }

  @AfterEach
  void tearDown() throws Exception {
    logReader.removeLogListener(recorder);
    fixture.close();
    simulator.close();
    levels.delete();
    configurationListener.unregister();
  }

  @Test
  void theSchedulersTransitionsAreLoggedAtDebugOnlyWhileItsLoggerIsRaisedToDebug() throws Exception {
    long microgrid = 201;
    String type = "ITEST_LOG_LEVELS";
    RecordingListener device = new RecordingListener("the device's listener");
    fixture.registerRunningStateListener(device, type, null);

    // INFO, the gateway's default: our INFO lines reach the Log Service, the DEBUG ones do not.
    setLevels(Map.of("ROOT", "INFO"));
    fixture.configureScheduler("log-levels", microgrid, Map.of());
    LogEntry started =
        nextEntry(
            e -> SCHEDULER_COMPONENT.equals(e.getLoggerName())
                && e.getMessage().equals("dispatch scheduler started for microgrid " + microgrid));
    assertEquals(LogLevel.INFO, started.getLogLevel());
    assertEquals(SCHEDULER_BUNDLE, started.getBundle().getSymbolicName(), "logged as the scheduler bundle");
    fixture.awaitInSync(microgrid);
    Dispatch quiet = fixture.createDispatch(microgrid, type, Duration.ofMillis(1500), Duration.ofSeconds(1));
    assertEquals(RunningState.RUNNING, device.next(TIMEOUT).state());
    assertEquals(RunningState.STOPPED, device.next(TIMEOUT).state());

    // The scheduler's loggers raised to DEBUG, everything else down to WARN.
    setLevels(Map.of("ROOT", "WARN", SCHEDULER_BUNDLE, "DEBUG"));
    Dispatch loud = fixture.createDispatch(microgrid, type, Duration.ofMillis(1500), Duration.ofSeconds(1));
    assertEquals(RunningState.RUNNING, device.next(TIMEOUT).state());

    LogEntry running =
        nextEntry(
            e -> DELIVERY_HUB.equals(e.getLoggerName())
                && e.getMessage().startsWith("dispatch " + loud.id() + " of microgrid " + microgrid)
                && e.getMessage().contains(" RUNNING at " + loud.startTime()));
    assertEquals(LogLevel.DEBUG, running.getLogLevel());
    assertEquals(SCHEDULER_BUNDLE, running.getBundle().getSymbolicName());
    assertEquals(
        "dispatch " + loud.id() + " of microgrid " + microgrid + " (" + type + ") RUNNING at "
            + loud.startTime() + " until " + SchedulerFixture.end(loud),
        running.getMessage());
    // The Log Service delivers entries in the order they were logged: the quiet dispatch's
    // transitions, logged before, would be among those seen so far.
    List<String> aboutQuiet =
        seen.stream()
            .filter(e -> DELIVERY_HUB.equals(e.getLoggerName()))
            .map(LogEntry::getMessage)
            .filter(m -> m.startsWith("dispatch " + quiet.id() + " of microgrid "))
            .toList();
    assertEquals(List.of(), aboutQuiet, "no DEBUG line while the scheduler's loggers were at INFO");
  }

  @Test
  void aRestartedBundleStillLogsThroughTheLogService() throws Exception {
    long microgrid = 202;
    setLevels(Map.of("ROOT", "INFO"));
    fixture.configureScheduler("log-restart", microgrid, Map.of());
    nextEntry(e -> SCHEDULER_COMPONENT.equals(e.getLoggerName())
        && e.getMessage().equals("dispatch scheduler started for microgrid " + microgrid));

    Bundle scheduler = bundle(SCHEDULER_BUNDLE);
    scheduler.stop();
    scheduler.start();

    // Logged by the same static logger, now with the bundle's new context.
    LogEntry again =
        nextEntry(e -> SCHEDULER_COMPONENT.equals(e.getLoggerName())
            && e.getMessage().equals("dispatch scheduler started for microgrid " + microgrid));
    assertEquals(SCHEDULER_BUNDLE, again.getBundle().getSymbolicName());
    assertEquals(Bundle.ACTIVE, scheduler.getState());
  }

  /**
   * Sets the levels of every bundle's loggers (the root logger context), as an operator does in
   * ConfigAdmin, and waits until LoggerAdmin has applied them.
   */
  private void setLevels(Map<String, String> wanted) throws Exception {
    Hashtable<String, Object> props = new Hashtable<>(wanted);
    levels.update(props);
    Map<String, LogLevel> expected = new HashMap<>();
    wanted.forEach((name, level) -> expected.put(name, LogLevel.valueOf(level)));
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    // Felix Log applies the configuration when ConfigAdmin tells its listener; this test's listener
    // hears the same event, so each event is a moment to look again.
    while (!expected.equals(loggerAdmin.getLoggerContext(null).getLogLevels())) {
      long left = deadline - System.nanoTime();
      assertTrue(left > 0, "LoggerAdmin did not apply " + wanted + " within " + TIMEOUT
          + "; it has " + loggerAdmin.getLoggerContext(null).getLogLevels());
      configurationEvents.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
    }
  }

  /** Waits for the next Log Service entry that matches, remembering every entry it passes. */
  private LogEntry nextEntry(Predicate<LogEntry> wanted) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      LogEntry entry = entries.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertNotNull(entry, () -> "no matching log entry within " + TIMEOUT + "; seen: " + describe(seen));
      seen.add(entry);
      if (entry.getLoggerName() != null && entry.getMessage() != null && wanted.test(entry)) {
        return entry;
      }
    }
  }

  private Bundle bundle(String symbolicName) {
    for (Bundle b : context.getBundles()) {
      if (symbolicName.equals(b.getSymbolicName())) {
        return b;
      }
    }
    throw new AssertionError(symbolicName + " is not installed");
  }

  private static List<String> describe(List<LogEntry> entries) {
    return entries.stream()
        .map(e -> e.getLogLevel() + " " + e.getLoggerName() + ": " + e.getMessage())
        .toList();
  }
}
