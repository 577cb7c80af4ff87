package io.microgrid.dispatch.api.internal;

/**
 * The occurrences of a rule, in increasing order, as UTC epoch seconds (the whole-second grid that
 * lib-recur works on; {@link CompiledRule} adds the start's fraction of a second). Not thread-safe:
 * one query makes its own streams.
 */
interface SecondStream {
  /** What {@link #peek()} returns when no occurrence is left. */
  long NONE = Long.MAX_VALUE;

  /**
   * Returns the next occurrence without taking it.
   *
   * @return its epoch second, or {@link #NONE}
   */
  long peek();

  /** Takes the occurrence that {@link #peek()} returns; only call it when that is not NONE. */
  void next();

  /**
   * Skips every occurrence before an instant, without iterating them one by one where possible.
   *
   * @param second the epoch second from which on occurrences are wanted
   */
  void fastForward(long second);
}
