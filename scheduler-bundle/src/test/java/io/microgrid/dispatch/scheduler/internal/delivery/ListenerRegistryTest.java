package io.microgrid.dispatch.scheduler.internal.delivery;

import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.MICROGRID;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.T0;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.dispatch;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.props;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.running;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.RecordingListener;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The registry alone, without a hub: what a registration keeps across property changes and
 * removals. The test thread plays the scheduler thread; a registration is handed a transition
 * directly, as the hub's fan-out would, to prove by the next notification that nothing else was
 * told.
 */
class ListenerRegistryTest {
  private final TestEndpoints endpoints = new TestEndpoints("registry-test-");
  private final ListenerRegistry registry =
      new ListenerRegistry(MICROGRID, Clock.fixed(T0, ZoneOffset.UTC), endpoints);

  @AfterEach
  void close() {
    registry.close();
    endpoints.close();
  }

  @Test
  void aModifiedRegistrationKeepsItsMergeStateAndEndpointWhenOnlyUnrelatedPropertiesChange()
      throws Exception {
    RecordingListener listener = new RecordingListener();
    List<RunningStateChange> runningNow = List.of(running(dispatch(1, "A"), T0));
    assertTrue(
        registry.addRunningStateListener(
            10, props(RunningStateListener.TYPE, "A", "service.ranking", 1), listener, runningNow));
    assertEquals(List.of("RUNNING 1"), listener.take(1));
    RunningListenerRegistration r = registry.runningStateListener(10).orElseThrow();
    ListenerEndpoint endpoint = r.endpoint();
    MergeState state = r.state();

    assertTrue(
        registry.modifiedRunningStateListener(
            10,
            props(RunningStateListener.TYPE, "A", "service.ranking", 5, "component.name", "pump"),
            runningNow));

    assertSame(r, registry.runningStateListener(10).orElseThrow(), "the same tracked object");
    assertSame(endpoint, r.endpoint(), "its queue and thread stay");
    assertSame(state, r.state(), "what it was told stays");
    assertEquals(Set.of(1L), state.toldRunning());
    // Not told again of 1: the next thing it hears is the marker.
    r.runningStateChanged(running(dispatch(2, "A"), T0));
    assertEquals(List.of("RUNNING 2"), listener.untilMarker(2));
  }

  @Test
  void propertiesThatBecomeInvalidStopTheRegistrationAndValidOnesStartItAfresh() throws Exception {
    RecordingListener listener = new RecordingListener();
    List<RunningStateChange> runningNow = List.of(running(dispatch(1, "A"), T0));
    assertTrue(registry.addRunningStateListener(11, type("A"), listener, runningNow));
    assertEquals(List.of("RUNNING 1"), listener.take(1));
    RunningListenerRegistration r = registry.runningStateListener(11).orElseThrow();
    ListenerEndpoint first = r.endpoint();

    assertFalse(registry.modifiedRunningStateListener(11, props(), runningNow));
    assertNull(r.endpoint(), "stopped while its properties are invalid");
    assertFalse(r.concerns(dispatch(1, "A")));
    assertEquals(Optional.empty(), registry.runningStateListenerCounters(11));

    assertTrue(registry.modifiedRunningStateListener(11, type("A"), runningNow));
    assertSame(r, registry.runningStateListener(11).orElseThrow(), "still the same registration");
    assertNotNull(r.endpoint());
    assertNotSame(first, r.endpoint(), "a new queue and thread");
    // What it was told was forgotten with the stop, so it is caught up like a new listener.
    assertEquals(List.of("RUNNING 1"), listener.untilMarker(1));
  }

  @Test
  void aRemovalThatRemembersKeepsWhatTheListenerWasToldUnderItsKey() throws Exception {
    RunningStateChange one = running(dispatch(1, "A"), T0);
    RecordingListener pump = new RecordingListener();
    RecordingListener fan = new RecordingListener();
    registry.remember(Map.of());
    assertTrue(registry.addRunningStateListener(12, type("A"), pump, "pump", List.of(one)));
    assertTrue(registry.addRunningStateListener(13, type("A"), fan, "fan", List.of(one)));
    assertEquals(List.of("RUNNING 1"), pump.take(1));
    assertEquals(List.of("RUNNING 1"), fan.take(1));
    assertEquals(Map.of("pump", List.of(one), "fan", List.of(one)), registry.memories());

    registry.removeRunningStateListener(12, true);
    registry.removeRunningStateListener(13);

    assertEquals(Optional.empty(), registry.runningStateListener(12));
    assertEquals(
        Map.of("pump", List.of(one)),
        registry.memories(),
        "the framework's stop keeps it for the persisted schedule; a plain removal does not");
  }
}
