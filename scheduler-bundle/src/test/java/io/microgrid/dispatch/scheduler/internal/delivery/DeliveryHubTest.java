package io.microgrid.dispatch.scheduler.internal.delivery;

import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.MICROGRID;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.T0;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.WAIT_SECONDS;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.dispatch;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.props;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.running;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.stopped;
import static io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.type;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.DeliveryReport;
import io.microgrid.dispatch.api.DeliveryReport.Outcome;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.RecordingListener;
import io.microgrid.dispatch.scheduler.internal.delivery.Fixtures.ReportRecorder;
import io.microgrid.dispatch.testing.VirtualClock;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Delivery to listeners through the hub, with real threads (semantics §7 and §8). The test thread
 * plays the scheduler thread. Nothing sleeps: absence is proven by a later notification to the same
 * listener (each listener sees its notifications in order), waits are bounded.
 */
class DeliveryHubTest {
  private static final ListenerSettings PATIENT = new ListenerSettings(Duration.ofSeconds(30), 3);
  private static final AtomicInteger HUBS = new AtomicInteger();

  private final List<RunningStateChange> runningNow = new CopyOnWriteArrayList<>();
  private final ReportRecorder reports = new ReportRecorder();
  private final List<HangingListener> hanging = new ArrayList<>();
  private DeliveryHub hub;
  private String prefix;

  private DeliveryHub hub(Clock clock, ListenerSettings settings) {
    return hub(clock, settings, "t" + HUBS.incrementAndGet() + "-");
  }

  private DeliveryHub hub(Clock clock, ListenerSettings settings, String threadPrefix) {
    return hub(clock, System::nanoTime, settings, threadPrefix);
  }

  private DeliveryHub hub(
      Clock clock, java.util.function.LongSupplier ticker, ListenerSettings settings, String threadPrefix) {
    prefix = threadPrefix;
    hub = new DeliveryHub(MICROGRID, settings, clock, ticker, threadPrefix);
    hub.addDeliveryReportListener(1, reports);
    return hub;
  }

  /** What the scheduler hands the hub with a registration: the dispatches running now. */
  private List<RunningStateChange> runningNow() {
    return List.copyOf(runningNow);
  }

  /**
   * Plays the scheduler core: keeps the list of running dispatches (used for catch-up) in step with
   * the transitions, then tells the hub.
   */
  private void transition(RunningStateChange change) {
    runningNow.removeIf(c -> c.dispatch().id() == change.dispatch().id());
    if (change.state() == RunningState.RUNNING) {
      runningNow.add(change);
    }
    hub.runningStateChanged(change);
  }

  @AfterEach
  void close() {
    hanging.forEach(h -> h.release.countDown());
    if (hub != null) {
      hub.close();
    }
  }

  /** Blocks in its first call until released, then records like any listener. */
  final class HangingListener extends RecordingListener {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicBoolean returned = new AtomicBoolean();
    final AtomicInteger calls = new AtomicInteger();

    HangingListener() {
      hanging.add(this);
    }

    @Override
    public void onRunningStateChange(RunningStateChange change) {
      if (calls.incrementAndGet() == 1) {
        entered.countDown();
        try {
          release.await(3 * WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        returned.set(true);
        return;
      }
      super.onRunningStateChange(change);
    }
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    assertTrue(latch.await(WAIT_SECONDS, TimeUnit.SECONDS), what);
  }

  private static String describe(DeliveryReport r) {
    return r.kind()
        + " "
        + r.dispatchId()
        + r.state().map(s -> " " + s).orElse("")
        + " "
        + r.outcome();
  }

  private static Optional<Thread> thread(String name) {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().equals(name))
        .findFirst();
  }

  // ---- filtering and order ----

  @Test
  void runningStateListenersAreFilteredByTypeAndMicrogrid() throws Exception {
    hub(Clock.systemUTC(), PATIENT);
    RecordingListener onlyA = new RecordingListener();
    RecordingListener every7 = new RecordingListener();
    RecordingListener every8 = new RecordingListener();
    RecordingListener aOrB7 = new RecordingListener();
    hub.listeners().addRunningStateListener(10, type("A"), onlyA, runningNow());
    hub.listeners().addRunningStateListener(
        11, props(RunningStateListener.TYPE, "*", RunningStateListener.MICROGRID_ID, 7L), every7, runningNow());
    hub.listeners().addRunningStateListener(
        12,
        props(RunningStateListener.TYPE, "*", RunningStateListener.MICROGRID_ID, new Long[] {8L}),
        every8, runningNow());
    hub.listeners().addRunningStateListener(
        13,
        props(
            RunningStateListener.TYPE,
            new String[] {"A", "B"},
            RunningStateListener.MICROGRID_ID,
            7L),
        aOrB7, runningNow());

    TargetComponents t = TargetComponents.ids(1);
    transition(running(dispatch(1, 7, "A", t), T0));
    transition(running(dispatch(2, 7, "B", t), T0));
    transition(running(dispatch(3, 8, "B", t), T0));
    transition(running(dispatch(4, 7, "C", t), T0));
    transition(running(dispatch(100, 7, "A", t), T0)); // marker for microgrid 7
    transition(running(dispatch(101, 8, "Z", t), T0)); // marker for microgrid 8

    assertEquals(List.of("RUNNING 1", "RUNNING 100"), onlyA.untilMarker(100));
    assertEquals(
        List.of("RUNNING 1", "RUNNING 2", "RUNNING 4", "RUNNING 100"), every7.untilMarker(100));
    assertEquals(List.of("RUNNING 3", "RUNNING 101"), every8.untilMarker(101));
    assertEquals(List.of("RUNNING 1", "RUNNING 2", "RUNNING 100"), aOrB7.untilMarker(100));
  }

  @Test
  void lifecycleListenersAreFilteredByTypeAndMicrogrid() throws Exception {
    hub(Clock.systemUTC(), PATIENT);
    RecordingListener all = new RecordingListener();
    RecordingListener onlyA = new RecordingListener();
    RecordingListener only8 = new RecordingListener();
    assertTrue(hub.listeners().addLifecycleListener(20, props(), all));
    assertTrue(hub.listeners().addLifecycleListener(21, type("A"), onlyA));
    assertTrue(hub.listeners().addLifecycleListener(22, props(RunningStateListener.MICROGRID_ID, 8L), only8));

    TargetComponents t = TargetComponents.ids(1);
    hub.dispatchEvent(new DispatchEvent.Created(dispatch(1, 7, "A", t)), T0);
    hub.dispatchEvent(new DispatchEvent.Updated(dispatch(2, 7, "B", t)), T0);
    hub.dispatchEvent(new DispatchEvent.Deleted(dispatch(3, 8, "B", t)), T0);
    hub.dispatchEvent(new DispatchEvent.Created(dispatch(100, 8, "A", t)), T0); // marker for all

    assertEquals(
        List.of("Created 1", "Updated 2", "Deleted 3", "Created 100"), all.untilMarker(100));
    assertEquals(List.of("Created 1", "Created 100"), onlyA.untilMarker(100));
    assertEquals(List.of("Deleted 3", "Created 100"), only8.untilMarker(100));
  }

  @Test
  void eachListenerSeesItsNotificationsInOrder() throws Exception {
    hub(Clock.systemUTC(), PATIENT);
    RecordingListener first = new RecordingListener();
    RecordingListener second = new RecordingListener();
    hub.listeners().addRunningStateListener(10, type("*"), first, runningNow());
    hub.listeners().addRunningStateListener(11, type("*"), second, runningNow());
    List<String> sent = new ArrayList<>();
    for (long id = 1; id <= 200; id++) {
      transition(running(dispatch(id, "A"), T0));
      sent.add("RUNNING " + id);
    }
    for (long id = 200; id >= 2; id--) {
      transition(stopped(dispatch(id, "A"), T0));
      sent.add("STOPPED " + id);
    }
    transition(stopped(dispatch(1, "A"), T0));
    sent.add("STOPPED 1");
    assertEquals(sent, first.take(sent.size()));
    assertEquals(sent, second.take(sent.size()));
  }

  // ---- isolation, failures, timeouts ----

  @Test
  void throwingAndHangingListenersDoNotDelayAHealthyOne() throws Exception {
    hub(Clock.systemUTC(), PATIENT, DeliveryHub.DEFAULT_THREAD_PREFIX);
    HangingListener hangs = new HangingListener();
    AtomicInteger thrown = new AtomicInteger();
    RunningStateListener throwing =
        change -> {
          thrown.incrementAndGet();
          throw new IllegalStateException("boom " + change.dispatch().id());
        };
    AtomicReference<String> healthyThread = new AtomicReference<>();
    RecordingListener healthy =
        new RecordingListener() {
          @Override
          public void onRunningStateChange(RunningStateChange change) {
            healthyThread.set(Thread.currentThread().getName());
            super.onRunningStateChange(change);
          }
        };
    hub.listeners().addRunningStateListener(910, type("*"), hangs, runningNow());
    hub.listeners().addRunningStateListener(911, type("*"), throwing, runningNow());
    hub.listeners().addRunningStateListener(912, type("*"), healthy, runningNow());

    transition(running(dispatch(1, "A"), T0));
    await(hangs.entered, "the hanging listener was called");
    RunningStateChange got = healthy.nextChange();
    assertEquals(1, got.dispatch().id());
    assertFalse(
        hangs.returned.get(),
        "the healthy listener was called while the hanging one is still blocked");
    assertEquals("dispatch-listener-912", healthyThread.get());

    DeliveryReport failed = reports.next(911);
    assertEquals(Outcome.FAILED, failed.outcome());
    assertEquals(Optional.of("java.lang.IllegalStateException: boom 1"), failed.failure());

    // The throwing listener stays registered.
    transition(running(dispatch(2, "A"), T0));
    assertEquals(2, healthy.nextChange().dispatch().id());
    assertEquals(Outcome.FAILED, reports.next(911).outcome());
    assertEquals(2, thrown.get());
    assertEquals(2, hub.listeners().runningStateListenerCounters(911).orElseThrow().failed());
    assertFalse(hangs.returned.get());

    hangs.release.countDown();
    assertEquals(Outcome.DELIVERED, reports.next(910).outcome());
    assertEquals(2, hangs.nextChange().dispatch().id(), "then it gets the rest, in order");
  }

  @Test
  void aHangingListenerTimesOutIsDeniedAndIsCalledAgainWhenItsPropertiesChange() throws Exception {
    hub(Clock.systemUTC(), new ListenerSettings(Duration.ofMillis(150), 2));
    HangingListener hangs = new HangingListener();
    hub.listeners().addRunningStateListener(10, type("*"), hangs, runningNow());

    transition(running(dispatch(1, "A"), T0));
    await(hangs.entered, "called");
    transition(running(dispatch(2, "A"), T0)); // queued behind the stuck call

    // Two timeout periods of the stuck call deny it; the stuck call's delivery ends TIMED_OUT.
    DeliveryReport stuck = reports.next(10);
    assertEquals("running 1 RUNNING TIMED_OUT", describe(stuck));
    assertTrue(
        stuck.failure().orElseThrow().startsWith("still running after"),
        stuck.failure().orElseThrow());
    DeliveryReport queued = reports.next(10);
    assertEquals("running 2 RUNNING DENIED", describe(queued));
    assertTrue(queued.failure().orElseThrow().contains("denied after 2 timeouts in a row"));

    // Denied: reported at once, never called.
    transition(running(dispatch(3, "A"), T0));
    assertEquals("running 3 RUNNING DENIED", describe(reports.next(10)));
    assertEquals(1, hangs.calls.get());
    ListenerCounters denied = hub.listeners().runningStateListenerCounters(10).orElseThrow();
    assertEquals(new ListenerCounters(0, 0, 2, 2, 2, true), denied);

    // The stuck call returns: its delivery already ended, so no second report.
    hangs.release.countDown();
    assertTrue(hub.listeners().modifiedRunningStateListener(10, type("*"), runningNow()));
    assertFalse(hub.listeners().runningStateListenerCounters(10).orElseThrow().isDenied());
    transition(running(dispatch(4, "A"), T0));
    assertEquals(4, hangs.nextChange().dispatch().id());
    assertEquals("running 4 RUNNING DELIVERED", describe(reports.next(10)));
    assertEquals(List.of(), reports.drained(10));
    assertEquals(2, hangs.calls.get());
  }

  @Test
  void aLateReturnIsTimedOutAndAnInTimeReturnResetsTheTimeoutsInARow() throws Exception {
    VirtualClock clock = new VirtualClock(T0);
    // The timeout is long in real time, so the watchdog stays out of it: the test's ticker (the
    // monotonic time that measures calls) decides, and the wall clock moves with it.
    java.util.concurrent.atomic.AtomicLong ticks = new java.util.concurrent.atomic.AtomicLong();
    hub(clock, ticks::get, new ListenerSettings(Duration.ofSeconds(10), 2), "t" + HUBS.incrementAndGet() + "-");
    Set<Long> slow = Set.of(1L, 3L, 4L);
    RecordingListener listener =
        new RecordingListener() {
          @Override
          public void onRunningStateChange(RunningStateChange change) {
            if (slow.contains(change.dispatch().id())) {
              ticks.addAndGet(Duration.ofSeconds(20).toNanos());
              clock.advance(Duration.ofSeconds(20));
            }
            super.onRunningStateChange(change);
          }
        };
    hub.listeners().addRunningStateListener(20, type("*"), listener, runningNow());
    for (long id = 1; id <= 5; id++) {
      transition(running(dispatch(id, "A"), T0));
    }

    DeliveryReport r1 = reports.next(20);
    assertEquals("running 1 RUNNING TIMED_OUT", describe(r1));
    assertEquals(Optional.of("returned after 20000 ms, timeout 10000 ms"), r1.failure());
    assertEquals(T0, r1.due());
    assertEquals(Duration.ofSeconds(20), r1.latency());
    assertEquals(MICROGRID, r1.microgridId());
    assertTrue(r1.listener().contains("service 20"), r1.listener());

    DeliveryReport r2 = reports.next(20);
    assertEquals("running 2 RUNNING DELIVERED", describe(r2));
    assertEquals(Optional.empty(), r2.failure());
    assertEquals(
        "running 3 RUNNING TIMED_OUT", describe(reports.next(20)), "one in a row: not denied");
    DeliveryReport r4 = reports.next(20);
    assertEquals(
        "running 4 RUNNING TIMED_OUT", describe(r4), "two in a row: denied after this one");
    assertEquals(Duration.ofSeconds(60), r4.latency());
    assertEquals("running 5 RUNNING DENIED", describe(reports.next(20)));

    List<Object> calls = new ArrayList<>();
    listener.received.drainTo(calls);
    assertEquals(
        List.of(1L, 2L, 3L, 4L),
        calls.stream().map(c -> ((RunningStateChange) c).dispatch().id()).toList());
    assertEquals(
        new ListenerCounters(1, 0, 3, 1, 2, true),
        hub.listeners().runningStateListenerCounters(20).orElseThrow());
  }

  @Test
  void aWallClockStepDuringACallIsNotATimeout() throws Exception {
    // NTP corrects a gateway that booted with a wrong real-time clock: the wall clock jumps an
    // hour while each of three calls runs. The calls took microseconds, so all are delivered and
    // the listener is not denied (it was, after three steps, while calls were timed on the wall clock).
    VirtualClock clock = new VirtualClock(T0);
    hub(clock, new ListenerSettings(Duration.ofSeconds(10), 2));
    RecordingListener listener =
        new RecordingListener() {
          @Override
          public void onRunningStateChange(RunningStateChange change) {
            clock.advance(Duration.ofHours(1));
            super.onRunningStateChange(change);
          }
        };
    hub.listeners().addRunningStateListener(21, type("*"), listener, runningNow());
    for (long id = 1; id <= 3; id++) {
      transition(running(dispatch(id, "A"), T0));
    }
    for (long id = 1; id <= 3; id++) {
      assertEquals("running " + id + " RUNNING DELIVERED", describe(reports.next(21)));
    }
    assertEquals(
        new ListenerCounters(3, 0, 0, 0, 0, false),
        hub.listeners().runningStateListenerCounters(21).orElseThrow());
  }

  // ---- catch-up and merging ----

  @Test
  void aLateListenerIsCaughtUpMergedPerItsMode() throws Exception {
    VirtualClock clock = new VirtualClock(T0.plusSeconds(300));
    hub(clock, PATIENT);
    TargetComponents t1 = TargetComponents.ids(1);
    TargetComponents t2 = TargetComponents.ids(2);
    runningNow.add(running(dispatch(1, "A", t1), T0));
    runningNow.add(running(dispatch(2, "A", t2), T0.plusSeconds(60)));
    runningNow.add(running(dispatch(3, "A", t1), T0.plusSeconds(120)));
    runningNow.add(running(dispatch(4, "B", t1), T0));

    RecordingListener unmerged = new RecordingListener();
    RecordingListener byType = new RecordingListener();
    RecordingListener byTarget = new RecordingListener();
    hub.listeners().addRunningStateListener(30, type("A"), unmerged, runningNow());
    hub.listeners().addRunningStateListener(
        31, props(RunningStateListener.TYPE, "A", RunningStateListener.MERGE, "type"), byType, runningNow());
    hub.listeners().addRunningStateListener(
        32,
        props(RunningStateListener.TYPE, "A", RunningStateListener.MERGE, "type+target"),
        byTarget, runningNow());

    for (long id = 1; id <= 3; id++) {
      RunningStateChange c = unmerged.nextChange();
      assertEquals(id, c.dispatch().id());
      assertEquals(RunningState.RUNNING, c.state());
    }
    RunningStateChange merged = byType.nextChange();
    assertEquals(3, merged.dispatch().id(), "one RUNNING, with the latest start");
    assertEquals(
        T0.plusSeconds(120), merged.at(), "the change keeps the instant of the transition");
    assertEquals(3, byTarget.nextChange().dispatch().id());
    assertEquals(2, byTarget.nextChange().dispatch().id());

    DeliveryReport catchUp = reports.next(31);
    assertEquals(
        T0.plusSeconds(300), catchUp.due(), "a catch-up is due when the listener registers");
    assertEquals(Duration.ZERO, catchUp.latency());

    // Live transitions continue from the caught-up state: STOPPED only when the last one stops.
    transition(stopped(dispatch(1, "A", t1), T0.plusSeconds(400)));
    transition(stopped(dispatch(2, "A", t2), T0.plusSeconds(400)));
    transition(stopped(dispatch(3, "A", t1), T0.plusSeconds(400)));
    RunningStateChange last = byType.nextChange();
    assertEquals(RunningState.STOPPED, last.state());
    assertEquals(3, last.dispatch().id());
    assertEquals(List.of("STOPPED 2", "STOPPED 3"), byTarget.take(2));
  }

  @Test
  void mergedListenersHearOfEachIdentityAsOne() throws Exception {
    hub(Clock.systemUTC(), PATIENT);
    RecordingListener byType = new RecordingListener();
    RecordingListener byTarget = new RecordingListener();
    hub.listeners().addRunningStateListener(
        40, props(RunningStateListener.TYPE, "A", RunningStateListener.MERGE, "type"), byType, runningNow());
    hub.listeners().addRunningStateListener(
        41,
        props(RunningStateListener.TYPE, "A", RunningStateListener.MERGE, "type+target"),
        byTarget, runningNow());

    Dispatch first = dispatch(1, "A", TargetComponents.ids(1));
    Dispatch second = dispatch(2, "A", TargetComponents.ids(1));
    Dispatch elsewhere = dispatch(3, "A", TargetComponents.ids(2));
    transition(running(first, T0));
    transition(running(second, T0.plusSeconds(1)));
    transition(running(elsewhere, T0.plusSeconds(2)));
    transition(stopped(first, T0.plusSeconds(3)));
    transition(stopped(elsewhere, T0.plusSeconds(4)));
    transition(stopped(second, T0.plusSeconds(5)));

    List<String> typeSeen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      RunningStateChange c = byType.nextChange();
      typeSeen.add(c.state() + " " + c.dispatch().id());
    }
    assertEquals(List.of("RUNNING 1", "RUNNING 2", "RUNNING 3"), typeSeen);
    // The stops of 1 and 3 were absorbed: the next thing it hears is the last stop.
    assertEquals(List.of("STOPPED 2"), byType.untilMarker(2));

    assertEquals(
        List.of("RUNNING 1", "RUNNING 2"),
        byTarget.untilMarker(2),
        "first start, then reconfigure");
    assertEquals(List.of("RUNNING 3", "STOPPED 3", "STOPPED 2"), byTarget.untilMarker(2));
  }

  @Test
  void aDispatchThatChangesTypeIsStoppedForTheOldTypesListener() throws Exception {
    hub(Clock.systemUTC(), PATIENT);
    RecordingListener a = new RecordingListener();
    RecordingListener b = new RecordingListener();
    hub.listeners().addRunningStateListener(50, type("A"), a, runningNow());
    hub.listeners().addRunningStateListener(51, type("B"), b, runningNow());

    Dispatch asA = dispatch(1, "A");
    Dispatch asB = dispatch(1, "B");
    transition(running(asA, T0));
    transition(running(asB, T0.plusSeconds(10))); // UPDATED while running: new type
    transition(stopped(asB, T0.plusSeconds(20)));
    transition(running(dispatch(9, "A"), T0.plusSeconds(30)));
    transition(running(dispatch(9, "B"), T0.plusSeconds(30)));

    assertEquals(RunningState.RUNNING, a.nextChange().state());
    RunningStateChange stop = a.nextChange();
    assertEquals(RunningState.STOPPED, stop.state());
    assertEquals(asA, stop.dispatch(), "the snapshot it was running");
    assertEquals(T0.plusSeconds(10), stop.at());
    assertEquals(List.of("RUNNING 9"), a.untilMarker(9), "the later stop is not its concern");

    assertEquals(List.of("RUNNING 1", "STOPPED 1", "RUNNING 9"), b.untilMarker(9));
  }

  // ---- registration changes ----

  @Test
  void modifiedPropertiesRefilterWithoutRepeatingWhatItWasTold() throws Exception {
    hub(Clock.systemUTC(), PATIENT);
    RecordingListener listener = new RecordingListener();
    RunningStateChange a = running(dispatch(1, "A"), T0);
    RunningStateChange b = running(dispatch(2, "B"), T0);
    hub.listeners().addRunningStateListener(60, type("A"), listener, runningNow());
    transition(a);
    transition(b);

    assertEquals(List.of("RUNNING 1"), listener.take(1));

    // Now also B: told of 2, not again of 1. Then only B: 1 is stopped for it.
    assertTrue(hub.listeners().modifiedRunningStateListener(60, type(new String[] {"A", "B"}), runningNow()));
    assertTrue(hub.listeners().modifiedRunningStateListener(60, type("B"), runningNow()));
    assertEquals(List.of("RUNNING 2", "STOPPED 1"), listener.untilMarker(1));
    transition(stopped(dispatch(2, "B"), T0));
    assertEquals(List.of("STOPPED 2"), listener.take(1));
  }

  @Test
  void anInvalidRegistrationIsIgnoredUntilItsPropertiesAreFixed() throws Exception {
    hub(Clock.systemUTC(), PATIENT);
    RecordingListener listener = new RecordingListener();
    assertFalse(hub.listeners().addRunningStateListener(70, props(), listener, runningNow()));
    assertEquals(Optional.empty(), hub.listeners().runningStateListenerCounters(70));
    RunningStateChange a = running(dispatch(1, "A"), T0);
    transition(a);

    assertTrue(hub.listeners().modifiedRunningStateListener(70, type("A"), runningNow()));
    // Caught up with what runs now; nothing was delivered before.
    assertEquals(List.of("RUNNING 1"), listener.untilMarker(1));
    transition(running(dispatch(3, "A"), T0));
    assertEquals(List.of("RUNNING 3"), listener.untilMarker(3));
  }

  @Test
  void aRemovedListenerIsNeverCalledAgain() throws Exception {
    hub(Clock.systemUTC(), PATIENT);
    HangingListener hangs = new HangingListener();
    RecordingListener other = new RecordingListener();
    hub.listeners().addRunningStateListener(80, type("*"), hangs, runningNow());
    hub.listeners().addRunningStateListener(81, type("*"), other, runningNow());
    transition(running(dispatch(1, "A"), T0));
    await(hangs.entered, "called");
    transition(running(dispatch(2, "A"), T0)); // queued
    hub.listeners().removeRunningStateListener(80);
    transition(running(dispatch(3, "A"), T0)); // after removal
    Thread worker = thread(prefix + "listener-80").orElseThrow();
    hangs.release.countDown();
    worker.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(worker.isAlive(), "its thread ends once the call in flight returns");
    assertEquals(1, hangs.calls.get());
    assertTrue(hangs.received.isEmpty());
    // The call in flight ends with its report; what was queued is dropped, unreported. The
    // report of another listener, published after the thread ended, shows nothing else came.
    assertEquals("running 1 RUNNING DELIVERED", describe(reports.next(80)));
    transition(running(dispatch(4, "A"), T0));
    assertEquals(List.of("RUNNING 1", "RUNNING 2", "RUNNING 3", "RUNNING 4"), other.untilMarker(4));
    for (int i = 1; i <= 4; i++) {
      reports.next(81);
    }
    assertEquals(List.of(), reports.drained(80));
    assertEquals(Optional.empty(), hub.listeners().runningStateListenerCounters(80));
  }

  @Test
  void aSilencedListenerIsNotCalledFromTheMomentItIsSilencedOnAnyThread() throws Exception {
    hub(Clock.systemUTC(), PATIENT);
    RecordingListener gone = new RecordingListener();
    RecordingListener other = new RecordingListener();
    hub.listeners().addRunningStateListener(82, type("*"), gone, runningNow());
    hub.listeners().addRunningStateListener(83, type("*"), other, runningNow());
    transition(running(dispatch(1, "A"), T0));
    assertEquals(List.of("RUNNING 1"), gone.untilMarker(1));
    // The framework's thread sees the service go while the scheduler thread (here the test's)
    // has not yet handled its removal.
    Thread framework = new Thread(() -> hub.listeners().silence(82), "framework");
    framework.start();
    framework.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    transition(running(dispatch(2, "A"), T0));
    assertEquals(List.of("RUNNING 1", "RUNNING 2"), other.untilMarker(2));
    Thread worker = thread(prefix + "listener-82").orElse(null);
    if (worker != null) {
      worker.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      assertFalse(worker.isAlive(), "a silenced listener's thread ends");
    }
    assertTrue(gone.received.isEmpty(), "nothing after the silence: " + gone.received);
    assertTrue(
        hub.listeners().runningStateListenerCounters(82).isPresent(),
        "silenced, not removed: the removal is the scheduler thread's");
    hub.listeners().removeRunningStateListener(82);
    assertEquals(Optional.empty(), hub.listeners().runningStateListenerCounters(82));
  }

  @Test
  void aRegistrationStillQueuedWhenItsServiceWentStartsNothing() throws Exception {
    hub(Clock.systemUTC(), PATIENT);
    transition(running(dispatch(1, "A"), T0));
    RecordingListener gone = new RecordingListener();
    RecordingListener lifecycleGone = new RecordingListener();
    RecordingListener other = new RecordingListener();
    // Arrival and departure both seen by the framework before the scheduler thread handles the
    // arrival: the silence comes first, the registrations after it.
    hub.listeners().silence(84);
    hub.listeners().silence(85);
    hub.listeners().addRunningStateListener(84, type("*"), gone, runningNow());
    hub.listeners().addLifecycleListener(85, type("*"), lifecycleGone);
    hub.listeners().addRunningStateListener(86, type("*"), other, runningNow());
    hub.dispatchEvent(new DispatchEvent.Created(dispatch(2, "A")), T0);
    transition(running(dispatch(2, "A"), T0));
    assertEquals(List.of("RUNNING 1", "RUNNING 2"), other.untilMarker(2));
    assertEquals(Optional.empty(), thread(prefix + "listener-84"), "no endpoint started");
    assertEquals(Optional.empty(), thread(prefix + "listener-85"), "no endpoint started");
    assertTrue(gone.received.isEmpty(), "no catch-up for a service that is gone");
    assertTrue(lifecycleGone.received.isEmpty());
    // The removal on the scheduler thread forgets the silence, so the hub does not grow with
    // every service that ever went.
    hub.listeners().removeRunningStateListener(84);
    hub.listeners().removeLifecycleListener(85);
    RecordingListener again = new RecordingListener();
    assertTrue(hub.listeners().addRunningStateListener(84, type("*"), again, runningNow()));
    assertEquals(List.of("RUNNING 1", "RUNNING 2"), again.untilMarker(2));
  }

  // ---- reports ----

  @Test
  void everyDeliveryEndsWithExactlyOneReport() throws Exception {
    VirtualClock clock = new VirtualClock(T0);
    hub(clock, PATIENT);
    RecordingListener ok = new RecordingListener();
    RunningStateListener throwing =
        change -> {
          throw new IllegalArgumentException("no");
        };
    RecordingListener lifecycleAll = new RecordingListener();
    RecordingListener lifecycleA = new RecordingListener();
    hub.listeners().addRunningStateListener(90, type("*"), ok, runningNow());
    hub.listeners().addRunningStateListener(91, type("*"), throwing, runningNow());
    hub.listeners().addLifecycleListener(92, props(), lifecycleAll);
    hub.listeners().addLifecycleListener(93, type("A"), lifecycleA);

    Dispatch a = dispatch(1, "A");
    Dispatch b = dispatch(2, "B");
    transition(running(a, T0));
    hub.dispatchEvent(new DispatchEvent.Created(a), T0.plusSeconds(1));
    transition(running(b, T0));
    hub.dispatchEvent(new DispatchEvent.Updated(b), T0.plusSeconds(2));
    transition(stopped(a, T0));
    hub.dispatchEvent(new DispatchEvent.Deleted(a), T0.plusSeconds(3));
    // Markers, one per listener, that every listener receives last.
    Dispatch marker = dispatch(99, "A");
    transition(running(marker, T0));
    hub.dispatchEvent(new DispatchEvent.Created(marker), T0);

    assertEquals(
        List.of(
            "running 1 RUNNING DELIVERED",
            "running 2 RUNNING DELIVERED",
            "running 1 STOPPED DELIVERED",
            "running 99 RUNNING DELIVERED"),
        reportsUntil(90, 99));
    assertEquals(
        List.of(
            "running 1 RUNNING FAILED",
            "running 2 RUNNING FAILED",
            "running 1 STOPPED FAILED",
            "running 99 RUNNING FAILED"),
        reportsUntil(91, 99));
    assertEquals(
        List.of(
            "created 1 DELIVERED",
            "updated 2 DELIVERED",
            "deleted 1 DELIVERED",
            "created 99 DELIVERED"),
        reportsUntil(92, 99));
    assertEquals(
        List.of("created 1 DELIVERED", "deleted 1 DELIVERED", "created 99 DELIVERED"),
        reportsUntil(93, 99));
  }

  private List<String> reportsUntil(long serviceId, long markerId) throws InterruptedException {
    List<String> out = new ArrayList<>();
    while (true) {
      DeliveryReport r = reports.next(serviceId);
      out.add(describe(r));
      if (r.dispatchId() == markerId) {
        return out;
      }
    }
  }

  @Test
  void lifecycleReportsCarryTheArrivalAsDue() throws Exception {
    VirtualClock clock = new VirtualClock(T0.plusSeconds(5));
    hub(clock, PATIENT);
    hub.listeners().addLifecycleListener(95, props(), new RecordingListener());
    hub.dispatchEvent(new DispatchEvent.Updated(dispatch(1, "A")), T0.plusSeconds(2));
    DeliveryReport r = reports.next(95);
    assertEquals("updated", r.kind());
    assertEquals(Optional.empty(), r.state());
    assertEquals(T0.plusSeconds(2), r.due());
    assertEquals(Duration.ofSeconds(3), r.latency());
  }

  @Test
  void aFailingReportListenerIsIgnored() throws Exception {
    hub(Clock.systemUTC(), PATIENT);
    AtomicInteger thrown = new AtomicInteger();
    hub.removeDeliveryReportListener(1);
    hub.addDeliveryReportListener(
        0,
        r -> {
          thrown.incrementAndGet();
          throw new IllegalStateException("report listener broken");
        });
    hub.addDeliveryReportListener(1, reports);
    hub.listeners().addRunningStateListener(96, type("*"), new RecordingListener(), runningNow());
    transition(running(dispatch(1, "A"), T0));
    transition(running(dispatch(2, "A"), T0));
    assertEquals(1, reports.next(96).dispatchId());
    assertEquals(2, reports.next(96).dispatchId());
    assertEquals(2, thrown.get(), "called before the recorder, both times");
  }

  // ---- close ----

  @Test
  void closeStopsEveryThreadWithinItsBoundedWait() throws Exception {
    hub(Clock.systemUTC(), PATIENT);
    HangingListener hangs = new HangingListener();
    hub.listeners().addRunningStateListener(97, type("*"), hangs, runningNow());
    transition(running(dispatch(1, "A"), T0));
    await(hangs.entered, "called");
    Thread worker = thread(prefix + "listener-97").orElse(null);
    assertNotNull(worker);
    assertTrue(thread(prefix + "listener-watchdog").isPresent());
    assertTrue(thread(prefix + "delivery-reports").isPresent());

    hub.close();
    worker.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertFalse(worker.isAlive(), "the stuck call was interrupted");
    assertTrue(hangs.returned.get());
    hub.runningStateChanged(running(dispatch(2, "A"), T0));
    assertEquals(1, hangs.calls.get(), "a closed hub delivers nothing");
  }
}
