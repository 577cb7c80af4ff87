package io.microgrid.dispatch.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.AuthenticationException;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchClient;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.itest.RecordingListener.Call;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;

/**
 * Request signing end to end inside the framework, configured as an operator would: the simulator
 * bundle requires signatures made with its {@code .sign.secret}, the client bundle signs with its
 * own {@code .sign.secret}, and the scheduler works through the client's signed list and stream.
 */
class SignedCallsTest {
  private static final Duration TIMEOUT = SchedulerFixture.TIMEOUT;
  private static final String SECRET = "itest-simulator-sign-secret";

  @InjectBundleContext BundleContext context;
  @InjectService ConfigurationAdmin configAdmin;

  private SimulatorConfiguration simulator;
  private SchedulerFixture fixture;

  @BeforeEach
  void startSigningSimulator() throws Exception {
    simulator = SimulatorConfiguration.create(configAdmin, SECRET);
    fixture = new SchedulerFixture(context, configAdmin);
  }

  @AfterEach
  void removeEverything() throws Exception {
    fixture.close();
    simulator.close();
  }

  @Test
  void withTheSimulatorsSecretTheClientListsAndTheSchedulerRunsADispatch() throws Exception {
    fixture.connectClient(simulator.port(), SECRET);
    long microgrid = 301;
    String type = "ITEST_SIGNED";
    fixture.configureScheduler("signed", microgrid, Map.of());
    // The scheduler's list and stream are the client's calls: this needs both to be accepted.
    fixture.awaitInSync(microgrid);
    RecordingListener device = new RecordingListener("the device's listener");
    fixture.registerRunningStateListener(device, type, microgrid);

    Dispatch dispatch =
        fixture.createDispatch(microgrid, type, Duration.ofMillis(500), Duration.ofSeconds(1));
    List<Dispatch> listed =
        fixture.client().list(microgrid, DispatchQuery.ALL).filter(d -> d.type().equals(type)).toList();
    assertEquals(List.of(dispatch), listed);

    Call running = device.next(TIMEOUT);
    assertEquals(dispatch.id(), running.dispatchId());
    assertEquals(RunningState.RUNNING, running.state());
  }

  @Test
  void withAnotherSecretEveryCallIsRefusedAsUnauthenticated() throws Exception {
    String wrong = "not-the-simulators-secret";
    DispatchClient client = fixture.connectClient(simulator.port(), wrong);

    AuthenticationException listing =
        assertThrows(AuthenticationException.class, () -> client.list(302, DispatchQuery.ALL).toList());
    assertEquals("UNAUTHENTICATED", listing.status());
    assertTrue(listing.getMessage().contains("sig does not match"), listing.getMessage());
    assertFalse(listing.getMessage().contains(wrong), listing.getMessage());
    assertFalse(listing.getMessage().contains(SECRET), listing.getMessage());

    NewDispatch refused =
        NewDispatch.builder("ITEST_SIGNED_WRONG", TargetComponents.ids(1))
            .startTime(Instant.now().plus(Duration.ofHours(1)))
            .duration(Duration.ofMinutes(1))
            .build();
    assertThrows(AuthenticationException.class, () -> client.create(302, refused));
  }
}
