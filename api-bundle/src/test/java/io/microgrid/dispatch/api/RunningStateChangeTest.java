package io.microgrid.dispatch.api;

import static io.microgrid.dispatch.api.Refusals.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunningStateChangeTest {
  private static final Dispatch D = new DispatchTest.Args().build();
  private static final Instant AT = Instant.parse("2024-01-01T10:00:00Z");
  private static final Instant UNTIL = Instant.parse("2024-01-01T11:00:00Z");
  private static final Instant MISSED = Instant.parse("2024-01-01T09:00:00Z");

  @Test
  void keepsEveryField() {
    RunningStateChange c =
        new RunningStateChange(D, RunningState.RUNNING, AT, Optional.of(UNTIL), List.of(MISSED));
    assertEquals(D, c.dispatch());
    assertEquals(RunningState.RUNNING, c.state());
    assertEquals(AT, c.at());
    assertEquals(Optional.of(UNTIL), c.until());
    assertEquals(List.of(MISSED), c.missedRuns());
  }

  @Test
  void missedRunsAreCopiedAndUnmodifiable() {
    List<Instant> missed = new ArrayList<>(List.of(MISSED));
    RunningStateChange c =
        new RunningStateChange(D, RunningState.STOPPED, AT, Optional.empty(), missed);
    missed.add(AT);
    assertEquals(List.of(MISSED), c.missedRuns());
    assertThrows(UnsupportedOperationException.class, () -> c.missedRuns().add(AT));
  }

  @Test
  void nullsAreRefusedNamingTheField() {
    Optional<Instant> none = Optional.empty();
    assertRefused(
        NullPointerException.class,
        "dispatch",
        () -> new RunningStateChange(null, RunningState.RUNNING, AT, none, List.of()));
    assertRefused(
        NullPointerException.class,
        "state",
        () -> new RunningStateChange(D, null, AT, none, List.of()));
    assertRefused(
        NullPointerException.class,
        "at",
        () -> new RunningStateChange(D, RunningState.RUNNING, null, none, List.of()));
    assertRefused(
        NullPointerException.class,
        "until",
        () -> new RunningStateChange(D, RunningState.RUNNING, AT, null, List.of()));
    assertRefused(
        NullPointerException.class,
        "missedRuns",
        () -> new RunningStateChange(D, RunningState.RUNNING, AT, none, null));
  }
}
