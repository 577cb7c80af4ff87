package io.microgrid.dispatch.scheduler.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The timeline hands out transitions in the order of semantics §3 (instant, stops before starts,
 * then dispatch id), whatever sequence of replacements and removals came before: checked against a
 * sorted set of the same transitions over many random operations, with few distinct instants so
 * that ties are common.
 */
class TimelineTest {
  private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");

  @Test
  void randomChangesKeepTheOrderOfASortedSet() {
    Random random = new Random(20261123);
    Timeline timeline = new Timeline();
    TreeSet<Transition> expected = new TreeSet<>();
    Map<Long, Transition> pending = new HashMap<>();
    Instant now = T0;
    for (int step = 0; step < 200_000; step++) {
      int op = random.nextInt(10);
      long id = 1 + random.nextInt(500);
      if (op < 6) {
        Transition t = new Transition(
            now.plusMillis(random.nextInt(50)).plusNanos(random.nextInt(3)),
            random.nextBoolean() ? Transition.Kind.START : Transition.Kind.STOP,
            id);
        timeline.put(t);
        Transition old = pending.put(id, t);
        if (old != null) {
          expected.remove(old);
        }
        expected.add(t);
      } else if (op < 8) {
        timeline.remove(id);
        Transition old = pending.remove(id);
        if (old != null) {
          expected.remove(old);
        }
      } else {
        now = now.plusMillis(random.nextInt(5));
        List<Transition> due = new ArrayList<>();
        Optional<Transition> t;
        while ((t = timeline.pollDue(now)).isPresent()) {
          due.add(t.get());
        }
        List<Transition> expectedDue = new ArrayList<>();
        while (!expected.isEmpty() && !expected.first().at().isAfter(now)) {
          Transition first = expected.pollFirst();
          pending.remove(first.dispatchId());
          expectedDue.add(first);
        }
        assertEquals(expectedDue, due, "due at step " + step);
      }
      assertEquals(expected.size(), timeline.size(), "size at step " + step);
      assertEquals(expected.isEmpty() ? Optional.empty() : Optional.of(expected.first()), timeline.peek(), "next at step " + step);
      assertEquals(Optional.ofNullable(pending.get(id)), timeline.of(id), "transition of " + id + " at step " + step);
    }
    timeline.clear();
    assertEquals(0, timeline.size());
    assertEquals(Optional.empty(), timeline.peek());
  }
}
