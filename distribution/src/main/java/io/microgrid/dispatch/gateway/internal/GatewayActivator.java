package io.microgrid.dispatch.gateway.internal;

import io.microgrid.dispatch.api.DispatchClient;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Runs first (start level 1 in {@code dispatch-gateway.bndrun}, before every other bundle):
 *
 * <ol>
 *   <li>resolves the configuration directory from {@code dispatch.etc} (default {@code etc/} under
 *       the working directory) and, when it does not exist, creates it with the default
 *       configuration files;
 *   <li>points Felix FileInstall at it by setting the system property {@code felix.fileinstall.dir}
 *       (FileInstall reads it through {@link BundleContext#getProperty}, which falls back to the
 *       system properties), unless that property was given explicitly;
 *   <li>resolves the directory of device bundles from {@code dispatch.deploy} (default {@code
 *       deploy/} under the working directory), creates it when missing, and has FileInstall
 *       install, update and uninstall the bundles dropped there ({@link DeployWatch});
 *   <li>when the JVM has no console (standard input or output is not a terminal: CI, a pipe, a
 *       service), sets {@code gosh.args=--nointeractive} unless given, so that the Gogo shell does
 *       not read a closed standard input and stop the framework;
 *   <li>when the directory was created now, creates the sample dispatch as soon as the client
 *       service is there ({@link DemoDispatch});
 *   <li>prints the OSGi Log Service's entries on standard error ({@link ConsoleLog}).
 * </ol>
 */
public final class GatewayActivator implements BundleActivator {
  private static final Logger LOG = BundleLoggers.get(GatewayActivator.class);

  static final String FILEINSTALL_DIR = "felix.fileinstall.dir";
  static final String GOSH_ARGS = "gosh.args";

  private ServiceTracker<DispatchClient, DispatchClient> clients;
  private DemoDispatch demo;
  private ConsoleLog console;
  private DeployWatch deployWatch;

  @Override
  public void start(BundleContext context) throws IOException {
    // First, so that the Log Service's entries reach standard error from the moment it starts.
    console = new ConsoleLog(System.err);
    console.open(context);

    Path etc =
        EtcDefaults.resolve(
            context.getProperty(EtcDefaults.ETC_PROPERTY), Path.of(System.getProperty("user.dir")));
    boolean created =
        EtcDefaults.createIfMissing(
            etc, EtcDefaults.port(context.getProperty(EtcDefaults.PORT_PROPERTY)));
    if (created) {
      LOG.log(Level.INFO, "created {0} with the default configuration", etc);
    }

    String fileinstallDir = context.getProperty(FILEINSTALL_DIR);
    if (fileinstallDir == null) {
      System.setProperty(FILEINSTALL_DIR, etc.toString());
      LOG.log(Level.INFO, "reading configuration from {0}", etc);
    } else {
      LOG.log(
          Level.INFO,
          "{0} is set to {1}; reading configuration from there, not from {2}",
          FILEINSTALL_DIR,
          fileinstallDir,
          etc);
    }

    Path deploy =
        DeployDirectory.resolve(
            context.getProperty(DeployDirectory.DEPLOY_PROPERTY),
            Path.of(System.getProperty("user.dir")));
    if (DeployDirectory.createIfMissing(deploy)) {
      LOG.log(Level.INFO, "created {0} for device bundles", deploy);
    }
    deployWatch = new DeployWatch(context, deploy);
    deployWatch.open();

    if (context.getProperty(GOSH_ARGS) == null && System.console() == null) {
      System.setProperty(GOSH_ARGS, "--nointeractive");
    }

    if (created) {
      // The tracker tells the sample when a client appears; the sample asks the tracker for
      // the current client at each attempt, so a client replaced meanwhile is not used.
      DemoDispatch[] sample = new DemoDispatch[1];
      clients =
          new ServiceTracker<>(context, DispatchClient.class, null) {
            @Override
            public DispatchClient addingService(ServiceReference<DispatchClient> reference) {
              DispatchClient client = super.addingService(reference);
              if (client != null) {
                sample[0].clientAvailable();
              }
              return client;
            }
          };
      sample[0] = new DemoDispatch(clients::getService, Clock.systemUTC());
      demo = sample[0];
      clients.open();
    }
  }

  @Override
  public void stop(BundleContext context) {
    if (demo != null) {
      demo.close();
      demo = null;
    }
    if (deployWatch != null) {
      deployWatch.close();
      deployWatch = null;
    }
    if (clients != null) {
      clients.close();
      clients = null;
    }
    if (console != null) {
      console.close();
      console = null;
    }
  }
}
