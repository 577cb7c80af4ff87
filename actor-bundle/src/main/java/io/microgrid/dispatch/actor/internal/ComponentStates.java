package io.microgrid.dispatch.actor.internal;

import java.util.Optional;

/** What SCR says of the component a configuration drives: ServiceComponentRuntime, or a test's fake. */
interface ComponentStates {
  /** The state of one component configuration, as far as the binding cares. */
  enum Kind {
    /** SCR holds no configuration of the component for this pid yet. */
    NOT_YET,
    /** Waiting for a reference or a configuration. */
    UNSATISFIED,
    /** Satisfied (a delayed component) or active: the component took the configuration. */
    ACTIVE,
    /** Its activate method threw. */
    FAILED
  }

  /**
   * The state of a component configuration.
   *
   * @param kind what it is
   * @param attempt the {@link ActorProperties#ATTEMPT} of the properties it holds; 0 when unknown
   * @param failure SCR's failure text, for {@link Kind#FAILED}
   */
  record State(Kind kind, int attempt, String failure) {}

  /**
   * Returns the state of the component that configuration {@code configurationPid} of {@code
   * factoryPid} drives.
   *
   * @return empty when no component of any bundle has that configuration PID
   */
  Optional<State> stateOf(String factoryPid, String configurationPid);
}
