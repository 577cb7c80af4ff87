package io.microgrid.dispatch.reliability;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.scheduler.internal.core.Notifications;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Every notification the scheduler hands out, in order: running-state changes (RUNNING, STOPPED)
 * and lifecycle events (Created, Updated, Deleted), what a device bundle and a lifecycle listener
 * would have been told.
 */
final class NotificationLog implements Notifications {

  /**
   * One notification.
   *
   * @param what RUNNING, STOPPED, Created, Updated or Deleted
   * @param dispatch the dispatch as the notification carries it
   * @param at the instant of the transition, or when the event was applied (scheduler clock)
   */
  record Note(String what, Dispatch dispatch, Instant at) {
    long id() {
      return dispatch.id();
    }
  }

  private final List<Note> notes = new ArrayList<>();

  @Override
  public void runningStateChanged(RunningStateChange change) {
    add(new Note(change.state().name(), change.dispatch(), change.at()));
  }

  @Override
  public void dispatchEvent(DispatchEvent event, Instant due) {
    add(new Note(event.getClass().getSimpleName(), event.dispatch(), due));
  }

  private synchronized void add(Note note) {
    notes.add(note);
    notifyAll();
  }

  /** How many notifications so far: a mark for {@link #since}. */
  synchronized int size() {
    return notes.size();
  }

  /** The notifications after {@code mark}, in order. */
  synchronized List<Note> since(int mark) {
    return List.copyOf(notes.subList(mark, notes.size()));
  }

  /**
   * Waits for a notification after {@code mark} that matches; the timeout is a safety net.
   *
   * @throws AssertionError naming {@code what} when none comes in time
   */
  synchronized Note await(int mark, Predicate<Note> matches, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      for (Note n : notes.subList(mark, notes.size())) {
        if (matches.test(n)) {
          return n;
        }
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new AssertionError("no notification within " + timeout.toSeconds() + " s: " + what);
      }
      java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
    }
  }
}
