package io.microgrid.dispatch.gateway.internal;

import io.microgrid.dispatch.support.log.BundleLoggers;
import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.util.tracker.ServiceTracker;

/**
 * Has FileInstall watch the deploy directory: as soon as ConfigAdmin runs (start level 2, after
 * the gateway bundle), writes FileInstall's factory configuration for it ({@link
 * DeployDirectory#watcherProperties}). FileInstall's single {@code felix.fileinstall.dir} is taken
 * by etc/, so a second directory can only come through ConfigAdmin.
 */
final class DeployWatch {
  private static final Logger LOG = BundleLoggers.get(DeployWatch.class);

  private final ServiceTracker<ConfigurationAdmin, ConfigurationAdmin> tracker;

  DeployWatch(BundleContext context, Path deploy) {
    tracker =
        new ServiceTracker<>(context, ConfigurationAdmin.class, null) {
          @Override
          public ConfigurationAdmin addingService(ServiceReference<ConfigurationAdmin> reference) {
            ConfigurationAdmin admin = super.addingService(reference);
            if (admin != null) {
              watch(admin, deploy);
            }
            return admin;
          }
        };
  }

  void open() {
    tracker.open();
  }

  void close() {
    tracker.close();
  }

  private static void watch(ConfigurationAdmin admin, Path deploy) {
    try {
      // A named factory configuration ("?": any bundle, that is FileInstall, may receive it):
      // with a kept framework storage the one of the previous run is found and updated, not
      // doubled; unchanged properties cause no update at all.
      Configuration watcher =
          admin.getFactoryConfiguration(
              DeployDirectory.FILEINSTALL_FACTORY_PID, DeployDirectory.WATCHER_NAME, "?");
      watcher.updateIfDifferent(DeployDirectory.watcherProperties(deploy));
      LOG.log(Level.INFO, "installing the bundles dropped into {0}", deploy);
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.ERROR, "cannot have FileInstall watch " + deploy + " for bundles", e);
    }
  }
}
