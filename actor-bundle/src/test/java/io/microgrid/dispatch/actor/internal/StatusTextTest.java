package io.microgrid.dispatch.actor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.apache.felix.hc.api.Result;
import org.junit.jupiter.api.Test;

/** What an operator sees of the bindings: dispatch:actors and the health check. */
class StatusTextTest {
  private static final Binding BINDING =
      new Binding(
          "io.microgrid.dispatch.actor~charger", 1, "CHARGE", "com.example.Charger", MergeMode.NONE,
          Duration.ofSeconds(60));

  private static ActorRun.View run(long id, String state, String failure, Instant retry) {
    return new ActorRun.View(
        BINDING.pid(), BINDING.actorPid(), 1, 9, "dispatch-" + id, List.of(id), id,
        "com.example.Charger~charger.dispatch-" + id, failure == null ? 1 : 2, state,
        Optional.ofNullable(failure), failure == null ? 0 : 2, Optional.ofNullable(retry));
  }

  private static final BindingStatus.Status STATUS =
      new BindingStatus.Status(
          BINDING,
          false,
          List.of(
              run(42, "active", null, null),
              run(43, "failed", "java.lang.IllegalStateException: offline\n\tat x", Instant.parse("2026-03-01T10:16:30Z"))));

  @Test
  void theCommandListsTheBindingItsConfigurationsFailuresAndRetries() {
    assertEquals(
        """
        io.microgrid.dispatch.actor~charger  microgrid=1 type=CHARGE actor.pid=com.example.Charger merge=none retry=60s
          dispatch 42  com.example.Charger~charger.dispatch-42  active (attempt 1)
          dispatch 43  com.example.Charger~charger.dispatch-43  failed (attempt 2)
            last failure: java.lang.IllegalStateException: offline
            next retry: 2026-03-01T10:16:30Z
        """,
        ActorsText.of(List.of(STATUS)));
  }

  @Test
  void theHealthCheckWarnsOfAFailingComponentAndOfAMissingOne() {
    Result failing = ActorHealthCheck.check(List.of(STATUS));
    assertEquals(Result.Status.WARN, failing.getStatus());
    assertTrue(failing.iterator().next().getMessage().contains("dispatch-43"));

    Result missing = ActorHealthCheck.check(List.of(new BindingStatus.Status(BINDING, true, List.of())));
    assertEquals(Result.Status.WARN, missing.getStatus());
    assertTrue(missing.iterator().next().getMessage().contains("com.example.Charger"));

    assertEquals(
        Result.Status.OK,
        ActorHealthCheck.check(List.of(new BindingStatus.Status(BINDING, false, List.of(run(42, "active", null, null)))))
            .getStatus());
  }
}
