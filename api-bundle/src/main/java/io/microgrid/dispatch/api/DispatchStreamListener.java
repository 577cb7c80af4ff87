package io.microgrid.dispatch.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives what a {@link DispatchClient#stream(long, DispatchStreamListener) stream subscription}
 * sees. Calls for one subscription come from one thread at a time, in order.
 */
@ConsumerType
public interface DispatchStreamListener {

  /**
   * The stream is open. Events from before this point may have been missed (always on a
   * reconnection): a consumer that keeps a copy lists again and compares.
   *
   * @param reconnect false for the first connection, true for every later one
   */
  default void onConnected(boolean reconnect) {}

  /**
   * A dispatch changed.
   *
   * @param event the change
   */
  void onEvent(DispatchEvent event);

  /**
   * The server sent a dispatch that the client cannot read; it is skipped and the stream goes on.
   *
   * @param dispatchId the dispatch's id as sent (0 when it had none)
   * @param reason what was wrong with it
   */
  default void onUnreadable(long dispatchId, String reason) {}

  /**
   * The stream broke; the subscription will reconnect on its own after a backoff delay.
   *
   * @param cause why it broke
   */
  default void onDisconnected(DispatchApiException cause) {}
}
