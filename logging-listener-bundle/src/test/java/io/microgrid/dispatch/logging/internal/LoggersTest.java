package io.microgrid.dispatch.logging.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LoggersTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final AtomicInteger flushes = new AtomicInteger();
  private final PrintStream out =
      new PrintStream(
          new FilterOutputStream(bytes) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
              flushes.incrementAndGet();
              super.flush();
            }
          },
          false,
          StandardCharsets.UTF_8);
  private final EventPrinter printer =
      new EventPrinter(() -> out, Clock.fixed(EventLinesTest.NOTIFIED, ZoneOffset.UTC));

  private List<String> lines() {
    String text = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(text.isEmpty() || text.endsWith(System.lineSeparator()), "whole lines only");
    return text.isEmpty() ? List.of() : List.of(text.split(System.lineSeparator()));
  }

  @Test
  void eachNotificationIsOneFlushedLineWithTheWallClock() {
    RunningStateLogger running = new RunningStateLogger(printer);
    LifecycleLogger lifecycle = new LifecycleLogger(printer);
    var d = EventLinesTest.dispatch(Payload.EMPTY, false);

    running.onRunningStateChange(
        new RunningStateChange(
            d, RunningState.RUNNING, EventLinesTest.START, Optional.empty(), List.of()));
    assertEquals(1, lines().size());
    assertEquals(1, flushes.get(), "flushed after the line");

    lifecycle.onDispatchEvent(new DispatchEvent.Updated(d));
    List<String> lines = lines();
    assertEquals(2, lines.size());
    assertEquals(2, flushes.get());

    Map<String, Object> first = EventLinesTest.json(lines.get(0));
    Map<String, Object> second = EventLinesTest.json(lines.get(1));
    assertEquals("running", first.get("kind"));
    assertEquals("2026-11-23T10:00:00.012Z", first.get("notified_at"));
    assertEquals("updated", second.get("kind"));
    assertEquals("2026-11-23T10:00:00.012Z", second.get("at"));
  }

  @Test
  void linesFromConcurrentListenersNeverInterleave() throws Exception {
    RunningStateLogger running = new RunningStateLogger(printer);
    LifecycleLogger lifecycle = new LifecycleLogger(printer);
    var d = EventLinesTest.dispatch(Payload.of(Map.of("text", "x".repeat(2000))), false);
    int perThread = 300;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    threads.add(
        new Thread(
            () -> {
              await(go);
              for (int i = 0; i < perThread; i++) {
                running.onRunningStateChange(
                    new RunningStateChange(
                        d, RunningState.STOPPED, EventLinesTest.START, Optional.empty(), List.of()));
              }
            }));
    threads.add(
        new Thread(
            () -> {
              await(go);
              for (int i = 0; i < perThread; i++) {
                lifecycle.onDispatchEvent(new DispatchEvent.Created(d));
              }
            }));
    threads.forEach(Thread::start);
    go.countDown();
    for (Thread t : threads) {
      t.join(30_000);
    }

    List<String> lines = lines();
    assertEquals(2 * perThread, lines.size());
    lines.forEach(EventLinesTest::json);
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
