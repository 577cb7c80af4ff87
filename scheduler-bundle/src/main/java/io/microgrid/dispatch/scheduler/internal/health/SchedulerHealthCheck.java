package io.microgrid.dispatch.scheduler.internal.health;

import io.microgrid.dispatch.scheduler.internal.SchedulerStatus;
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
 * A Felix health check (optional: the package is imported optionally) that reports, per
 * microgrid, whether the scheduler's stream from the server is connected, and every listener
 * denied after timing out. A disconnected stream is a warning, not a failure: the local schedule
 * keeps running.
 */
@Component(
    service = HealthCheck.class,
    property = {
      HealthCheck.NAME + "=Dispatch schedulers",
      HealthCheck.TAGS + "=dispatch",
      HealthCheck.TAGS + "=systemalive"
    })
public final class SchedulerHealthCheck implements HealthCheck {

  @Reference(
      service = SchedulerStatus.class,
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC)
  private final List<SchedulerStatus> schedulers = new CopyOnWriteArrayList<>();

  @Override
  public Result execute() {
    return check(schedulers.stream().map(SchedulerStatus::health).toList());
  }

  static Result check(List<SchedulerStatus.Health> states) {
    // Plain entries rather than FormattingResultLog, which would need SLF4J just for formatting.
    ResultLog log = new ResultLog();
    if (states.isEmpty()) {
      log.add(ok("no dispatch scheduler is configured (factory PID io.microgrid.dispatch.scheduler)"));
    }
    for (SchedulerStatus.Health h : states) {
      if (h.connected()) {
        log.add(ok(String.format(
            "microgrid %d: connected to the Dispatch API, %d syncs", h.microgridId(), h.completedSyncs())));
      } else {
        log.add(warn(String.format(
            "microgrid %d: not connected to the Dispatch API; the local schedule keeps running",
            h.microgridId())));
      }
      for (long id : h.deniedListeners()) {
        log.add(warn(String.format(
            "microgrid %d: listener service %d is denied after timing out; re-register it or change"
                + " its properties",
            h.microgridId(),
            id)));
      }
    }
    return new Result(log);
  }

  private static ResultLog.Entry ok(String message) {
    return new ResultLog.Entry(Result.Status.OK, message);
  }

  private static ResultLog.Entry warn(String message) {
    return new ResultLog.Entry(Result.Status.WARN, message);
  }
}
