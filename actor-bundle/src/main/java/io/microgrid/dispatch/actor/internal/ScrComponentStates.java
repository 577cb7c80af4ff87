package io.microgrid.dispatch.actor.internal;

import java.util.Arrays;
import java.util.Optional;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/** The driven components' states, from SCR's DTOs. */
final class ScrComponentStates implements ComponentStates {
  private final ServiceComponentRuntime scr;

  ScrComponentStates(ServiceComponentRuntime scr) {
    this.scr = scr;
  }

  @Override
  public Optional<State> stateOf(String factoryPid, String configurationPid) {
    boolean described = false;
    for (ComponentDescriptionDTO d : scr.getComponentDescriptionDTOs()) {
      if (!Arrays.asList(d.configurationPid).contains(factoryPid)) {
        continue;
      }
      described = true;
      for (ComponentConfigurationDTO c : scr.getComponentConfigurationDTOs(d)) {
        if (configurationPid.equals(c.properties.get("service.pid"))) {
          return Optional.of(
              new State(kind(c.state, d.immediate), attempt(c.properties.get(ActorProperties.ATTEMPT)), c.failure));
        }
      }
    }
    return described ? Optional.of(new State(Kind.NOT_YET, 0, null)) : Optional.empty();
  }

  /**
   * A delayed component that is satisfied has taken its configuration: it is activated only when
   * its service is used. An immediate one passes through SATISFIED on its way to ACTIVE or
   * FAILED_ACTIVATION, so there SATISFIED means SCR has not activated it yet: on a busy machine
   * the binding's first look can fall in between, and must not report it delivered.
   */
  private static Kind kind(int state, boolean immediate) {
    return switch (state) {
      case ComponentConfigurationDTO.ACTIVE -> Kind.ACTIVE;
      case ComponentConfigurationDTO.SATISFIED -> immediate ? Kind.NOT_YET : Kind.ACTIVE;
      case ComponentConfigurationDTO.FAILED_ACTIVATION -> Kind.FAILED;
      default -> Kind.UNSATISFIED;
    };
  }

  private static int attempt(Object value) {
    return value instanceof Number n ? n.intValue() : 0;
  }
}
