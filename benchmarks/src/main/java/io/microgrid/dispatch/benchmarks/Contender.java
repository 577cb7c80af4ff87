package io.microgrid.dispatch.benchmarks;

import io.microgrid.dispatch.api.Dispatch;
import java.util.List;

/** One way of calling a listener at each transition: our scheduler, or a peer. */
interface Contender extends AutoCloseable {
  /** The name printed in the table. */
  String name();

  /**
   * Takes every dispatch (or, for a peer, every transition) and starts running them; returns
   * once they are all held, so that the caller can check that the window has not begun yet.
   */
  void load(List<Dispatch> dispatches, Transitions transitions, LatenessRecorder listener) throws Exception;

  @Override
  void close() throws Exception;
}
