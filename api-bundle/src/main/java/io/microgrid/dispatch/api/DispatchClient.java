package io.microgrid.dispatch.api;

import java.util.stream.Stream;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A connection to the Dispatch API, registered as a service by the client bundle.
 *
 * <p>Calls block until the server answers or the configured deadline passes. Failures from the
 * server arrive as {@link DispatchApiException} subclasses; arguments the server would refuse are
 * refused before sending with an {@link IllegalArgumentException}.
 */
@ProviderType
public interface DispatchClient {

  /**
   * Creates a dispatch.
   *
   * @param microgridId the microgrid
   * @param dispatch what to create
   * @return the dispatch as the server stored it, with its id
   * @throws IllegalArgumentException when the start time is in the past
   * @throws DispatchApiException when the server refuses or cannot be reached
   */
  Dispatch create(long microgridId, NewDispatch dispatch);

  /**
   * Changes the given fields of a dispatch and leaves the others as they are.
   *
   * @param microgridId the microgrid
   * @param dispatchId the dispatch
   * @param update the fields to change
   * @return the dispatch after the change
   * @throws IllegalArgumentException when the update names the type or the dry-run flag
   * @throws DispatchNotFoundException when there is no such dispatch
   * @throws DispatchApiException when the server refuses or cannot be reached
   */
  Dispatch update(long microgridId, long dispatchId, DispatchUpdate update);

  /**
   * Fetches one dispatch.
   *
   * @param microgridId the microgrid
   * @param dispatchId the dispatch
   * @return the dispatch
   * @throws DispatchNotFoundException when there is no such dispatch
   * @throws DispatchApiException when the server refuses or cannot be reached
   */
  Dispatch get(long microgridId, long dispatchId);

  /**
   * Deletes a dispatch.
   *
   * @param microgridId the microgrid
   * @param dispatchId the dispatch
   * @throws DispatchNotFoundException when there is no such dispatch
   * @throws DispatchApiException when the server refuses or cannot be reached
   */
  void delete(long microgridId, long dispatchId);

  /**
   * Lists the dispatches of a microgrid. Pages are fetched lazily, one call per page, as the
   * stream is consumed; a dispatch the client cannot read is logged and left out.
   *
   * @param microgridId the microgrid
   * @param query filters, sort order and page size
   * @return the matching dispatches; a failure while fetching a later page is thrown from the
   *     stream's terminal operation
   * @throws DispatchApiException when the first page cannot be fetched
   */
  Stream<Dispatch> list(long microgridId, DispatchQuery query);

  /**
   * Subscribes to the changes of a microgrid's dispatches. The subscription reconnects on its own
   * after a failure, with exponential backoff and jitter, and follows a change of the client's
   * configuration, until it is closed.
   *
   * @param microgridId the microgrid
   * @param listener told about the connection and every change; called from one thread at a time
   * @return the subscription; close it to stop
   */
  DispatchSubscription stream(long microgridId, DispatchStreamListener listener);
}
