package io.microgrid.dispatch.client.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/**
 * A {@link ClientConfiguration} as SCR would hand it to the component: the given properties, by
 * their ConfigAdmin names, and the annotation's defaults for the others.
 */
final class Configurations {
  private Configurations() {}

  static ClientConfiguration of(Map<String, ?> properties) {
    return (ClientConfiguration)
        Proxy.newProxyInstance(
            ClientConfiguration.class.getClassLoader(),
            new Class<?>[] {ClientConfiguration.class},
            (proxy, method, args) -> {
              switch (method.getName()) {
                case "annotationType":
                  return ClientConfiguration.class;
                case "toString":
                  return "ClientConfiguration" + properties.keySet();
                case "hashCode":
                  return System.identityHashCode(proxy);
                case "equals":
                  return proxy == args[0];
                default:
                  Object value = properties.get(propertyName(method.getName()));
                  return value != null ? value : method.getDefaultValue();
              }
            });
  }

  /** The DS rule for the names of a configuration annotation's members: _ is ., a leading . stays. */
  private static String propertyName(String member) {
    return member.replace('_', '.');
  }
}
