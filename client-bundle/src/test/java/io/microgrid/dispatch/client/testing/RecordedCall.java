package io.microgrid.dispatch.client.testing;

/**
 * One call that reached the {@link DispatchTestServer}, in arrival order.
 *
 * @param method the full gRPC method name, e.g.
 *     {@code frequenz.api.dispatch.v1.MicrogridDispatchService/ListMicrogridDispatches}
 * @param key the value of the {@code key} request header, or {@code null} if the call had none
 */
public record RecordedCall(String method, String key) {

  /** Says whether a key was sent but never shows it: test reports and logs must not leak keys. */
  @Override
  public String toString() {
    return "RecordedCall[method=" + method + ", key=" + (key == null ? "<none>" : "<present>") + "]";
  }
}
