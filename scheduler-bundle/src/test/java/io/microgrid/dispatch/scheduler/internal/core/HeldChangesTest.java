package io.microgrid.dispatch.scheduler.internal.core;

import static io.microgrid.dispatch.scheduler.internal.core.Dispatches.at;
import static io.microgrid.dispatch.scheduler.internal.core.Dispatches.dispatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.scheduler.internal.core.DispatchSchedule.HeldChanges;
import io.microgrid.dispatch.scheduler.internal.core.DispatchSchedule.HeldState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The persisted schedule is written from a copy brought up to date with {@link
 * DispatchSchedule#takeHeldChanges()}: after any mix of changes, transitions, a restore and a
 * change of microgrid, that copy must hold exactly what {@link DispatchSchedule#heldStates()}
 * says, or a restart would resume from something the gateway never held.
 */
class HeldChangesTest {
  private final DispatchSchedule schedule = new DispatchSchedule(Dispatches.MICROGRID, new Recorder());
  private final Map<Long, HeldState> copy = new TreeMap<>();

  private void follow() {
    HeldChanges changes = schedule.takeHeldChanges();
    if (changes.replacesAll()) {
      copy.clear();
    }
    changes.changed().forEach(s -> copy.put(s.dispatch().id(), s));
    changes.removed().forEach(copy::remove);
    assertEquals(schedule.heldStates(), new ArrayList<>(copy.values()));
  }

  @Test
  void theCopyFollowsEveryKindOfChange() {
    Duration min15 = Duration.ofMinutes(15);
    follow();
    List<Dispatch> ds = new ArrayList<>();
    for (int i = 1; i <= 20; i++) {
      Dispatch d = dispatch(i, at("00:00").plus(Duration.ofMinutes(5L * i)), min15);
      ds.add(d);
      schedule.apply(new DispatchEvent.Created(d), at("00:01"));
    }
    follow();
    // Transitions: starts, stops, and missed runs noted.
    for (int minute = 2; minute <= 120; minute += 7) {
      schedule.advance(at("00:00").plus(Duration.ofMinutes(minute)));
      follow();
    }
    Instant later = at("02:00");
    schedule.apply(new DispatchEvent.Updated(Dispatches.withStart(ds.get(3), at("03:00"), later)), later);
    schedule.apply(new DispatchEvent.Deleted(ds.get(5)), later);
    schedule.apply(new DispatchEvent.Updated(Dispatches.withActive(ds.get(7), false, later)), later);
    follow();
    HeldChanges none = schedule.takeHeldChanges();
    assertFalse(none.replacesAll());
    assertTrue(none.changed().isEmpty() && none.removed().isEmpty(), "nothing changed since");

    List<HeldState> states = schedule.heldStates();
    schedule.restore(states.subList(0, 4), at("04:00"));
    follow();
    schedule.clear(at("04:00"));
    follow();
    assertTrue(copy.isEmpty());
  }
}
