package io.microgrid.dispatch.actor.internal;

import io.microgrid.dispatch.api.DeliveryReportListener;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceListener;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.metatype.annotations.Designate;

/**
 * One binding per factory configuration {@value BindingConfiguration#PID} (semantics §10): a
 * whiteboard {@link RunningStateListener} with the binding's type, microgrid and merge mode, whose
 * notifications {@link ActorRuns} turns into configurations of the driven component.
 *
 * <p>No modified method: an edited binding is a new one (SCR deactivates and activates it), which
 * registers afresh with the new properties, and the scheduler's catch-up tells it RUNNING again
 * for what runs. Leaving deletes every configuration it made, since nothing else would stop the
 * driven components; starting deletes those a binding of this pid left behind (a crash, a
 * framework stopped without deactivation) before registering, and the catch-up recreates the
 * running ones. (When the catch-up is done is not knowable to a listener: the scheduler tells it
 * on its own thread after the registration.)
 */
@Component(
    configurationPid = BindingConfiguration.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE,
    service = BindingStatus.class,
    immediate = true)
@Designate(ocd = BindingConfiguration.class, factory = true)
public final class BindingComponent implements BindingStatus {
  private static final System.Logger LOG = BundleLoggers.get(BindingComponent.class);

  private final List<DeliveryReportListener> reportListeners = new CopyOnWriteArrayList<>();
  private final Binding binding;
  private final ScheduledExecutorService executor;
  private final ExecutorService reportSender;
  private final ActorRuns runs;
  private final ServiceListener scrChanges;
  private final BundleContext context;
  private final ServiceRegistration<RunningStateListener> registration;

  /**
   * Checks the binding, cleans up after an earlier one and registers its listener.
   *
   * @throws IllegalArgumentException when the configuration is malformed; the one log line says
   *     which property to fix
   */
  @Activate
  public BindingComponent(
      BundleContext context,
      Map<String, Object> properties,
      @Reference ConfigurationAdmin configAdmin,
      @Reference ServiceComponentRuntime scr) {
    try {
      this.binding = Binding.parse(properties);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.ERROR, e.getMessage());
      throw e;
    }
    this.context = context;
    String name = "dispatch-actor-" + binding.microgridId() + "-" + binding.type();
    this.executor = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, name));
    this.reportSender = Executors.newSingleThreadExecutor(r -> daemon(r, name + "-reports"));
    Clock clock = Clock.systemUTC();
    Configurations configurations = new ConfigAdminConfigurations(configAdmin);
    int stale = configurations.deleteMarked(binding.pid());
    this.runs =
        new ActorRuns(
            binding,
            configurations,
            new ScrComponentStates(scr),
            new LoggedReports(reportListeners, reportSender, clock),
            executor,
            clock);
    // SCR announces each change of a component's state with a new service.changecount on its
    // ServiceComponentRuntime service: the moment to look whether a component took its
    // configuration, or a missing component arrived.
    this.scrChanges =
        e -> {
          if (e.getType() == ServiceEvent.MODIFIED) {
            try {
              executor.execute(runs::check);
            } catch (RejectedExecutionException deactivated) {
              // an event that was on its way while the binding left: nothing to look at
            }
          }
        };
    try {
      context.addServiceListener(
          scrChanges, "(" + Constants.OBJECTCLASS + "=" + ServiceComponentRuntime.class.getName() + ")");
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e); // a constant filter
    }
    this.registration =
        context.registerService(RunningStateListener.class, runs, listenerProperties(binding));
    runs.serviceId((Long) registration.getReference().getProperty(Constants.SERVICE_ID));
    LOG.log(
        Level.INFO,
        "binding {0}: dispatches of type {1} in microgrid {2} drive {3} (merge: {4}){5}",
        binding.pid(),
        binding.type(),
        binding.microgridId(),
        binding.actorPid(),
        binding.merge() == MergeMode.NONE ? "none" : binding.merge().propertyValue(),
        stale == 0 ? "" : "; deleted " + stale + " configurations it had left");
  }

  @Override
  public Status status() {
    return new Status(binding, runs.componentMissing(), runs.views());
  }

  @Deactivate
  void deactivate() {
    try {
      registration.unregister();
    } catch (IllegalStateException alreadyGone) {
      // the bundle is stopping
    }
    context.removeServiceListener(scrChanges);
    runs.close();
    executor.shutdownNow();
    reportSender.shutdown();
  }

  @Reference(
      service = DeliveryReportListener.class,
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC)
  void addReportListener(DeliveryReportListener l) {
    reportListeners.add(l);
  }

  void removeReportListener(DeliveryReportListener l) {
    reportListeners.remove(l);
  }

  private static Hashtable<String, Object> listenerProperties(Binding binding) {
    Hashtable<String, Object> p = new Hashtable<>();
    p.put(RunningStateListener.TYPE, binding.type());
    p.put(RunningStateListener.MICROGRID_ID, binding.microgridId());
    if (binding.merge() != MergeMode.NONE) {
      p.put(RunningStateListener.MERGE, binding.merge().propertyValue());
    }
    p.put(ActorProperties.BINDING, binding.pid());
    return p;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }
}
