package io.microgrid.dispatch.logging.internal;

import java.io.PrintStream;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Writes whole lines to an output stream, one at a time, flushing after each, and reads the wall
 * clock for {@code notified_at}. One printer is shared by both listeners, whose calls come from
 * different threads, so lines never interleave.
 */
final class EventPrinter {
  /**
   * Standard output, looked up at each line (a shell may replace {@code System.out} while the
   * framework runs), and the system clock.
   */
  static final EventPrinter STANDARD_OUTPUT = new EventPrinter(() -> System.out, Clock.systemUTC());

  private final Supplier<PrintStream> out;
  private final Clock clock;

  /**
   * Makes a printer.
   *
   * @param out where lines go, looked up for every line
   * @param clock the wall clock
   */
  EventPrinter(Supplier<PrintStream> out, Clock clock) {
    this.out = Objects.requireNonNull(out, "out");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Returns the wall clock's current instant.
   *
   * @return now
   */
  Instant now() {
    return clock.instant();
  }

  /**
   * Prints one line and flushes it.
   *
   * @param line the line, without a terminator
   */
  void print(String line) {
    synchronized (this) {
      PrintStream stream = out.get();
      stream.print(line + System.lineSeparator());
      stream.flush();
    }
  }
}
