package io.microgrid.dispatch.scheduler.internal;

import io.microgrid.dispatch.api.DispatchClient;
import io.microgrid.dispatch.scheduler.internal.conditions.DispatchConditions;
import io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub;
import io.microgrid.dispatch.scheduler.internal.delivery.ListenerSettings;
import io.microgrid.dispatch.scheduler.internal.persist.ScheduleStore;
import io.microgrid.dispatch.scheduler.internal.runner.DispatchScheduler;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.ComponentConstants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One scheduler per factory configuration {@value SchedulerConfiguration#PID}: a thin adapter that
 * turns the configuration, the {@link DispatchClient} service and the whiteboard listeners into
 * calls on a {@link DispatchScheduler} and a {@link DeliveryHub}.
 *
 * <p>The client reference is optional and dynamic, so that a gateway whose client goes away (or
 * whose {@code client.target} changes) keeps running its local schedule and picks up the new
 * client without losing anything.
 *
 * <p>It also registers the scheduler's OSGi conditions ({@link DispatchConditions}), which gate
 * the components that name them in {@code osgi.ds.satisfying.condition.target}.
 */
@Component(
    configurationPid = SchedulerConfiguration.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE,
    service = SchedulerStatus.class,
    immediate = true)
@Designate(ocd = SchedulerConfiguration.class, factory = true)
public final class SchedulerComponent implements SchedulerStatus {
  private static final System.Logger LOG = BundleLoggers.get(SchedulerComponent.class);

  private final DispatchScheduler scheduler;
  private final DeliveryHub hub;
  private final DispatchConditions conditions;
  private final WhiteboardTrackers trackers;
  private DispatchClient client;
  private boolean active;

  /**
   * Starts the scheduler and begins tracking listeners.
   *
   * @param context the bundle context, for the whiteboard trackers
   * @param config the configuration
   * @throws IllegalArgumentException when the configuration is malformed; the log says what to fix
   */
  @Activate
  public SchedulerComponent(BundleContext context, SchedulerConfiguration config) {
    long microgridId = checkMicrogrid(config);
    ListenerSettings settings = settings(config);
    Clock clock = Clock.systemUTC();
    // The hub is told what runs each time a listener registers, by the scheduler on its thread,
    // so it is made first and needs nothing of the scheduler.
    this.hub = new DeliveryHub(microgridId, settings, clock, "dispatch-" + microgridId + "-");
    // The conditions see each notification on its way to delivery, and the runner's readiness.
    this.conditions =
        new DispatchConditions(
            hub, conditionRegistrar(context), "dispatch-conditions-" + microgridId);
    this.scheduler =
        new DispatchScheduler(
            microgridId, clock, conditions, store(context, clock), hub.listeners(), conditions);
    synchronized (this) {
      active = true;
      if (client != null) {
        scheduler.useClient(client);
      }
    }
    this.trackers = new WhiteboardTrackers(context, new ListenerRegistrations(scheduler, hub));
    trackers.open();
    LOG.log(Level.INFO, "dispatch scheduler started for microgrid {0}", microgridId);
  }

  /**
   * Applies an edited configuration without losing the schedule.
   *
   * @param config the new configuration
   */
  @Modified
  void modified(SchedulerConfiguration config) {
    long microgridId;
    ListenerSettings settings;
    try {
      microgridId = checkMicrogrid(config);
      settings = settings(config);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.ERROR, "keeping the previous dispatch scheduler configuration: {0}", e.getMessage());
      return;
    }
    scheduler.execute(() -> hub.setSettings(settings));
    scheduler.changeMicrogrid(microgridId);
    // Threads and log lines name the microgrid served (semantics §9, live microgrid change).
    hub.changeMicrogrid(microgridId, "dispatch-" + microgridId + "-");
    conditions.rename("dispatch-conditions-" + microgridId);
  }

  @Override
  public Health health() {
    return new Health(
        scheduler.microgridId(), scheduler.isConnected(), scheduler.completedSyncs(), hub.listeners().deniedListeners());
  }

  /**
   * Stops the scheduler. Only when its configuration was deleted are the listeners told STOPPED
   * for what runs (semantics §9): nothing would ever stop it otherwise. When the bundle or the
   * framework stops, nothing is told: the persisted schedule catches up at the next start.
   *
   * @param reason why DS deactivates it, one of ComponentConstants' DEACTIVATION_REASON_*
   */
  @Deactivate
  void deactivate(int reason) {
    if (reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED) {
      scheduler.stopRunning();
      // Before the trackers let the listeners go, which would drop the STOPPED still queued.
      hub.closeAfterQueued();
    }
    trackers.close();
    synchronized (this) {
      active = false;
    }
    scheduler.close();
    // After the scheduler: nothing registers a condition again once they are withdrawn.
    conditions.close();
    hub.close();
    LOG.log(
        Level.INFO,
        reason == ComponentConstants.DEACTIVATION_REASON_CONFIGURATION_DELETED
            ? "dispatch scheduler stopped: its configuration was deleted, its listeners were told STOPPED"
            : "dispatch scheduler stopped");
  }

  @Reference(
      name = "client",
      cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  synchronized void bindClient(DispatchClient newClient) {
    client = newClient;
    if (active) {
      scheduler.useClient(newClient);
    }
  }

  synchronized void unbindClient(DispatchClient oldClient) {
    if (client == oldClient) {
      client = null;
      if (active) {
        scheduler.useClient(null);
      }
    }
  }

  /**
   * The persisted schedule lives in this bundle's data area, one file per microgrid ({@code
   * schedule-<microgrid id>.pb}), so that two configurations never share a file and a change of
   * microgrid switches files. Without a data area (a framework without file system support) the
   * scheduler runs without one.
   */
  private static ScheduleStore store(BundleContext context, Clock clock) {
    if (context.getDataFile("") == null) {
      LOG.log(Level.WARNING, "no bundle data area: the dispatch schedule is not persisted across restarts");
      return null;
    }
    return new ScheduleStore(
        microgrid -> context.getDataFile("schedule-" + microgrid + ".pb").toPath(), clock);
  }

  /**
   * Condition services where the framework provides the package (R8); elsewhere none, and the
   * scheduler runs as before: a missing optional package must not stop it.
   */
  private static DispatchConditions.Registrar conditionRegistrar(BundleContext context) {
    if (ConditionServices.available()) {
      return new ConditionServices(context);
    }
    LOG.log(
        Level.INFO,
        "no org.osgi.service.condition in this framework: the dispatch conditions are not registered");
    return properties -> () -> {};
  }

  private static long checkMicrogrid(SchedulerConfiguration config) {
    if (config.microgrid_id() <= 0) {
      String message =
          "configuration "
              + SchedulerConfiguration.PID
              + " is invalid: microgrid.id must be set to the id of a microgrid (> 0), got "
              + config.microgrid_id();
      LOG.log(Level.ERROR, message);
      throw new IllegalArgumentException(message);
    }
    return config.microgrid_id();
  }

  private static ListenerSettings settings(SchedulerConfiguration config) {
    try {
      return new ListenerSettings(
          Duration.ofMillis(config.listener_timeout_ms()), config.listener_deny_after());
    } catch (IllegalArgumentException e) {
      String message =
          "configuration "
              + SchedulerConfiguration.PID
              + " is invalid: listener.timeout.ms and listener.deny.after must be > 0 ("
              + e.getMessage()
              + ")";
      LOG.log(Level.ERROR, message);
      throw new IllegalArgumentException(message, e);
    }
  }

}
