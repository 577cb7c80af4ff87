package io.microgrid.dispatch.actor.internal;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The Gogo command {@code dispatch:actors}: the bindings, the configurations they keep, the
 * driven components' states, failures and next retries. A plain service with the Gogo command
 * properties, so the bundle needs no Gogo import and runs without a shell.
 */
@Component(
    service = ActorCommands.class,
    property = {"osgi.command.scope=dispatch", "osgi.command.function=actors"})
public final class ActorCommands {
  @Reference(
      service = BindingStatus.class,
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC)
  private final List<BindingStatus> bindings = new CopyOnWriteArrayList<>();

  /** Prints the bindings and what they keep. */
  public void actors() {
    System.out.print(text());
  }

  String text() {
    return ActorsText.of(
        bindings.stream()
            .map(BindingStatus::status)
            .sorted(Comparator.comparing(s -> s.binding().pid()))
            .toList());
  }
}
