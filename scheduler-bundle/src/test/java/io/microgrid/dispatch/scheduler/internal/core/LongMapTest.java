package io.microgrid.dispatch.scheduler.internal.core;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The id map answers as a {@code HashMap} over many random puts and removals, with any ids. */
class LongMapTest {
  @Test
  void randomChangesAnswerAsAHashMap() {
    Random random = new Random(20261202);
    LongMap<String> map = new LongMap<>();
    Map<Long, String> expected = new HashMap<>();
    for (int step = 0; step < 300_000; step++) {
      // Mostly a small range, so that removals happen inside long probe runs; sometimes any long.
      long key = random.nextInt(8) == 0 ? random.nextLong() : random.nextInt(2_000) - 100;
      switch (random.nextInt(3)) {
        case 0, 1 -> assertEquals(expected.put(key, "v" + step), map.put(key, "v" + step));
        default -> assertEquals(expected.remove(key), map.remove(key));
      }
      long probe = random.nextInt(2_000) - 100;
      assertEquals(expected.get(probe), map.get(probe), "key " + probe + " at step " + step);
      assertEquals(expected.size(), map.size());
    }
    assertEquals(new HashSet<>(expected.values()), new HashSet<>(map.values()));
    map.clear();
    assertEquals(0, map.size());
    assertEquals(null, map.get(1));
  }
}
