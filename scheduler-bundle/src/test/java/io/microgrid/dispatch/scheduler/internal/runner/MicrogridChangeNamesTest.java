package io.microgrid.dispatch.scheduler.internal.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub;
import io.microgrid.dispatch.scheduler.internal.delivery.ListenerSettings;
import io.microgrid.dispatch.testing.VirtualClock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/**
 * Semantics §9 (live microgrid change): when a scheduler configuration's microgrid.id is edited,
 * the threads and the log lines of the scheduler carry the new id, so that an operator reading a
 * thread dump or the log is not sent to the microgrid it left.
 */
class MicrogridChangeNamesTest {
  private static final long OLD = 51;
  private static final long NEW = 52;

  private final VirtualClock clock = new VirtualClock(Instant.parse("2024-01-01T00:00:00Z"));

  /** Names of the live threads whose name ends with the microgrid id given. */
  private static Set<String> threadsOf(long microgridId) {
    Set<String> names = new TreeSet<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (t.getName().matches("dispatch-(.*-)?" + microgridId + "(-.*)?")) {
        names.add(t.getName());
      }
    }
    return names;
  }

  @Test
  void afterAChangeTheSchedulerThreadsCarryTheNewMicrogridId() {
    DeliveryHub hub = new DeliveryHub(OLD, ListenerSettings.DEFAULT, clock, "dispatch-" + OLD + "-");
    DispatchScheduler scheduler = new DispatchScheduler(OLD, clock, hub, null, hub.listeners());
    try {
      scheduler.execute(
          () -> hub.listeners().addRunningStateListener(
              100, Map.of(RunningStateListener.TYPE, "*"), change -> {}, null, scheduler.running()));
      assertEquals("dispatch-scheduler-" + OLD, scheduler.query(() -> Thread.currentThread().getName()));

      // What SchedulerComponent's @Modified does for a new microgrid.id.
      scheduler.changeMicrogrid(NEW);
      hub.changeMicrogrid(NEW, "dispatch-" + NEW + "-");

      assertEquals("dispatch-scheduler-" + NEW, scheduler.query(() -> Thread.currentThread().getName()));
      assertEquals(Set.of(), threadsOf(OLD), "no thread is named after the microgrid left");
      assertTrue(threadsOf(NEW).contains("dispatch-" + NEW + "-listener-100"), threadsOf(NEW).toString());
    } finally {
      scheduler.close();
      hub.close();
    }
  }

  @Test
  void afterAChangeALogLineNamesTheNewMicrogrid() {
    List<String> lines = new ArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            String line = new SimpleFormatter().formatMessage(record);
            if (line.contains("service 100")) {
              synchronized (lines) {
                lines.add(line);
              }
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    // The root logger: the fallback System.Logger of a unit test ends in java.util.logging.
    Logger registryLog = Logger.getLogger("");
    registryLog.addHandler(capture);
    DeliveryHub hub = new DeliveryHub(OLD, ListenerSettings.DEFAULT, clock, "dispatch-" + OLD + "-");
    DispatchScheduler scheduler = new DispatchScheduler(OLD, clock, hub, null, hub.listeners());
    try {
      scheduler.changeMicrogrid(NEW);
      hub.changeMicrogrid(NEW, "dispatch-" + NEW + "-");
      // A listener without dispatch.type: the registry's warning names the scheduler's microgrid.
      scheduler.query(
          () -> hub.listeners().addRunningStateListener(
              100, Map.of(), change -> {},
              null, scheduler.running()));
      List<String> copy;
      synchronized (lines) {
        copy = List.copyOf(lines);
      }
      assertEquals(1, copy.size(), copy.toString());
      assertTrue(copy.get(0).contains("microgrid " + NEW), copy.get(0));
    } finally {
      registryLog.removeHandler(capture);
      scheduler.close();
      hub.close();
    }
  }
}
