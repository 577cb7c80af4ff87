package io.microgrid.dispatch.actor.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Hashtable;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The driven components' configurations in ConfigAdmin. */
final class ConfigAdminConfigurations implements Configurations {
  /**
   * Location "?": the configuration binds to whichever bundle provides the component, which is
   * not known here and may arrive later.
   */
  private static final String ANY_BUNDLE = "?";

  private final ConfigurationAdmin configAdmin;

  ConfigAdminConfigurations(ConfigurationAdmin configAdmin) {
    this.configAdmin = configAdmin;
  }

  @Override
  public String write(String factoryPid, String name, Hashtable<String, Object> properties) {
    try {
      Configuration c = configAdmin.getFactoryConfiguration(factoryPid, name, ANY_BUNDLE);
      c.update(properties);
      return c.getPid();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void delete(String pid) {
    try {
      Configuration[] found = configAdmin.listConfigurations(filter("service.pid", pid));
      deleteAll(found);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public int deleteMarked(String bindingPid) {
    try {
      Configuration[] found = configAdmin.listConfigurations(filter(ActorProperties.BINDING, bindingPid));
      if (found == null) {
        return 0;
      }
      deleteAll(found);
      return found.length;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteAll(Configuration[] found) throws IOException {
    if (found == null) {
      return;
    }
    for (Configuration c : found) {
      try {
        c.delete();
      } catch (IllegalStateException deletedMeanwhile) {
        // what was wanted
      }
    }
  }

  /** An equality filter, with the value's special characters escaped (RFC 4515). */
  static String filter(String key, String value) {
    StringBuilder b = new StringBuilder("(").append(key).append('=');
    for (char c : value.toCharArray()) {
      if (c == '\\' || c == '*' || c == '(' || c == ')') {
        b.append('\\');
      }
      b.append(c);
    }
    return b.append(')').toString();
  }
}
