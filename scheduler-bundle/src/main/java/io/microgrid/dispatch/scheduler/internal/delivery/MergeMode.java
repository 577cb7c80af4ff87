package io.microgrid.dispatch.scheduler.internal.delivery;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.RunningStateListener;
import java.util.List;

/**
 * How a running-state listener wants dispatches merged (service property {@value
 * RunningStateListener#MERGE}, semantics §7): dispatches with the same identity behave as one.
 */
public enum MergeMode {
  /** Every dispatch is separate (the property is absent). */
  NONE(null),
  /** Dispatches of one type and dry-run flag are one ({@code type}). */
  TYPE("type"),
  /** Dispatches of one type, dry-run flag and target are one ({@code type+target}). */
  TYPE_AND_TARGET("type+target");

  private final String propertyValue;

  MergeMode(String propertyValue) {
    this.propertyValue = propertyValue;
  }

  /**
   * Returns the property value that selects this mode.
   *
   * @return {@code type} or {@code type+target}; null for {@link #NONE}
   */
  public String propertyValue() {
    return propertyValue;
  }

  /**
   * Returns the identity under which this mode merges a dispatch. Two dispatches are merged exactly
   * when their identities are equal; without merging every dispatch id is its own identity. The
   * dry-run flag is part of every merged identity (semantics §7): a device that acts on a real run
   * must never be stopped, or kept running, by a dry run of the same type.
   *
   * @param dispatch the dispatch
   * @return an object with value equality
   */
  Object identityOf(Dispatch dispatch) {
    return switch (this) {
      case NONE -> dispatch.id();
      case TYPE -> List.of(dispatch.type(), dispatch.dryRun());
        // TargetComponents are records over sorted sets, so equal targets are equal objects.
      case TYPE_AND_TARGET -> List.of(dispatch.type(), dispatch.dryRun(), dispatch.target());
    };
  }
}
