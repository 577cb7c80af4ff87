package io.microgrid.dispatch.scheduler.internal.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.scheduler.internal.SchedulerStatus.Health;
import java.util.ArrayList;
import java.util.List;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.junit.jupiter.api.Test;

/** What an operator reads in the health check for a set of schedulers. */
class SchedulerHealthCheckTest {

  private static List<String> messages(Result r) {
    List<String> all = new ArrayList<>();
    for (ResultLog.Entry e : r) {
      all.add(e.getStatus() + " " + e.getMessage());
    }
    return all;
  }

  @Test
  void connectedSchedulersAreHealthy() {
    Result r = SchedulerHealthCheck.check(List.of(new Health(1, true, 2, List.of())));
    assertEquals(Result.Status.OK, r.getStatus());
    assertEquals(List.of("OK microgrid 1: connected to the Dispatch API, 2 syncs"), messages(r));
  }

  @Test
  void aDisconnectedSchedulerAndADeniedListenerAreWarnings() {
    Result r =
        SchedulerHealthCheck.check(
            List.of(new Health(1, true, 1, List.of()), new Health(2, false, 0, List.of(42L))));
    assertEquals(Result.Status.WARN, r.getStatus());
    List<String> m = messages(r);
    assertTrue(m.contains("WARN microgrid 2: not connected to the Dispatch API; the local schedule keeps running"), m.toString());
    assertTrue(
        m.stream().anyMatch(x -> x.startsWith("WARN microgrid 2: listener service 42 is denied")), m.toString());
  }

  @Test
  void noSchedulerIsSaidPlainly() {
    Result r = SchedulerHealthCheck.check(List.of());
    assertEquals(Result.Status.OK, r.getStatus());
    assertTrue(messages(r).get(0).contains("no dispatch scheduler is configured"));
  }
}
