package io.microgrid.dispatch.scheduler.internal.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.TargetComponents;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/** What an EventAdmin handler receives for each notification. */
class EventAdminBridgeTest {
  private static final Instant T = Instant.parse("2024-01-01T10:00:00Z");

  /** Keeps what is posted; EventAdmin's own delivery is not under test here. */
  private static final class PostedEvents implements EventAdmin {
    final List<Event> events = new ArrayList<>();

    @Override
    public void postEvent(Event event) {
      events.add(event);
    }

    @Override
    public void sendEvent(Event event) {
      throw new AssertionError("events are posted asynchronously, never sent");
    }
  }

  private final PostedEvents admin = new PostedEvents();
  private final EventAdminBridge bridge =
      new EventAdminBridge(admin, Clock.fixed(T.plusSeconds(5), ZoneOffset.UTC));

  private static Dispatch dispatch() {
    return new Dispatch(
        7, 3, "CHARGE", T, Optional.of(Duration.ofMinutes(15)), TargetComponents.ids(4, 2), true,
        true, Payload.of(Map.of("power", 5)), Optional.empty(), T.minusSeconds(60),
        T.minusSeconds(60), Optional.empty());
  }

  @Test
  void aRunningStateChangeIsPostedUnderItsStateWithTheDispatchFields() {
    bridge.onRunningStateChange(
        new RunningStateChange(
            dispatch(), RunningState.RUNNING, T, Optional.of(T.plusSeconds(900)), List.of(T.minusSeconds(3600))));
    Event e = admin.events.get(0);
    assertEquals("io/microgrid/dispatch/RUNNING", e.getTopic());
    assertEquals(7L, e.getProperty("dispatch.id"));
    assertEquals(3L, e.getProperty("microgrid.id"));
    assertEquals("CHARGE", e.getProperty("dispatch.type"));
    assertEquals("RUNNING", e.getProperty("state"));
    assertEquals("2024-01-01T10:00:00Z", e.getProperty("at"));
    assertEquals("2024-01-01T10:15:00Z", e.getProperty("until"));
    assertEquals(true, e.getProperty("dry.run"));
    assertEquals(900L, e.getProperty("duration.seconds"));
    assertEquals("ids:[2, 4]", e.getProperty("target"));
    assertEquals("{\"power\":5}", e.getProperty("payload"));
    assertArrayEquals(new String[] {"2024-01-01T09:00:00Z"}, (String[]) e.getProperty("missed.runs"));
  }

  @Test
  void lifecycleEventsArePostedUnderTheirKindAtTheirArrival() {
    bridge.onDispatchEvent(new DispatchEvent.Created(dispatch()));
    bridge.onDispatchEvent(new DispatchEvent.Updated(dispatch()));
    bridge.onDispatchEvent(new DispatchEvent.Deleted(dispatch()));
    assertEquals(
        List.of("io/microgrid/dispatch/CREATED", "io/microgrid/dispatch/UPDATED", "io/microgrid/dispatch/DELETED"),
        admin.events.stream().map(Event::getTopic).toList());
    assertEquals("2024-01-01T10:00:05Z", admin.events.get(0).getProperty("at"));
  }
}
