package io.microgrid.dispatch.actor.internal;

import java.util.List;

/**
 * What a binding shows of itself, registered by each binding component for the {@code
 * dispatch:actors} command and the health check (service private to this bundle).
 */
interface BindingStatus {
  /**
   * A binding and what it keeps now.
   *
   * @param binding the binding
   * @param componentMissing whether no DS component of its actor.pid was found at the last look
   * @param runs one per running dispatch or merged identity
   */
  record Status(Binding binding, boolean componentMissing, List<ActorRun.View> runs) {}

  Status status();
}
