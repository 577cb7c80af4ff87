package io.microgrid.dispatch.cli;

import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchNotFoundException;
import io.microgrid.dispatch.api.InvalidArgumentException;

/** How {@code get} and {@code delete} treat the failure of one id among several. */
final class PerId {
  private PerId() {}

  /**
   * Returns whether the other ids are still worth trying after this failure: yes when the failure
   * is about this id (not found, refused), no when every call would fail the same way (no
   * connection, wrong key).
   */
  static boolean othersMayWork(DispatchApiException e) {
    return e instanceof DispatchNotFoundException || e instanceof InvalidArgumentException;
  }
}
