package io.microgrid.dispatch.api;

import org.osgi.annotation.versioning.ProviderType;

/** An open {@link DispatchClient#stream(long, DispatchStreamListener) stream subscription}. */
@ProviderType
public interface DispatchSubscription extends AutoCloseable {

  /**
   * Returns whether the stream is connected right now.
   *
   * @return true while the server's stream is open
   */
  boolean isConnected();

  /** Stops the subscription; the listener is not called afterwards. Idempotent. */
  @Override
  void close();
}
