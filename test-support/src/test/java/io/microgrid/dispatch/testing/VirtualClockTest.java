package io.microgrid.dispatch.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class VirtualClockTest {
  private static final Instant T = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void standsStillUntilTheTestMovesIt() {
    VirtualClock clock = new VirtualClock(T);
    assertEquals(T, clock.instant());
    assertEquals(T.toEpochMilli(), clock.millis());
    assertEquals(ZoneOffset.UTC, clock.getZone());

    assertEquals(T.plusSeconds(60), clock.advance(Duration.ofMinutes(1)));
    assertEquals(T.plusSeconds(60), clock.instant());
    clock.set(T.plus(Duration.ofHours(2)));
    assertEquals(T.plus(Duration.ofHours(2)), clock.instant());
    clock.set(T.plus(Duration.ofHours(2)));
    assertEquals(T.plus(Duration.ofHours(2)), clock.instant(), "setting the same instant is no move");
  }

  @Test
  void onlyAStepBackGoesBack() {
    VirtualClock clock = new VirtualClock(T);
    assertThrows(IllegalArgumentException.class, () -> clock.set(T.minusMillis(1)));
    assertThrows(IllegalArgumentException.class, () -> clock.advance(Duration.ofMillis(-1)));
    assertThrows(IllegalArgumentException.class, () -> clock.stepBack(Duration.ofMillis(-1)));
    assertEquals(T, clock.instant(), "a refused move leaves the clock where it was");

    clock.stepBack(Duration.ofMillis(300));
    assertEquals(T.minusMillis(300), clock.instant());
  }

  @Test
  void aFollowingClockTicksWithItsBaseShiftedByTheMovesOfTheTest() {
    VirtualClock wall = new VirtualClock(T);
    VirtualClock clock = VirtualClock.following(wall);
    assertEquals(T, clock.instant());

    wall.advance(Duration.ofSeconds(5));
    assertEquals(T.plusSeconds(5), clock.instant(), "ticks with its base");
    clock.stepBack(Duration.ofMillis(300));
    assertEquals(T.plusSeconds(5).minusMillis(300), clock.instant());
    wall.advance(Duration.ofSeconds(1));
    assertEquals(T.plusSeconds(6).minusMillis(300), clock.instant(), "the step stays");
    clock.set(T.plusSeconds(60));
    assertEquals(T.plusSeconds(60), clock.instant());
    wall.advance(Duration.ofSeconds(1));
    assertEquals(T.plusSeconds(61), clock.instant());
  }

  @Test
  void inAnotherZoneItIsTheSameClock() {
    VirtualClock clock = new VirtualClock(T);
    ZoneId berlin = ZoneId.of("Europe/Berlin");
    Clock zoned = clock.withZone(berlin);
    assertEquals(berlin, zoned.getZone());
    assertSame(clock, clock.withZone(ZoneOffset.UTC));

    clock.advance(Duration.ofHours(1));
    assertEquals(clock.instant(), zoned.instant(), "moves when the clock it came from moves");
    ((VirtualClock) zoned).advance(Duration.ofHours(1));
    assertEquals(T.plus(Duration.ofHours(2)), clock.instant(), "and the other way round");
  }

  @Test
  void movesFromManyThreadsAtOnceAreAllKept() throws Exception {
    VirtualClock clock = new VirtualClock(T);
    int threads = 4;
    int steps = 10_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        done.add(pool.submit(() -> {
          for (int s = 0; s < steps; s++) {
            clock.advance(Duration.ofSeconds(1));
          }
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(T.plusSeconds((long) threads * steps), clock.instant());
  }
}
