package io.microgrid.dispatch.client.internal;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.CallOptions;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.protocol.CreateMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.DeleteMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.GetMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesResponse;
import io.microgrid.dispatch.support.log.BundleLoggers;
import io.microgrid.dispatch.protocol.codec.ProtoConversion;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The unary calls of the Dispatch API on one transport: request building, the per-call deadline,
 * and the mapping of failures and unreadable answers.
 */
public final class DispatchCalls {
  private static final System.Logger LOG = BundleLoggers.get(DispatchCalls.class);

  private final Transport transport;

  /**
   * @param transport the channel and options to call with
   */
  public DispatchCalls(Transport transport) {
    this.transport = transport;
  }

  /**
   * Creates a dispatch.
   *
   * @param microgridId the microgrid
   * @param dispatch what to create
   * @param now the current instant, for the past check
   * @return the stored dispatch
   */
  public Dispatch create(long microgridId, NewDispatch dispatch, Instant now) {
    dispatch
        .startTime()
        .ifPresent(
            start -> {
              if (start.isBefore(now)) {
                throw new IllegalArgumentException(
                    "startTime " + start + " is in the past (now is " + now
                        + "); use a future time or start now");
              }
            });
    // A dispatch that starts "now" goes out with start_immediately: the server's clock decides.
    CreateMicrogridDispatchRequest request = ProtoConversion.createRequest(microgridId, dispatch);
    var response = call("create dispatch", () -> unary(DispatchMethods.CREATE, request));
    return readOrFail("create dispatch", response.getDispatch(), microgridId);
  }

  /**
   * Updates a dispatch.
   *
   * @param microgridId the microgrid
   * @param dispatchId the dispatch
   * @param update the fields to change
   * @return the dispatch after the change
   */
  public Dispatch update(long microgridId, long dispatchId, DispatchUpdate update) {
    Objects.requireNonNull(update, "update");
    var request = ProtoConversion.toProto(microgridId, dispatchId, update);
    String op = "update dispatch " + Long.toUnsignedString(dispatchId);
    var response = call(op, () -> unary(DispatchMethods.UPDATE, request));
    return readOrFail(op, response.getDispatch(), microgridId);
  }

  /**
   * Fetches a dispatch.
   *
   * @param microgridId the microgrid
   * @param dispatchId the dispatch
   * @return the dispatch
   */
  public Dispatch get(long microgridId, long dispatchId) {
    var request =
        GetMicrogridDispatchRequest.newBuilder()
            .setMicrogridId(microgridId)
            .setDispatchId(dispatchId)
            .build();
    String op = "get dispatch " + Long.toUnsignedString(dispatchId);
    var response = call(op, () -> unary(DispatchMethods.GET, request));
    return readOrFail(op, response.getDispatch(), microgridId);
  }

  /**
   * Deletes a dispatch.
   *
   * @param microgridId the microgrid
   * @param dispatchId the dispatch
   */
  public void delete(long microgridId, long dispatchId) {
    var request =
        DeleteMicrogridDispatchRequest.newBuilder()
            .setMicrogridId(microgridId)
            .setDispatchId(dispatchId)
            .build();
    call(
        "delete dispatch " + Long.toUnsignedString(dispatchId),
        () -> unary(DispatchMethods.DELETE, request));
  }

  /**
   * Lists dispatches, page by page as the stream is consumed, one page ahead.
   *
   * @param microgridId the microgrid
   * @param query filters, order and page size
   * @return the dispatches that could be read
   */
  public Stream<Dispatch> list(long microgridId, DispatchQuery query) {
    Objects.requireNonNull(query, "query");
    String op = "list dispatches of microgrid " + microgridId;
    // The first page is waited for here, so that a failure shows at the call.
    ListMicrogridDispatchesResponse first = startPage(op, microgridId, query, null).get();
    PagedDispatches pages =
        new PagedDispatches(
            first, token -> startPage(op, microgridId, query, token), r -> readPage(r, microgridId));
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL),
        false);
  }

  /** Sends the request for a page now; the supplier waits for the answer. */
  private Supplier<ListMicrogridDispatchesResponse> startPage(
      String op, long microgridId, DispatchQuery query, String token) {
    var request = ProtoConversion.toProto(microgridId, query, token);
    ListenableFuture<ListMicrogridDispatchesResponse> answer =
        ClientCalls.futureUnaryCall(
            transport.channel().newCall(DispatchMethods.LIST, callOptions()), request);
    return () ->
        call(
            op,
            () -> {
              try {
                return answer.get();
              } catch (InterruptedException e) {
                answer.cancel(true);
                Thread.currentThread().interrupt();
                throw Status.CANCELLED.withDescription("interrupted").withCause(e).asRuntimeException();
              } catch (ExecutionException e) {
                throw e.getCause() instanceof StatusRuntimeException failed
                    ? failed
                    : Status.fromThrowable(e.getCause()).asRuntimeException();
              }
            });
  }

  private static List<Dispatch> readPage(ListMicrogridDispatchesResponse page, long microgridId) {
    List<Dispatch> result = new ArrayList<>(page.getDispatchesCount());
    for (var proto : page.getDispatchesList()) {
      ProtoConversion.Converted converted = ProtoConversion.fromProto(proto, microgridId);
      if (converted instanceof ProtoConversion.Readable ok) {
        result.add(ok.dispatch());
      } else if (converted instanceof ProtoConversion.Unreadable bad) {
        LOG.log(
            Level.WARNING,
            "skipping unreadable dispatch {0} of microgrid {1} in a list: {2}",
            Long.toUnsignedString(bad.dispatchId()),
            microgridId,
            bad.reason());
      }
    }
    return result;
  }

  private Dispatch readOrFail(
      String op, io.microgrid.dispatch.protocol.Dispatch proto, long microgridId) {
    ProtoConversion.Converted converted = ProtoConversion.fromProto(proto, microgridId);
    if (converted instanceof ProtoConversion.Readable ok) {
      return ok.dispatch();
    }
    // A single answer that cannot be read has nothing else to fall back on: say why.
    ProtoConversion.Unreadable bad = (ProtoConversion.Unreadable) converted;
    throw new DispatchApiException(
        "DATA_LOSS", op + ": the server sent a dispatch that cannot be read: " + bad.reason(), null);
  }

  private <Q, R> R unary(MethodDescriptor<Q, R> method, Q request) {
    return ClientCalls.blockingUnaryCall(transport.channel(), method, callOptions(), request);
  }

  private CallOptions callOptions() {
    return CallOptions.DEFAULT.withDeadlineAfter(
        transport.options().callTimeout().toMillis(), TimeUnit.MILLISECONDS);
  }

  private <T> T call(String op, Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw StatusMapping.map(op, e, transport.options().key());
    }
  }
}
