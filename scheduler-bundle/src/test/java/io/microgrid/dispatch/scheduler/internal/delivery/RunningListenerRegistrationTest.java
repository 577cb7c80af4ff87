package io.microgrid.dispatch.scheduler.internal.delivery;

import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.T0;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.dispatch;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.props;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.running;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.RecordingListener;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Which transitions concern a running-state listener registration: its filter. */
class RunningListenerRegistrationTest {
  private final TestEndpoints endpoints = new TestEndpoints("running-registration-test-");

  @AfterEach
  void close() {
    endpoints.close();
  }

  private RunningListenerRegistration started(
      long serviceId, Map<String, ?> properties, RecordingListener listener) {
    RunningListenerRegistration r = new RunningListenerRegistration(serviceId, listener, null);
    r.start(
        ListenerProperties.ofRunningStateListener(serviceId, properties),
        endpoints.start(serviceId, r.name()));
    return r;
  }

  @Test
  void itConcernsTheDispatchesOfItsTypesAndMicrogrids() {
    RunningListenerRegistration r =
        started(
            1,
            props(
                RunningStateListener.TYPE,
                new String[] {"A", "B"},
                RunningStateListener.MICROGRID_ID,
                7L),
            new RecordingListener());
    TargetComponents t = TargetComponents.ids(1);

    assertTrue(r.concerns(dispatch(1, 7, "A", t)));
    assertTrue(r.concerns(dispatch(2, 7, "B", t)));
    assertFalse(r.concerns(dispatch(3, 7, "C", t)), "another type");
    assertFalse(r.concerns(dispatch(4, 8, "A", t)), "another microgrid");
  }

  @Test
  void aDispatchItWasToldRunsConcernsItUntilItHearsItStopped() throws Exception {
    RecordingListener listener = new RecordingListener();
    RunningListenerRegistration r = started(2, type("A"), listener);
    r.runningStateChanged(running(dispatch(1, "A"), T0));

    assertTrue(r.concerns(dispatch(1, "B")), "moved to a type it does not handle: it must stop");
    assertFalse(r.concerns(dispatch(2, "B")), "a dispatch of that type it was never told of");
    r.runningStateChanged(running(dispatch(1, "B"), T0.plusSeconds(60)));
    assertEquals(List.of("RUNNING 1", "STOPPED 1"), listener.take(2));
    assertFalse(r.concerns(dispatch(1, "B")), "told STOPPED: no longer its concern");
  }

  @Test
  void aRegistrationNotStartedOrStoppedConcernsNothing() {
    RecordingListener listener = new RecordingListener();
    RunningListenerRegistration invalid = new RunningListenerRegistration(3, listener, null);
    assertFalse(invalid.concerns(dispatch(1, "A")), "its properties were never valid");

    RunningListenerRegistration r = started(4, type("*"), listener);
    assertTrue(r.concerns(dispatch(1, "A")));
    r.stop();
    assertFalse(r.concerns(dispatch(1, "A")));
  }
}
