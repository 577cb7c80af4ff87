package io.microgrid.dispatch.actor.internal;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.shell.text.DispatchText;
import java.util.Optional;

/**
 * A binding's merge mode (the listener property {@code dispatch.merge}, semantics §7) and the
 * identity it gives a dispatch: the scheduler merges the notifications, and the binding needs the
 * same identity to know which configuration a notification is about. The scheduler's copy is
 * private to it; the rule is short and fixed by the semantics.
 */
enum MergeMode {
  NONE(""),
  TYPE("type"),
  TYPE_AND_TARGET("type+target");

  private final String propertyValue;

  MergeMode(String propertyValue) {
    this.propertyValue = propertyValue;
  }

  String propertyValue() {
    return propertyValue;
  }

  /**
   * Returns the mode a property value names.
   *
   * @param value the value, null or empty for no merging
   * @return the mode; empty when the value names none
   */
  static Optional<MergeMode> of(String value) {
    String v = value == null ? "" : value.trim();
    for (MergeMode m : values()) {
      if (m.propertyValue.equals(v)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }

  /**
   * Returns the identity of a dispatch as text: equal for exactly the dispatches this mode merges
   * (a dry run never merges with a real run). It also names the dispatch's configuration, so it is
   * readable: {@code dispatch-42}, {@code CHARGE.real}, {@code CHARGE.dry.1,2}.
   *
   * @param dispatch the dispatch
   * @return the identity
   */
  String identityOf(Dispatch dispatch) {
    String run = dispatch.dryRun() ? "dry" : "real";
    return switch (this) {
      case NONE -> "dispatch-" + dispatch.id();
      case TYPE -> dispatch.type() + "." + run;
      case TYPE_AND_TARGET -> dispatch.type() + "." + run + "." + DispatchText.target(dispatch.target());
    };
  }
}
