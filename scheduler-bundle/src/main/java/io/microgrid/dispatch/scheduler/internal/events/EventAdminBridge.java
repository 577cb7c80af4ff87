package io.microgrid.dispatch.scheduler.internal.events;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchLifecycleListener;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.api.TargetComponents;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;

/**
 * Posts every running-state change and lifecycle event on EventAdmin, for consumers that already
 * speak EventAdmin rather than our listener interfaces.
 *
 * <p>It is itself a whiteboard listener of every type, so it gets exactly what any listener gets,
 * through the same ordered delivery. It exists only while an EventAdmin service does (a mandatory
 * reference, with the package imported optionally), so a framework without EventAdmin never loads
 * this class.
 *
 * <p>Topics: {@code io/microgrid/dispatch/RUNNING}, {@code .../STOPPED}, {@code .../CREATED},
 * {@code .../UPDATED}, {@code .../DELETED}; properties: see {@link #properties}.
 */
@Component(
    service = {RunningStateListener.class, DispatchLifecycleListener.class},
    property = RunningStateListener.TYPE + "=*")
public final class EventAdminBridge implements RunningStateListener, DispatchLifecycleListener {
  /** The root of every topic posted. */
  public static final String TOPIC_ROOT = "io/microgrid/dispatch/";

  private final EventAdmin eventAdmin;
  private final Clock clock;

  /**
   * @param eventAdmin where events are posted
   */
  @Activate
  public EventAdminBridge(@Reference EventAdmin eventAdmin) {
    this(eventAdmin, Clock.systemUTC());
  }

  EventAdminBridge(EventAdmin eventAdmin, Clock clock) {
    this.eventAdmin = eventAdmin;
    this.clock = clock;
  }

  @Override
  public void onRunningStateChange(RunningStateChange change) {
    Map<String, Object> props = properties(change.dispatch(), change.at());
    props.put("state", change.state().name());
    change.until().ifPresent(u -> props.put("until", u.toString()));
    props.put(
        "missed.runs", change.missedRuns().stream().map(Instant::toString).toArray(String[]::new));
    eventAdmin.postEvent(new Event(TOPIC_ROOT + change.state().name(), props));
  }

  @Override
  public void onDispatchEvent(DispatchEvent event) {
    String kind =
        event instanceof DispatchEvent.Created
            ? "CREATED"
            : event instanceof DispatchEvent.Updated ? "UPDATED" : "DELETED";
    eventAdmin.postEvent(new Event(TOPIC_ROOT + kind, properties(event.dispatch(), clock.instant())));
  }

  /**
   * The dispatch's fields as event properties: plain strings, numbers and booleans, so that any
   * handler and an LDAP filter on the subscription can read them.
   */
  static Map<String, Object> properties(Dispatch d, Instant at) {
    Map<String, Object> p = new HashMap<>();
    p.put("dispatch.id", d.id());
    p.put("microgrid.id", d.microgridId());
    p.put("dispatch.type", d.type());
    p.put("at", at.toString());
    p.put("timestamp", at.toEpochMilli());
    p.put("start.time", d.startTime().toString());
    d.duration().ifPresent(x -> p.put("duration.seconds", x.getSeconds()));
    p.put("active", d.active());
    p.put("dry.run", d.dryRun());
    p.put("target", target(d.target()));
    p.put("payload", d.payload().toJson());
    p.put("recurring", d.isRecurring());
    return p;
  }

  private static String target(TargetComponents t) {
    if (t instanceof TargetComponents.Ids ids) {
      return "ids:" + ids.ids();
    }
    TargetComponents.Categories c = (TargetComponents.Categories) t;
    // Subtypes (since API v1.1) follow the whole categories, as BATTERY:LI_ION.
    return "categories:" + (c.types().isEmpty() ? c.categories() : c.categories() + "+" + c.types());
  }
}
