package io.microgrid.dispatch.actor.internal;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.TargetComponents;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Dispatches and changes shared by the tests. */
final class Fixtures {
  static final Instant T0 = Instant.parse("2025-03-01T08:00:00Z");

  private Fixtures() {}

  static Dispatch dispatch(long id, boolean dryRun, Map<String, ?> payload) {
    return new Dispatch(
        id,
        7,
        "CHARGE",
        T0,
        Optional.of(Duration.ofHours(1)),
        TargetComponents.ids(1, 2),
        true,
        dryRun,
        Payload.of(payload),
        Optional.empty(),
        T0.minusSeconds(3600),
        T0.minusSeconds(60),
        Optional.empty());
  }

  static Dispatch dispatch(long id) {
    return dispatch(id, false, Map.of());
  }

  static RunningStateChange running(Dispatch d, Instant at) {
    return new RunningStateChange(d, RunningState.RUNNING, at, Optional.of(at.plusSeconds(3600)), List.of());
  }

  static RunningStateChange stopped(Dispatch d, Instant at) {
    return new RunningStateChange(d, RunningState.STOPPED, at, Optional.empty(), List.of());
  }
}
