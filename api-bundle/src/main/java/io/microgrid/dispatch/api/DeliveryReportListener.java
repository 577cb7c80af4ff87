package io.microgrid.dispatch.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Registered as a whiteboard service to receive a {@link DeliveryReport} for every delivery to
 * every listener. Called from a thread of its own; a slow report listener delays no delivery.
 */
@ConsumerType
public interface DeliveryReportListener {
  /**
   * Called once per delivery outcome.
   *
   * @param report how the delivery ended
   */
  void onDeliveryReport(DeliveryReport report);
}
