package io.microgrid.dispatch.scheduler.internal.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The watchdog counts the periods of a call that does not return, and nothing else. */
class WatchdogTest {
  private final Watchdog watchdog = new Watchdog("watchdog-test");

  @AfterEach
  void close() {
    watchdog.close();
  }

  @Test
  void aCallThatDoesNotReturnIsCheckedOncePerPeriodUntilTheCheckSaysStop() throws Exception {
    List<Integer> periods = new CopyOnWriteArrayList<>();
    CountDownLatch third = new CountDownLatch(1);
    watchdog.watch(
        Duration.ofMillis(20),
        n -> {
          periods.add(n);
          if (n == 3) {
            third.countDown();
          }
          return n < 3;
        });
    assertTrue(third.await(10, TimeUnit.SECONDS), "three periods elapsed");
    // A watch that said stop is never checked again, however long the next check waits.
    CountDownLatch later = new CountDownLatch(1);
    watchdog.watch(Duration.ofMillis(60), n -> {
      later.countDown();
      return false;
    });
    assertTrue(later.await(10, TimeUnit.SECONDS));
    assertEquals(List.of(1, 2, 3), periods);
  }

  @Test
  void aCancelledWatchIsNeverChecked() throws Exception {
    List<Integer> cancelledChecks = new CopyOnWriteArrayList<>();
    Watchdog.Watch cancelled = watchdog.watch(Duration.ofMillis(20), n -> cancelledChecks.add(n));
    cancelled.cancel();
    CountDownLatch other = new CountDownLatch(2);
    watchdog.watch(Duration.ofMillis(20), n -> {
      other.countDown();
      return true;
    });
    assertTrue(other.await(10, TimeUnit.SECONDS), "the other watch had two periods");
    assertEquals(List.of(), cancelledChecks);
  }

  @Test
  void aShorterPeriodWatchedAfterALongOneIsCheckedOnItsOwnTime() throws Exception {
    CountDownLatch longOne = new CountDownLatch(1);
    watchdog.watch(Duration.ofHours(1), n -> {
      longOne.countDown();
      return false;
    });
    CountDownLatch shortOne = new CountDownLatch(1);
    long start = System.nanoTime();
    watchdog.watch(Duration.ofMillis(20), n -> {
      shortOne.countDown();
      return false;
    });
    assertTrue(shortOne.await(10, TimeUnit.SECONDS), "the short watch was checked");
    assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(20), "not before its period");
    assertEquals(1, longOne.getCount(), "the hour-long watch not yet");
  }
}
