package io.microgrid.dispatch.itest;

import static io.microgrid.dispatch.itest.SchedulerFixture.end;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.microgrid.dispatch.api.Dispatch;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.condition.Condition;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * The scheduler's OSGi R8 conditions as a device bundle uses them, in Felix with SCR: components
 * of this bundle ({@link CondTestDevice}, {@link ReadyGatedDevice}) name them in {@code
 * osgi.ds.satisfying.condition.target} and are active exactly while they hold. Microgrid 1 and
 * type COND_TEST are theirs; no other test uses them.
 */
class ConditionsTest {
  private static final Duration TIMEOUT = SchedulerFixture.TIMEOUT;
  private static final long MICROGRID = 1;
  private static final String TYPE = "COND_TEST";

  @InjectBundleContext BundleContext context;
  @InjectService ConfigurationAdmin configAdmin;

  private SimulatorConfiguration simulator;
  private SchedulerFixture fixture;

  @BeforeEach
  void startSimulatorAndClient() throws Exception {
    simulator = SimulatorConfiguration.create(configAdmin);
    fixture = new SchedulerFixture(context, configAdmin);
    fixture.connectClient(simulator.port());
  }

  @AfterEach
  void removeEverything() throws Exception {
    fixture.close();
    simulator.close();
    // The next test starts with no scheduler of microgrid 1, hence with no condition of it.
    Services.await(context, ReadyGatedDevice.class, false, TIMEOUT);
  }

  @Test
  void aComponentGatedByTheRunningConditionIsActiveExactlyWhileADispatchOfItsTypeRuns()
      throws Exception {
    fixture.configureScheduler("cond-running", MICROGRID, Map.of());
    fixture.awaitInSync(MICROGRID);
    // The scheduler bundle's copy of microgrid 1 may still hold a run of an earlier test (the
    // deletion test leaves one, deleted on the server after its scheduler was gone): it runs
    // from the copy until the first list from the server removes it.
    Services.await(context, CondTestDevice.class, false, TIMEOUT);

    Dispatch dispatch =
        fixture.createDispatch(MICROGRID, TYPE, Duration.ofMillis(1500), Duration.ofSeconds(1));

    Services.await(context, CondTestDevice.class, true, TIMEOUT);
    Instant activeSeen = Instant.now();
    assertFalse(activeSeen.isBefore(dispatch.startTime()), "active before the dispatch started");
    assertRunningCondition(true);

    Services.await(context, CondTestDevice.class, false, TIMEOUT);
    Instant goneSeen = Instant.now();
    assertFalse(goneSeen.isBefore(end(dispatch)), "deactivated before the dispatch ended");
    assertRunningCondition(false);
  }

  @Test
  void aComponentGatedByTheReadyConditionIsActiveOnceTheScheduleIsLoaded() throws Exception {
    assertNull(context.getServiceReference(ReadyGatedDevice.class), "no scheduler of microgrid 1 yet");

    fixture.configureScheduler("cond-ready", MICROGRID, Map.of());

    Services.await(context, ReadyGatedDevice.class, true, TIMEOUT);
    ServiceReference<?>[] ready =
        context.getServiceReferences(
            Condition.class.getName(),
            "(&(osgi.condition.id=io.microgrid.dispatch.ready)(microgrid.id=1))");
    assertEquals(1, ready == null ? 0 : ready.length, "one ready condition of microgrid 1");
    assertEquals(MICROGRID, ready[0].getProperty("microgrid.id"), "microgrid.id is a Long");
  }

  @Test
  void bothConditionsGoWhenTheSchedulerConfigurationIsDeleted() throws Exception {
    fixture.configureScheduler("cond-deleted", MICROGRID, Map.of());
    fixture.awaitInSync(MICROGRID);
    Services.await(context, CondTestDevice.class, false, TIMEOUT);
    // Runs for a minute: only the deletion can end the component's run within the test.
    Dispatch dispatch =
        fixture.createDispatch(MICROGRID, TYPE, Duration.ofSeconds(1), Duration.ofMinutes(1));
    Services.await(context, CondTestDevice.class, true, TIMEOUT);
    assertFalse(Instant.now().isBefore(dispatch.startTime()), "active before the dispatch started");
    Services.await(context, ReadyGatedDevice.class, true, TIMEOUT);

    fixture.deleteScheduler("cond-deleted");

    Services.await(context, CondTestDevice.class, false, TIMEOUT);
    Services.await(context, ReadyGatedDevice.class, false, TIMEOUT);
    assertNull(
        context.getServiceReferences(Condition.class.getName(), "(microgrid.id=1)"),
        "no condition of microgrid 1 left");
    // The simulator keeps its dispatches across tests; the next test must not find this one
    // running.
    fixture.client().delete(MICROGRID, dispatch.id());
  }

  private void assertRunningCondition(boolean expected) throws Exception {
    ServiceReference<?>[] running =
        context.getServiceReferences(
            Condition.class.getName(),
            "(&(osgi.condition.id=io.microgrid.dispatch.running)(microgrid.id=1)(dispatch.type=COND_TEST))");
    assertEquals(expected ? 1 : 0, running == null ? 0 : running.length, "running conditions of COND_TEST");
  }
}
