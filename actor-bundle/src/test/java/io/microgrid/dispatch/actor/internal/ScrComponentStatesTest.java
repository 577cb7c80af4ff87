package io.microgrid.dispatch.actor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.util.promise.Promise;

/**
 * What SCR's states mean for a binding's delivery report. SCR's DTOs are plain data, so a
 * runtime that holds one description and one configuration stands in for SCR here.
 */
class ScrComponentStatesTest {
  private static final String ACTOR_PID = "com.example.charger";
  private static final String CONFIGURATION_PID = ACTOR_PID + "~binding.CHARGE.real";

  private static ComponentStates.Kind kindOf(boolean immediate, int state) {
    ComponentDescriptionDTO description = new ComponentDescriptionDTO();
    description.configurationPid = new String[] {ACTOR_PID};
    description.immediate = immediate;
    ComponentConfigurationDTO configuration = new ComponentConfigurationDTO();
    configuration.state = state;
    configuration.properties = Map.of("service.pid", CONFIGURATION_PID, ActorProperties.ATTEMPT, 1);
    ServiceComponentRuntime scr = new OneComponent(description, configuration);
    return new ScrComponentStates(scr).stateOf(ACTOR_PID, CONFIGURATION_PID).orElseThrow().kind();
  }

  @Test
  void anImmediateComponentThatIsOnlySatisfiedHasNotBeenActivatedYet() {
    // Its activate method may still throw: reporting it delivered here was a false DELIVERED.
    assertEquals(ComponentStates.Kind.NOT_YET, kindOf(true, ComponentConfigurationDTO.SATISFIED));
    assertEquals(ComponentStates.Kind.ACTIVE, kindOf(true, ComponentConfigurationDTO.ACTIVE));
    assertEquals(ComponentStates.Kind.FAILED, kindOf(true, ComponentConfigurationDTO.FAILED_ACTIVATION));
  }

  @Test
  void aDelayedComponentThatIsSatisfiedHasTakenItsConfiguration() {
    // Activated only when its service is first used, so satisfied is as far as it goes alone.
    assertEquals(ComponentStates.Kind.ACTIVE, kindOf(false, ComponentConfigurationDTO.SATISFIED));
    assertEquals(ComponentStates.Kind.UNSATISFIED, kindOf(false, ComponentConfigurationDTO.UNSATISFIED_REFERENCE));
  }

  /** A runtime with one component description and one configuration of it. */
  private record OneComponent(ComponentDescriptionDTO description, ComponentConfigurationDTO configuration)
      implements ServiceComponentRuntime {
    @Override
    public Collection<ComponentDescriptionDTO> getComponentDescriptionDTOs(Bundle... bundles) {
      return List.of(description);
    }

    @Override
    public ComponentDescriptionDTO getComponentDescriptionDTO(Bundle bundle, String name) {
      return description;
    }

    @Override
    public Collection<ComponentConfigurationDTO> getComponentConfigurationDTOs(ComponentDescriptionDTO d) {
      return List.of(configuration);
    }

    @Override
    public boolean isComponentEnabled(ComponentDescriptionDTO d) {
      return true;
    }

    @Override
    public Promise<Void> enableComponent(ComponentDescriptionDTO d) {
      throw new UnsupportedOperationException();
    }

    @Override
    public Promise<Void> disableComponent(ComponentDescriptionDTO d) {
      throw new UnsupportedOperationException();
    }
  }
}
