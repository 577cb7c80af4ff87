package io.microgrid.dispatch.itest;

import static io.microgrid.dispatch.itest.SchedulerFixture.assertNotEarly;
import static io.microgrid.dispatch.itest.SchedulerFixture.end;
import static io.microgrid.dispatch.itest.SchedulerFixture.serviceId;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.microgrid.dispatch.api.DeliveryReport;
import io.microgrid.dispatch.api.DeliveryReport.Outcome;
import io.microgrid.dispatch.api.DeliveryReportListener;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.itest.RecordingListener.Call;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The scheduler bundle as a device bundle sees it, in a real Felix against the simulator bundle (a
 * real gRPC Dispatch API server) running in the same framework, as on a gateway: configured through
 * ConfigAdmin (one factory configuration per microgrid), it calls the whiteboard listeners that the
 * test registers when the dispatches created through the DispatchClient service start and stop, on
 * the system clock. What needs a server that fails on purpose is in {@link SchedulerStreamFaultsTest}.
 *
 * <p>Each test has its own configurations, microgrid ids and dispatch type, and removes them all
 * afterwards, so no test sees another one's dispatches or listeners.
 */
class SchedulerTest {
  private static final Duration TIMEOUT = SchedulerFixture.TIMEOUT;
  private static final Duration ONE_SECOND = Duration.ofSeconds(1);

  @InjectBundleContext BundleContext context;
  @InjectService ConfigurationAdmin configAdmin;
  @InjectService ServiceComponentRuntime scr;

  private SimulatorConfiguration simulator;
  private SchedulerFixture fixture;
  /** Listeners that block until the test is over wait on this. */
  private final CountDownLatch testOver = new CountDownLatch(1);

  @BeforeEach
  void startSimulatorAndClient() throws Exception {
    simulator = SimulatorConfiguration.create(configAdmin);
    fixture = new SchedulerFixture(context, configAdmin);
    fixture.connectClient(simulator.port());
  }

  @AfterEach
  void removeEverything() throws Exception {
    testOver.countDown();
    fixture.close();
    simulator.close();
  }

  // ---- 1 ----------------------------------------------------------------------------------------

  @Test
  void aListenerIsToldRunningAtTheStartAndStoppedAtTheEndNeverEarly() throws Exception {
    long microgrid = 101;
    String type = "ITEST_ON_TIME";
    configureScheduler("on-time", microgrid);
    RecordingListener device = new RecordingListener("the device's listener");
    registerRunningStateListener(device, type, null);

    Dispatch dispatch = createDispatch(microgrid, type, Duration.ofMillis(1500), ONE_SECOND);

    Call running = device.next(TIMEOUT);
    assertEquals(dispatch.id(), running.dispatchId());
    assertEquals(RunningState.RUNNING, running.state());
    assertEquals(dispatch.startTime(), running.at(), "RUNNING at the dispatch's start");
    assertEquals(Optional.of(end(dispatch)), running.change().until());
    assertNotEarly(running);

    Call stopped = device.next(TIMEOUT);
    assertEquals(dispatch.id(), stopped.dispatchId());
    assertEquals(RunningState.STOPPED, stopped.state());
    assertEquals(end(dispatch), stopped.at(), "STOPPED at start + duration");
    assertNotEarly(stopped);
  }

  // ---- 2 ----------------------------------------------------------------------------------------

  @Test
  void aThrowingAndAHangingListenerDoNotDelayAnotherAndEveryOutcomeIsReported() throws Exception {
    long microgrid = 102;
    String type = "ITEST_ISOLATION";
    // The hanging listener must not be timed out (or denied) while the test watches it.
    configureScheduler("isolation", microgrid, Map.of("listener.timeout.ms", 10_000L));
    BlockingQueue<DeliveryReport> reports = new LinkedBlockingQueue<>();
    register(DeliveryReportListener.class, reports::add, Map.of());

    RunningStateListener throwing =
        change -> {
          throw new IllegalStateException("device offline (thrown by the test)");
        };
    BlockingQueue<Instant> hangingCalled = new LinkedBlockingQueue<>();
    AtomicBoolean hangingReturned = new AtomicBoolean();
    RunningStateListener hanging =
        change -> {
          hangingCalled.add(Instant.now());
          try {
            testOver.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            hangingReturned.set(true);
          }
        };
    RecordingListener third = new RecordingListener("the well-behaved listener");
    long throwingId = serviceId(registerRunningStateListener(throwing, type, null));
    registerRunningStateListener(hanging, type, null);
    long thirdId = serviceId(registerRunningStateListener(third, type, null));

    Dispatch dispatch = createDispatch(microgrid, type, Duration.ofMillis(1500), ONE_SECOND);

    assertNotNull(
        hangingCalled.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS), "the hanging listener was not called");
    Call running = third.next(TIMEOUT);
    assertEquals(dispatch.id(), running.dispatchId());
    assertEquals(RunningState.RUNNING, running.state());
    assertEquals(dispatch.startTime(), running.at());
    assertNotEarly(running);
    assertTrue(
        running.latency().compareTo(Duration.ofSeconds(2)) < 0,
        "the well-behaved listener was called " + running.latency().toMillis() + " ms late");
    assertFalse(hangingReturned.get(), "the hanging listener is still blocked");

    DeliveryReport failed = awaitRunningReport(reports, throwingId, dispatch);
    assertEquals(Outcome.FAILED, failed.outcome());
    assertEquals(Optional.of(RunningState.RUNNING), failed.state());
    assertTrue(
        failed.failure().orElse("").contains("device offline"),
        "the report says what the listener threw: " + failed.failure());

    DeliveryReport delivered = awaitRunningReport(reports, thirdId, dispatch);
    assertEquals(Outcome.DELIVERED, delivered.outcome());
    assertEquals(Optional.of(RunningState.RUNNING), delivered.state());
    assertEquals(dispatch.startTime(), delivered.due());
    assertEquals(microgrid, delivered.microgridId());
    assertFalse(hangingReturned.get(), "the hanging listener is still blocked");
  }

  // ---- EventAdmin --------------------------------------------------------------------------------

  @Test
  void anEventAdminHandlerIsToldOfTheCreationAndTheRunWithTheDispatchFields() throws Exception {
    long microgrid = 108;
    String type = "ITEST_EVENTADMIN";
    configureScheduler("eventadmin", microgrid);
    BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    register(
        EventHandler.class,
        events::add,
        Map.of(
            EventConstants.EVENT_TOPIC, "io/microgrid/dispatch/*",
            EventConstants.EVENT_FILTER, "(dispatch.type=" + type + ")"));

    Dispatch dispatch = createDispatch(microgrid, type, Duration.ofMillis(1500), ONE_SECOND);

    Event created = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(created, "no CREATED event");
    assertEquals("io/microgrid/dispatch/CREATED", created.getTopic());
    Event running = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(running, "no RUNNING event");
    assertEquals("io/microgrid/dispatch/RUNNING", running.getTopic());
    assertEquals(dispatch.id(), running.getProperty("dispatch.id"));
    assertEquals(microgrid, running.getProperty("microgrid.id"));
    assertEquals(dispatch.startTime().toString(), running.getProperty("at"));
    assertEquals(end(dispatch).toString(), running.getProperty("until"));
    Event stopped = events.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertNotNull(stopped, "no STOPPED event");
    assertEquals("io/microgrid/dispatch/STOPPED", stopped.getTopic());
  }

  // ---- 3 ----------------------------------------------------------------------------------------

  @Test
  void aListenerRegisteredWhileADispatchRunsIsToldRunningAtOnce() throws Exception {
    long microgrid = 103;
    String type = "ITEST_CATCH_UP";
    configureScheduler("catch-up", microgrid);
    RecordingListener early = new RecordingListener("the listener registered before the start");
    registerRunningStateListener(early, type, null);
    // Two seconds rather than one: the late listener must register while the dispatch still runs,
    // even on a machine that stalls for a moment.
    Dispatch dispatch = createDispatch(microgrid, type, Duration.ofMillis(1500), Duration.ofSeconds(2));
    Call started = early.next(TIMEOUT);
    assertEquals(RunningState.RUNNING, started.state(), "the dispatch runs");

    RecordingListener late = new RecordingListener("the listener registered while it runs");
    Instant registeredAt = Instant.now();
    registerRunningStateListener(late, type, null);

    Call catchUp = late.next(TIMEOUT);
    assertEquals(dispatch.id(), catchUp.dispatchId());
    assertEquals(RunningState.RUNNING, catchUp.state());
    assertEquals(Optional.of(end(dispatch)), catchUp.change().until(), "told until when it runs");
    Duration afterRegistration = Duration.between(registeredAt, catchUp.calledAt());
    assertTrue(
        afterRegistration.compareTo(ONE_SECOND) < 0,
        "catch-up came " + afterRegistration.toMillis() + " ms after the registration");
    assertTrue(catchUp.calledAt().isBefore(end(dispatch)), "told while the dispatch runs");
  }

  // ---- 4 ----------------------------------------------------------------------------------------

  @Test
  void twoFactoryConfigurationsServeTwoMicrogridsAndListenersGetOnlyTheirOwn() throws Exception {
    long a = 104;
    long b = 105;
    String type = "ITEST_TWO_MICROGRIDS";
    configureScheduler("microgrid-a", a);
    configureScheduler("microgrid-b", b);
    RecordingListener onlyA = new RecordingListener("the listener of microgrid A");
    RecordingListener onlyB = new RecordingListener("the listener of microgrid B");
    RecordingListener both = new RecordingListener("the listener of every microgrid");
    registerRunningStateListener(onlyA, type, a);
    registerRunningStateListener(onlyB, type, b);
    registerRunningStateListener(both, type, null);

    // B runs for 2 s, A from 1 s after B's start for 2 s: a whole second between any two
    // transitions (starts are whole seconds on the server), and A's STOPPED comes last, when
    // anything about B would have reached A's listener long ago.
    Instant bStarts = SchedulerFixture.wholeSecondIn(Duration.ofMillis(1500));
    Dispatch inB = fixture.createDispatch(b, type, bStarts, Duration.ofSeconds(2));
    Dispatch inA = fixture.createDispatch(a, type, bStarts.plusSeconds(1), Duration.ofSeconds(2));

    // The listener without dispatch.microgrid.id hears both runs; the last event is A's STOPPED.
    List<Call> all = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      all.add(both.next(TIMEOUT));
    }
    assertEquals(
        List.of(
            "RUNNING " + b + "/" + inB.id(),
            "RUNNING " + a + "/" + inA.id(),
            "STOPPED " + b + "/" + inB.id(),
            "STOPPED " + a + "/" + inA.id()),
        describe(all));

    assertEquals(
        List.of("RUNNING " + a + "/" + inA.id(), "STOPPED " + a + "/" + inA.id()),
        describe(nextTwoAndTheRest(onlyA)),
        "the listener of microgrid A hears only A's dispatch");
    // A leaked RUNNING of A would have reached B's listener a second before A's STOPPED reached
    // the listener of every microgrid.
    assertEquals(
        List.of("RUNNING " + b + "/" + inB.id(), "STOPPED " + b + "/" + inB.id()),
        describe(nextTwoAndTheRest(onlyB)),
        "the listener of microgrid B hears only B's dispatch");
  }

  @Test
  void deletingTheSchedulerConfigurationTellsStoppedToItsRunningListeners() throws Exception {
    long microgrid = 106;
    String type = "ITEST_CONFIGURATION_DELETED";
    configureScheduler("deleted", microgrid);
    RecordingListener device = new RecordingListener("the device's listener");
    registerRunningStateListener(device, type, null);
    Dispatch dispatch = createDispatch(microgrid, type, Duration.ofMillis(1500), Duration.ofHours(1));
    assertEquals(RunningState.RUNNING, device.next(TIMEOUT).state(), "the dispatch runs");

    Instant deletedAt = Instant.now();
    fixture.deleteScheduler("deleted");

    // Semantics §9: nothing else would ever stop it; the hour has not passed.
    Call stopped = device.next(TIMEOUT);
    assertEquals(dispatch.id(), stopped.dispatchId());
    assertEquals(RunningState.STOPPED, stopped.state());
    assertFalse(stopped.at().isBefore(deletedAt.minusSeconds(1)), "at the deletion, not at its end");
  }

  // ---- listeners that call back into the client ------------------------------------------------

  @Test
  void aListenerThatCallsTheClientInsideItsCallbackGetsAnswersAndOthersAreUnaffected()
      throws Exception {
    long microgrid = 107;
    String type = "ITEST_REENTRANT";
    configureScheduler("reentrant", microgrid);
    BlockingQueue<Object> answers = new LinkedBlockingQueue<>();
    AtomicBoolean once = new AtomicBoolean();
    RunningStateListener reentrant =
        change -> {
          // Only the first RUNNING: the update below makes the scheduler send RUNNING again
          // with the new end, which must not start another round.
          if (change.state() != RunningState.RUNNING || !once.compareAndSet(false, true)) {
            return;
          }
          // Inside the callback: a read, an update that makes the stream send an event back,
          // and a list, all through the same client the scheduler streams from.
          try {
            answers.add(fixture.client().get(microgrid, change.dispatch().id()));
            answers.add(
                fixture.client().update(
                    microgrid,
                    change.dispatch().id(),
                    DispatchUpdate.builder().duration(Duration.ofSeconds(2)).build()));
            answers.add(fixture.client().list(microgrid, DispatchQuery.ALL).map(Dispatch::id).toList());
          } catch (RuntimeException e) {
            answers.add(e);
          }
        };
    RecordingListener other = new RecordingListener("the other listener");
    registerRunningStateListener(reentrant, type, null);
    registerRunningStateListener(other, type, null);

    // Five seconds, shortened to two from inside the callback: STOPPED at start + 2 s proves the
    // update came back through the stream and was applied.
    Dispatch dispatch = createDispatch(microgrid, type, Duration.ofMillis(1500), Duration.ofSeconds(5));

    Object got = answers.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertEquals(dispatch, got, "get inside the callback answered");
    Object updated = answers.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertTrue(updated instanceof Dispatch, "update inside the callback answered: " + updated);
    assertEquals(Optional.of(Duration.ofSeconds(2)), ((Dispatch) updated).duration());
    // The list also holds the probe dispatch the fixture created to see the scheduler in sync.
    Object listed = answers.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    assertTrue(
        listed instanceof List<?> ids && ids.contains(dispatch.id()), "list answered: " + listed);

    Call running = other.next(TIMEOUT);
    assertEquals(RunningState.RUNNING, running.state());
    assertEquals(dispatch.startTime(), running.at());
    Call next = other.next(TIMEOUT);
    // The update arrives while the dispatch runs: RUNNING again with the new end, then STOPPED.
    while (next.state() == RunningState.RUNNING) {
      assertEquals(Optional.of(dispatch.startTime().plusSeconds(2)), next.change().until());
      next = other.next(TIMEOUT);
    }
    Call stopped = next;
    assertEquals(RunningState.STOPPED, stopped.state());
    assertEquals(dispatch.startTime().plusSeconds(2), stopped.at(), "the new duration was applied");
  }

  @Test
  void aMicrogridIdThatIsNotPositiveFailsTheSchedulerWithALineThatSaysWhatToSet()
      throws Exception {
    fixture.configureScheduler("negative", -3L, Map.of());

    String failure =
        Services.awaitFailedActivation(scr, SchedulerFixture.SCHEDULER_PID, TIMEOUT);
    assertTrue(failure.contains("microgrid.id"), failure);
    assertTrue(failure.contains("> 0"), "says what a valid value is: " + failure);
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private void configureScheduler(String name, long microgridId) throws Exception {
    configureScheduler(name, microgridId, Map.of());
  }

  /** Creates a scheduler factory configuration and waits until it follows the simulator. */
  private void configureScheduler(String name, long microgridId, Map<String, Object> more)
      throws Exception {
    fixture.configureScheduler(name, microgridId, more);
    fixture.awaitInSync(microgridId);
  }

  private <S> ServiceRegistration<S> register(Class<S> type, S service, Map<String, Object> props) {
    return fixture.register(type, service, props);
  }

  private ServiceRegistration<RunningStateListener> registerRunningStateListener(
      RunningStateListener listener, String type, Long microgridId) {
    return fixture.registerRunningStateListener(listener, type, microgridId);
  }

  private Dispatch createDispatch(long microgridId, String type, Duration startsIn, Duration duration) {
    return fixture.createDispatch(microgridId, type, startsIn, duration);
  }

  /** Waits for the report of the RUNNING delivery of a dispatch to one listener. */
  private static DeliveryReport awaitRunningReport(
      BlockingQueue<DeliveryReport> reports, long serviceId, Dispatch dispatch)
      throws InterruptedException {
    List<DeliveryReport> others = new ArrayList<>();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      DeliveryReport report = reports.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      if (report == null) {
        fail("no report on the RUNNING of dispatch " + dispatch.id() + " to listener service "
            + serviceId + " within " + TIMEOUT + "; other reports: " + others);
      }
      if (report.serviceId() == serviceId
          && report.dispatchId() == dispatch.id()
          && report.state().equals(Optional.of(RunningState.RUNNING))) {
        // Reports not taken here stay for the next call.
        others.forEach(reports::add);
        return report;
      }
      others.add(report);
    }
  }

  /** The next two notifications, waited for, and whatever else has arrived. */
  private static List<Call> nextTwoAndTheRest(RecordingListener listener) throws InterruptedException {
    List<Call> calls = new ArrayList<>();
    calls.add(listener.next(TIMEOUT));
    calls.add(listener.next(TIMEOUT));
    calls.addAll(listener.rest());
    return calls;
  }

  private static List<String> describe(List<Call> calls) {
    return calls.stream()
        .map(c -> c.state() + " " + c.change().dispatch().microgridId() + "/" + c.dispatchId())
        .toList();
  }
}
