package io.microgrid.dispatch.scheduler.internal.delivery;

import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.T0;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.dispatch;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.props;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.RecordingListener;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which events concern a lifecycle listener registration: its filter. */
class LifecycleListenerRegistrationTest {
  private final TestEndpoints endpoints = new TestEndpoints("lifecycle-registration-test-");

  @AfterEach
  void close() {
    endpoints.close();
  }

  private LifecycleListenerRegistration started(
      long serviceId, Map<String, ?> properties, RecordingListener listener) {
    LifecycleListenerRegistration r = new LifecycleListenerRegistration(serviceId, listener);
    r.properties(ListenerProperties.ofLifecycleListener(serviceId, properties));
    r.start(endpoints.start(serviceId, r.name()));
    return r;
  }

  @Test
  void withoutATypeItConcernsEveryTypeOfItsMicrogrids() {
    LifecycleListenerRegistration r =
        started(1, props(RunningStateListener.MICROGRID_ID, 7L), new RecordingListener());
    TargetComponents t = TargetComponents.ids(1);

    assertTrue(r.concerns(dispatch(1, 7, "A", t)));
    assertTrue(r.concerns(dispatch(2, 7, "Z", t)));
    assertFalse(r.concerns(dispatch(3, 8, "A", t)), "another microgrid");
  }

  @Test
  void itConcernsTheDispatchAsTheEventCarriesIt() throws Exception {
    RecordingListener listener = new RecordingListener();
    LifecycleListenerRegistration r = started(2, type("B"), listener);
    // An update that moved dispatch 1 from type A to B is the B listeners' event.
    DispatchEvent moved = new DispatchEvent.Updated(dispatch(1, "B"));

    assertTrue(r.concerns(moved.dispatch()));
    assertFalse(r.concerns(dispatch(1, "A")));
    r.dispatchEvent(moved, "updated", T0);
    assertEquals(List.of("Updated 1"), listener.take(1));
  }

  @Test
  void aRegistrationNotStartedOrStoppedConcernsNothing() {
    RecordingListener listener = new RecordingListener();
    LifecycleListenerRegistration silenced = new LifecycleListenerRegistration(3, listener);
    silenced.properties(ListenerProperties.ofLifecycleListener(3, type("*")));
    assertFalse(silenced.concerns(dispatch(1, "A")), "valid properties, but no endpoint started");

    LifecycleListenerRegistration r = started(4, type("*"), listener);
    assertTrue(r.concerns(dispatch(1, "A")));
    r.stop();
    assertFalse(r.concerns(dispatch(1, "A")));
  }
}
