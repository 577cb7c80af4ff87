package io.microgrid.dispatch.client;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchStreamListener;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** Writes what a stream subscription reports as short lines, in order, for tests to wait on. */
final class RecordingStreamListener implements DispatchStreamListener {
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

  @Override
  public void onConnected(boolean reconnect) {
    lines.add(reconnect ? "reconnected" : "connected");
  }

  @Override
  public void onEvent(DispatchEvent event) {
    lines.add(event.getClass().getSimpleName() + " " + event.dispatch().id() + " " + event.dispatch().type());
  }

  @Override
  public void onUnreadable(long dispatchId, String reason) {
    lines.add("unreadable " + dispatchId + ": " + reason);
  }

  @Override
  public void onDisconnected(DispatchApiException cause) {
    lines.add("disconnected " + cause.status());
  }

  /** Waits for the next line; fails the test when none comes in 10 s. */
  String next() throws InterruptedException {
    return next(java.time.Duration.ofSeconds(10));
  }

  /** Waits for the next line; fails the test when none comes within {@code timeout}. */
  String next(java.time.Duration timeout) throws InterruptedException {
    String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(line, "the stream reported nothing within " + timeout);
    return line;
  }

  /** Skips lines until one starts with the prefix, and returns it. */
  String nextStartingWith(String prefix) throws InterruptedException {
    while (true) {
      String line = next();
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** Returns the lines reported so far without waiting. */
  java.util.List<String> drain() {
    java.util.List<String> all = new java.util.ArrayList<>();
    lines.drainTo(all);
    return all;
  }
}
