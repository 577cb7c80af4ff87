package io.microgrid.dispatch.api;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** Dispatches and helpers shared by the schedule tests. */
final class ScheduleFixtures {
  private ScheduleFixtures() {}

  /** Every dispatch gets its own id, so the schedule's per-dispatch caches never mix tests. */
  private static final AtomicLong IDS = new AtomicLong(1_000);

  static final Instant CREATED = Instant.parse("2023-12-01T00:00:00Z");

  static long nextId() {
    return IDS.incrementAndGet();
  }

  static Instant at(String iso) {
    return Instant.parse(iso);
  }

  /** An active dispatch of type "T" with a one-minute duration. */
  static Dispatch dispatch(String start, Optional<RecurrenceRule> rule) {
    return dispatch(at(start), Optional.of(Duration.ofMinutes(1)), true, rule);
  }

  static Dispatch dispatch(String start, RecurrenceRule.Builder rule) {
    return dispatch(start, Optional.of(rule.build()));
  }

  static Dispatch dispatch(
      Instant start, Optional<Duration> duration, boolean active, Optional<RecurrenceRule> rule) {
    return dispatch(nextId(), CREATED, start, duration, active, rule);
  }

  static Dispatch dispatch(
      long id,
      Instant updated,
      Instant start,
      Optional<Duration> duration,
      boolean active,
      Optional<RecurrenceRule> rule) {
    return new Dispatch(
        id,
        42,
        "T",
        start,
        duration,
        TargetComponents.ids(1),
        active,
        false,
        Payload.of(Map.of()),
        rule,
        CREATED,
        updated,
        Optional.empty());
  }

  /**
   * Returns the first {@code n} occurrences (fewer when the rule ends), each found with {@link
   * Dispatch#nextRunAfter} from just after the previous one.
   */
  static List<Instant> firstOccurrences(Dispatch d, int n) {
    List<Instant> result = new ArrayList<>();
    Instant t = Instant.MIN;
    while (result.size() < n) {
      Optional<Instant> o = d.nextRunAfter(t);
      if (o.isEmpty()) {
        break;
      }
      result.add(o.get());
      t = o.get().plusNanos(1);
    }
    return result;
  }

  static List<Instant> instants(String... iso) {
    List<Instant> result = new ArrayList<>();
    for (String s : iso) {
      result.add(Instant.parse(s));
    }
    return result;
  }

  /** Collects what the schedule logs, while open. */
  static final class CapturedLog implements AutoCloseable {
    private static final String SCHEDULE = "io.microgrid.dispatch.api.internal.Schedule";

    private final Logger logger = Logger.getLogger(SCHEDULE);
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };

    CapturedLog() {
      logger.addHandler(handler);
    }

    /** Returns the formatted messages of the warnings logged so far. */
    List<String> warnings() {
      SimpleFormatter f = new SimpleFormatter();
      List<String> result = new ArrayList<>();
      for (LogRecord r : records) {
        if (r.getLevel() == Level.WARNING) {
          result.add(f.formatMessage(r));
        }
      }
      return result;
    }

    @Override
    public void close() {
      logger.removeHandler(handler);
    }
  }
}
