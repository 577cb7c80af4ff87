package io.microgrid.dispatch.gateway.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Hashtable;

/**
 * The directory of device bundles (contract, "Running it"): system property {@value
 * #DEPLOY_PROPERTY}, default {@value #DEFAULT_DEPLOY} under the working directory, created when
 * missing, and the properties of the FileInstall watcher that installs, updates and uninstalls
 * the bundles dropped there.
 */
final class DeployDirectory {
  /** System (or framework) property naming the directory of device bundles. */
  static final String DEPLOY_PROPERTY = "dispatch.deploy";

  /** The directory when {@value #DEPLOY_PROPERTY} is not set, under the working directory. */
  static final String DEFAULT_DEPLOY = "deploy";

  /**
   * FileInstall's ConfigAdmin factory PID: each factory configuration is one more watched
   * directory, beside the one of {@code felix.fileinstall.dir} (etc/, configuration only).
   */
  static final String FILEINSTALL_FACTORY_PID = "org.apache.felix.fileinstall";

  /** The name of our factory configuration, so that a kept framework storage has only one. */
  static final String WATCHER_NAME = "dispatch-deploy";

  private DeployDirectory() {}

  static Path resolve(String property, Path workingDirectory) {
    String dir = property == null || property.isBlank() ? DEFAULT_DEPLOY : property.strip();
    return workingDirectory.resolve(dir).toAbsolutePath().normalize();
  }

  /** Creates the directory when missing; returns whether it was created now. */
  static boolean createIfMissing(Path deploy) throws IOException {
    if (Files.isDirectory(deploy)) {
      return false;
    }
    Files.createDirectories(deploy);
    return true;
  }

  /**
   * The watcher's configuration. A FileInstall factory configuration does not inherit the
   * framework's {@code felix.fileinstall.*} properties (those configure the etc/ watcher only), so
   * everything that matters is said here.
   */
  static Hashtable<String, Object> watcherProperties(Path deploy) {
    Hashtable<String, Object> p = new Hashtable<>();
    p.put("felix.fileinstall.dir", deploy.toString());
    // Bundles only: a .cfg belongs in etc/, where it is documented and read.
    p.put("felix.fileinstall.filter", ".*\\.jar");
    // A dropped bundle runs at once, without a console.
    p.put("felix.fileinstall.bundles.new.start", "true");
    // Short poll, as for etc/: a dropped or deleted jar takes effect within a second or two.
    p.put("felix.fileinstall.poll", "1000");
    p.put("felix.fileinstall.noInitialDelay", "true");
    // Same start level as the project's bundles (dispatch-gateway.bndrun), after SCR,
    // ConfigAdmin and the Log Service are up also when a kept storage restarts the framework.
    p.put("felix.fileinstall.start.level", "2");
    p.put("felix.fileinstall.log.level", "2");
    return p;
  }
}
