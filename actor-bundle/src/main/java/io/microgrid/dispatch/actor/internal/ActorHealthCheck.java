package io.microgrid.dispatch.actor.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.felix.hc.api.HealthCheck;
import org.apache.felix.hc.api.Result;
import org.apache.felix.hc.api.ResultLog;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * A Felix health check, as the scheduler's (tag {@code dispatch}; optional: the package is
 * imported optionally): a driven component whose last attempt failed to activate, or a binding
 * whose actor.pid no bundle provides, is a warning; the dispatch keeps being retried.
 */
@Component(
    service = HealthCheck.class,
    property = {
      HealthCheck.NAME + "=Dispatch-driven components",
      HealthCheck.TAGS + "=dispatch"
    })
public final class ActorHealthCheck implements HealthCheck {
  @Reference(
      service = BindingStatus.class,
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC)
  private final List<BindingStatus> bindings = new CopyOnWriteArrayList<>();

  @Override
  public Result execute() {
    return check(bindings.stream().map(BindingStatus::status).toList());
  }

  static Result check(List<BindingStatus.Status> states) {
    ResultLog log = new ResultLog();
    if (states.isEmpty()) {
      log.add(new ResultLog.Entry(Result.Status.OK, "no binding (factory PID " + BindingConfiguration.PID + ")"));
    }
    for (BindingStatus.Status s : states) {
      Binding b = s.binding();
      if (s.componentMissing()) {
        log.add(new ResultLog.Entry(Result.Status.WARN, String.format(
            "binding %s: no DS component has the configuration PID %s (actor.pid)", b.pid(), b.actorPid())));
      }
      long failing = 0;
      for (ActorRun.View r : s.runs()) {
        if ("failed".equals(r.state())) {
          failing++;
          log.add(new ResultLog.Entry(Result.Status.WARN, String.format(
              "binding %s: the component of %s failed to activate %d times (dispatch %s), next retry %s: %s",
              b.pid(),
              r.configurationPid(),
              r.failures(),
              r.dispatchIds(),
              r.nextRetry().map(Object::toString).orElse("-"),
              r.lastFailure().orElse(""))));
        }
      }
      if (failing == 0 && !s.componentMissing()) {
        log.add(new ResultLog.Entry(Result.Status.OK, String.format(
            "binding %s: %d running, none failing", b.pid(), s.runs().size())));
      }
    }
    return new Result(log);
  }
}
