package io.microgrid.dispatch.actor.internal;

import java.util.Hashtable;

/** Where a binding writes the driven component's configurations: ConfigAdmin, or a test's fake. */
interface Configurations {
  /**
   * Creates or updates the factory configuration {@code name} of {@code factoryPid}.
   *
   * @return the configuration's pid
   */
  String write(String factoryPid, String name, Hashtable<String, Object> properties);

  /** Deletes a configuration; one that is gone already is no error. */
  void delete(String pid);

  /**
   * Deletes every configuration carrying the binding's marker.
   *
   * @return how many there were
   */
  int deleteMarked(String bindingPid);
}
