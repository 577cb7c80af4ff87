package io.microgrid.dispatch.scheduler.internal.delivery;

import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.RunningStateListener;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ListenerPropertiesTest {
  private static final String TYPE = RunningStateListener.TYPE;
  private static final String MICROGRID = RunningStateListener.MICROGRID_ID;
  private static final String MERGE = RunningStateListener.MERGE;

  private static ListenerProperties running(Map<String, Object> p) {
    return ListenerProperties.ofRunningStateListener(42, p);
  }

  private static String refusal(Map<String, Object> p) {
    return assertThrows(IllegalArgumentException.class, () -> running(p)).getMessage();
  }

  @Test
  void typeAcceptsStringArrayAndCollection() {
    ListenerProperties one = running(props(TYPE, "BATTERY"));
    assertTrue(one.matchesType("BATTERY"));
    assertFalse(one.matchesType("PV"));

    ListenerProperties array = running(props(TYPE, new String[] {"BATTERY", "PV"}));
    assertTrue(array.matchesType("BATTERY"));
    assertTrue(array.matchesType("PV"));
    assertFalse(array.matchesType("EV"));

    ListenerProperties collection = running(props(TYPE, List.of("EV")));
    assertTrue(collection.matchesType("EV"));
    assertFalse(collection.matchesType("PV"));
  }

  @Test
  void starMatchesEveryType() {
    assertTrue(running(props(TYPE, "*")).matchesType("anything"));
    assertTrue(running(props(TYPE, new String[] {"PV", "*"})).matchesType("anything"));
  }

  @Test
  void runningStateListenerWithoutTypeIsRefusedWithAMessageThatSaysWhatToSet() {
    for (Map<String, Object> p :
        List.of(props(), props(TYPE, ""), props(TYPE, new String[0]), props(TYPE, List.of(" ")))) {
      String message = refusal(p);
      assertTrue(message.contains("service 42"), message);
      assertTrue(message.contains("set dispatch.type"), message);
      assertTrue(message.contains("*"), message);
    }
  }

  @Test
  void typeOfAnotherKindIsRefused() {
    String message = refusal(props(TYPE, 5));
    assertTrue(message.contains("service 42"), message);
    assertTrue(
        message.contains("dispatch.type must be a String or String[], got 5 (Integer)"), message);
  }

  @Test
  void lifecycleListenerWithoutTypeGetsEveryType() {
    ListenerProperties p = ListenerProperties.ofLifecycleListener(42, props());
    assertTrue(p.matchesType("anything"));
    assertTrue(p.matchesMicrogrid(123));
  }

  @Test
  void lifecycleListenerIgnoresMerge() {
    ListenerProperties p = ListenerProperties.ofLifecycleListener(42, props(MERGE, "nonsense"));
    assertEquals(MergeMode.NONE, p.merge());
  }

  @Test
  void microgridIdAbsentMeansEveryMicrogrid() {
    assertTrue(running(props(TYPE, "*")).matchesMicrogrid(99));
  }

  @Test
  void microgridIdAcceptsLongIntegerStringArraysAndCollections() {
    for (Object value :
        List.of(
            7L,
            7,
            "7",
            " 7 ",
            new Long[] {7L, 8L},
            new long[] {7, 8},
            new int[] {7},
            new String[] {"7"},
            List.of(7L, 9),
            Set.of("7"))) {
      ListenerProperties p = running(props(TYPE, "*", MICROGRID, value));
      assertTrue(p.matchesMicrogrid(7), "value " + value);
      assertFalse(p.matchesMicrogrid(6), "value " + value);
    }
  }

  @Test
  void malformedMicrogridIdIsRefused() {
    for (Object value :
        List.of(
            "seven",
            7.0,
            0L,
            -3,
            new Long[0],
            List.of(),
            new Object[] {7L, "x"},
            new Object[] {null})) {
      String message = refusal(props(TYPE, "*", MICROGRID, value));
      assertTrue(message.contains("service 42"), message);
      assertTrue(message.contains("dispatch.microgrid.id"), message);
    }
    assertTrue(refusal(props(TYPE, "*", MICROGRID, "seven")).contains("invalid value \"seven\""));
  }

  @Test
  void mergeAcceptsTypeAndTypePlusTargetOnly() {
    assertEquals(MergeMode.NONE, running(props(TYPE, "*")).merge());
    assertEquals(MergeMode.TYPE, running(props(TYPE, "*", MERGE, "type")).merge());
    assertEquals(
        MergeMode.TYPE_AND_TARGET, running(props(TYPE, "*", MERGE, "type+target")).merge());
    for (Object value : List.of("target", "", "TYPE", "type,target", 1, new String[] {"type"})) {
      String message = refusal(props(TYPE, "*", MERGE, value));
      assertTrue(message.contains("service 42"), message);
      assertTrue(message.contains("dispatch.merge"), message);
      assertTrue(message.contains("type or type+target"), message);
    }
  }

  @Test
  void equalPropertiesAreEqual() {
    assertEquals(
        running(props(TYPE, new String[] {"A", "B"}, MICROGRID, 7L)),
        running(props(TYPE, List.of("B", "A"), MICROGRID, "7")));
    assertFalse(running(props(TYPE, "A")).equals(running(props(TYPE, "A", MERGE, "type"))));
  }
}
