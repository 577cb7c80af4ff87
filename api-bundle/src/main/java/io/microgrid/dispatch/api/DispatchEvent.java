package io.microgrid.dispatch.api;

import java.util.Objects;

/** A change of a dispatch, as the Dispatch API streams it. */
public sealed interface DispatchEvent
    permits DispatchEvent.Created, DispatchEvent.Updated, DispatchEvent.Deleted {

  /**
   * Returns the dispatch the event is about: as created, as updated, or as it was when deleted.
   *
   * @return the dispatch
   */
  Dispatch dispatch();

  /**
   * A dispatch was created.
   *
   * @param dispatch the new dispatch
   */
  record Created(Dispatch dispatch) implements DispatchEvent {
    /** Checks for null. */
    public Created {
      Objects.requireNonNull(dispatch, "dispatch");
    }
  }

  /**
   * A dispatch was changed.
   *
   * @param dispatch the dispatch after the change
   */
  record Updated(Dispatch dispatch) implements DispatchEvent {
    /** Checks for null. */
    public Updated {
      Objects.requireNonNull(dispatch, "dispatch");
    }
  }

  /**
   * A dispatch was deleted.
   *
   * @param dispatch the dispatch as it was
   */
  record Deleted(Dispatch dispatch) implements DispatchEvent {
    /** Checks for null. */
    public Deleted {
      Objects.requireNonNull(dispatch, "dispatch");
    }
  }
}
