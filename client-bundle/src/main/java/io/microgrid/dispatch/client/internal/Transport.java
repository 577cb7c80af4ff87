package io.microgrid.dispatch.client.internal;

import io.grpc.ManagedChannel;
import io.microgrid.dispatch.client.ClientOptions;

/**
 * A channel together with the options it was opened with; swapped as a whole when the
 * configuration changes, so that a call never mixes the key of one with the server of the other.
 *
 * @param channel the channel
 * @param options the options it was opened with
 */
public record Transport(ManagedChannel channel, ClientOptions options) {
  @Override
  public String toString() {
    return "Transport[" + options + "]";
  }
}
