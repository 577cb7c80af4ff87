package io.microgrid.dispatch.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.DeliveryReport;
import io.microgrid.dispatch.api.DeliveryReportListener;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.itest.TestActor.Call;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.log.LogEntry;
import org.osgi.service.log.LogListener;
import org.osgi.service.log.LogReaderService;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Dispatch-driven components (semantics §10) as a device bundle's author sees them: a binding
 * (factory configuration {@value #BINDING_PID}) drives {@link TestActor}, a DS component of this
 * bundle, through the scheduler, against the simulator, on the system clock. Each test has its
 * own microgrid and dispatch type and removes its configurations afterwards.
 */
class ActorTest {
  private static final String BINDING_PID = "io.microgrid.dispatch.actor";
  private static final Duration TIMEOUT = SchedulerFixture.TIMEOUT;

  @InjectBundleContext BundleContext context;
  @InjectService ConfigurationAdmin configAdmin;
  @InjectService ServiceComponentRuntime scr;
  @InjectService LogReaderService logReader;
  @InjectService CommandProcessor processor;

  private SimulatorConfiguration simulator;
  private SchedulerFixture fixture;
  private final List<Configuration> bindings = new ArrayList<>();
  private final BlockingQueue<DeliveryReport> reports = new LinkedBlockingQueue<>();

  @BeforeEach
  void startSimulatorAndClient() throws Exception {
    simulator = SimulatorConfiguration.create(configAdmin);
    fixture = new SchedulerFixture(context, configAdmin);
    fixture.connectClient(simulator.port());
    fixture.register(DeliveryReportListener.class, reports::add, Map.of());
  }

  @AfterEach
  void removeEverything() throws Exception {
    for (Configuration binding : bindings) {
      binding.delete();
    }
    fixture.close();
    simulator.close();
  }

  // ---- start, reconfigure, stop -----------------------------------------------------------------

  @Test
  void theComponentStartsAtTheDispatchStartIsModifiedOnAnUpdateAndStopsAtTheEnd() throws Exception {
    long microgrid = 301;
    String type = "ITEST_ACTOR_LIFECYCLE";
    schedulerFor(microgrid);
    bind("lifecycle", microgrid, type, Map.of());

    Dispatch dispatch = create(microgrid, type, Duration.ofMillis(1500), Duration.ofSeconds(3), false, 1500);

    Call activated = nextCall(type);
    assertEquals("activate", activated.what());
    assertEquals(dispatch.id(), activated.dispatchId());
    assertEquals(1500.0, activated.powerW(), "payload.power_w read through the annotation");
    assertEquals(dispatch.startTime().toString(), activated.start());
    assertFalse(activated.at().isBefore(dispatch.startTime()), "started before the dispatch's start");
    DeliveryReport delivered = nextActorReport(dispatch.id());
    assertEquals(DeliveryReport.Outcome.DELIVERED, delivered.outcome());
    assertEquals(dispatch.startTime(), delivered.due());

    String shown = gogo("dispatch:actors");
    assertTrue(shown.contains("actor.pid=" + TestActor.PID) && shown.contains("type=" + type), shown);
    assertTrue(shown.contains("dispatch " + dispatch.id() + "  ") && shown.contains("  active (attempt 1)"), shown);

    fixture.client().update(
        microgrid, dispatch.id(), DispatchUpdate.builder().payload(Payload.of(Map.of("power_w", 2000))).build());
    Call modified = nextCall(type);
    assertEquals("modified", modified.what());
    assertEquals(2000.0, modified.powerW());
    assertEquals(dispatch.startTime().toString(), modified.start(), "the run's start, not the update's");

    Call deactivated = nextCall(type);
    assertEquals("deactivate", deactivated.what());
    assertFalse(deactivated.at().isBefore(SchedulerFixture.end(dispatch)), "stopped before the end");
    assertEquals(0, configurationsOf(type).size(), "its configuration is deleted");
  }

  // ---- merging ----------------------------------------------------------------------------------

  @Test
  void twoDispatchesOfOneTypeMergedByTypeAreOneConfiguration() throws Exception {
    long microgrid = 302;
    String type = "ITEST_ACTOR_MERGE";
    schedulerFor(microgrid);
    bind("merge", microgrid, type, Map.of("dispatch.merge", "type"));

    Dispatch first = create(microgrid, type, Duration.ofMillis(1500), Duration.ofSeconds(3), false, 100);
    Dispatch second = create(microgrid, type, Duration.ofMillis(2000), Duration.ofSeconds(3), false, 200);

    assertEquals("activate", nextCall(type).what());
    Call joined = nextCall(type);
    assertEquals("modified", joined.what(), "the second start reconfigures the one component");
    assertEquals(second.id(), joined.dispatchId());
    List<Configuration> configurations = configurationsOf(type);
    assertEquals(1, configurations.size(), "one configuration for the merged run");
    assertArrayEquals(
        new Long[] {first.id(), second.id()},
        (Long[]) configurations.get(0).getProperties().get("dispatch.ids"));

    Call stopped = nextCall(type);
    assertEquals("deactivate", stopped.what());
    assertFalse(
        stopped.at().isBefore(SchedulerFixture.end(second)), "stopped only when the last dispatch ended");
  }

  @Test
  void aDryRunAndARealRunStayApartUnderMerging() throws Exception {
    long microgrid = 303;
    String type = "ITEST_ACTOR_DRY";
    schedulerFor(microgrid);
    bind("dry", microgrid, type, Map.of("dispatch.merge", "type"));

    create(microgrid, type, Duration.ofMillis(1500), Duration.ofSeconds(3), false, 100);
    create(microgrid, type, Duration.ofMillis(1500), Duration.ofSeconds(3), true, 200);

    Call a = nextCall(type);
    Call b = nextCall(type);
    assertEquals(List.of("activate", "activate"), List.of(a.what(), b.what()), "two components");
    assertTrue(a.dryRun() != b.dryRun(), "one dry, one real: " + a + " " + b);
    assertEquals(2, configurationsOf(type).size());
  }

  // ---- retries ----------------------------------------------------------------------------------

  @Test
  void aComponentThatThrowsInActivateIsRetriedAndThenRuns() throws Exception {
    long microgrid = 304;
    String type = "ITEST_ACTOR_RETRY";
    TestActor.FAILURES.put(type, new AtomicInteger(1));
    schedulerFor(microgrid);
    bind("retry", microgrid, type, Map.of("retry.interval.seconds", 1L));

    Dispatch dispatch = create(microgrid, type, Duration.ofMillis(1500), Duration.ofSeconds(6), false, 100);

    Call failed = nextCall(type);
    assertEquals("failed", failed.what());
    DeliveryReport failure = nextActorReport(dispatch.id());
    assertEquals(DeliveryReport.Outcome.FAILED, failure.outcome());
    assertTrue(failure.failure().orElse("").contains("charger offline"), failure.toString());
    String shown = gogo("dispatch:actors");
    assertTrue(shown.contains("last failure: ") && shown.contains("next retry: "), shown);

    Call retried = nextCall(type);
    assertEquals("activate", retried.what(), "the retry activates it");
    assertEquals(DeliveryReport.Outcome.DELIVERED, nextActorReport(dispatch.id()).outcome());
    System.out.printf(
        "ActorTest: failed activation retried after %d ms (retry.interval.seconds=1)%n",
        Duration.between(failed.at(), retried.at()).toMillis());
  }

  // ---- a malformed binding ----------------------------------------------------------------------

  @Test
  void aBindingWithoutActorPidFailsWithOneLineNamingIt() throws Exception {
    BlockingQueue<LogEntry> entries = new LinkedBlockingQueue<>();
    LogListener recorder = entries::add;
    logReader.addLogListener(recorder);
    try {
      Configuration c = configAdmin.getFactoryConfiguration(BINDING_PID, "broken", "?");
      bindings.add(c);
      c.update(new Hashtable<>(Map.of("microgrid.id", "305", "dispatch.type", "ITEST_ACTOR_BROKEN")));

      String failure = Services.awaitFailedActivation(scr, BINDING_PID, TIMEOUT);
      assertTrue(failure.contains("actor.pid"), failure);
      // The bundle's one line; SCR adds its own, that the component could not be made, under the
      // component's name, with the exception (whose message is this line) attached.
      LogEntry line = entries.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      while (line != null && !line.getMessage().contains("actor.pid")) {
        line = entries.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      assertNotNull(line, "no log line names actor.pid");
      assertEquals("io.microgrid.dispatch.actor", line.getBundle().getSymbolicName());
      assertEquals(-1, line.getMessage().indexOf('\n'), "one line: " + line.getMessage());
      List<LogEntry> more = new ArrayList<>();
      entries.drainTo(more);
      assertEquals(
          List.of(),
          more.stream().map(LogEntry::getMessage).filter(m -> m.contains("actor.pid")).toList(),
          "the property is named once");
    } finally {
      logReader.removeLogListener(recorder);
    }
  }

  // ---- timing -----------------------------------------------------------------------------------

  @Test
  void printsTheDelayFromADispatchStartToItsConfiguration() throws Exception {
    long microgrid = 306;
    String type = "ITEST_ACTOR_TIMING";
    int count = 20;
    schedulerFor(microgrid);
    bind("timing", microgrid, type, Map.of());
    Map<String, Instant> firstUpdate = new ConcurrentHashMap<>();
    BlockingQueue<String> seen = new LinkedBlockingQueue<>();
    ServiceRegistration<ConfigurationListener> listener =
        context.registerService(
            ConfigurationListener.class,
            (ConfigurationEvent e) -> {
              Instant now = Instant.now();
              if (e.getType() == ConfigurationEvent.CM_UPDATED
                  && TestActor.PID.equals(e.getFactoryPid())
                  && firstUpdate.putIfAbsent(e.getPid(), now) == null) {
                seen.add(e.getPid());
              }
            },
            null);
    try {
      Instant first = Instant.now().plusSeconds(2);
      List<Dispatch> dispatches = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        dispatches.add(fixture.client().create(
            microgrid,
            NewDispatch.builder(type, TargetComponents.ids(1))
                .startTime(first.plusMillis(150L * i))
                .duration(Duration.ofSeconds(1))
                .build()));
      }
      Map<Long, Instant> startOf = new HashMap<>();
      dispatches.forEach(d -> startOf.put(d.id(), d.startTime()));
      List<Long> delays = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String pid = seen.poll(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(pid, "only " + i + " of " + count + " configurations appeared");
        long id = Long.parseLong(pid.substring(pid.lastIndexOf("dispatch-") + "dispatch-".length()));
        delays.add(Duration.between(startOf.get(id), firstUpdate.get(pid)).toMillis());
      }
      Collections.sort(delays);
      System.out.printf(
          "ActorTest: dispatch start -> configuration of the driven component, %d dispatches:"
              + " p50 %d ms, p99 %d ms, max %d ms (target: p99 50 ms)%n",
          count, percentile(delays, 50), percentile(delays, 99), delays.get(delays.size() - 1));
      assertTrue(delays.get(0) >= 0, "a configuration before its dispatch's start: " + delays);
    } finally {
      listener.unregister();
    }
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private void schedulerFor(long microgrid) throws Exception {
    fixture.configureScheduler("actors-" + microgrid, microgrid, Map.of());
    fixture.awaitInSync(microgrid);
  }

  /** Creates a binding and waits until its listener is registered. */
  private void bind(String name, long microgrid, String type, Map<String, Object> more) throws Exception {
    Configuration c = configAdmin.getFactoryConfiguration(BINDING_PID, name, "?");
    bindings.add(c);
    Hashtable<String, Object> props = new Hashtable<>(more);
    props.put("microgrid.id", microgrid);
    props.put("dispatch.type", type);
    props.put("actor.pid", TestActor.PID);
    c.update(props);
    ServiceTracker<RunningStateListener, RunningStateListener> listeners =
        new ServiceTracker<>(
            context,
            context.createFilter(
                "(&(objectClass=" + RunningStateListener.class.getName() + ")(dispatch.actor.binding="
                    + c.getPid() + "))"),
            null);
    listeners.open();
    try {
      assertNotNull(listeners.waitForService(TIMEOUT.toMillis()), "binding " + name + " did not start");
    } finally {
      listeners.close();
    }
  }

  private Dispatch create(
      long microgrid, String type, Duration startsIn, Duration duration, boolean dryRun, int powerW) {
    return fixture.client().create(
        microgrid,
        NewDispatch.builder(type, TargetComponents.ids(1))
            .startTime(Instant.now().plus(startsIn))
            .duration(duration)
            .dryRun(dryRun)
            .payload(Payload.of(Map.of("power_w", powerW)))
            .build());
  }

  /** The next call of the test component for a dispatch of {@code type}. */
  private static Call nextCall(String type) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      Call c = TestActor.CALLS.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertNotNull(c, "the component of " + type + " was not called within " + TIMEOUT);
      if (type.equals(c.type())) {
        return c;
      }
    }
  }

  private DeliveryReport nextActorReport(long dispatchId) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      DeliveryReport r = reports.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
      assertNotNull(r, "no actor delivery report for dispatch " + dispatchId + " within " + TIMEOUT);
      if ("actor".equals(r.kind()) && r.dispatchId() == dispatchId) {
        return r;
      }
    }
  }

  private List<Configuration> configurationsOf(String type) throws Exception {
    Configuration[] found =
        configAdmin.listConfigurations(
            "(&(service.factoryPid=" + TestActor.PID + ")(dispatch.type=" + type + "))");
    return found == null ? List.of() : Arrays.asList(found);
  }

  private String gogo(String command) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        CommandSession session = processor.createSession(new ByteArrayInputStream(new byte[0]), o, o)) {
      session.execute(command);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static long percentile(List<Long> sorted, int p) {
    int index = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, index));
  }
}
