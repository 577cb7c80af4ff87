package io.microgrid.dispatch.server;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.microgrid.dispatch.protocol.CreateMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.CreateMicrogridDispatchResponse;
import io.microgrid.dispatch.protocol.DeleteMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.DeleteMicrogridDispatchResponse;
import io.microgrid.dispatch.protocol.GetMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.GetMicrogridDispatchResponse;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesRequest;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesResponse;
import io.microgrid.dispatch.protocol.MicrogridDispatchServiceGrpc;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesRequest;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import io.microgrid.dispatch.protocol.UpdateMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.UpdateMicrogridDispatchResponse;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.function.Supplier;

/**
 * Maps the six RPCs onto the store, the list query and the stream hub. Holds no state itself but
 * the matches of the last list query ({@link ListPages}). Its stream method sends the response
 * headers early, so it must be served behind {@link EarlyHeaders}.
 */
final class DispatchService extends MicrogridDispatchServiceGrpc.MicrogridDispatchServiceImplBase {
  private static final Logger LOG = BundleLoggers.get(DispatchService.class);

  private final DispatchStore store;
  private final StreamHub streams;
  private final ListPages pages = new ListPages();

  DispatchService(DispatchStore store, StreamHub streams) {
    this.store = store;
    this.streams = streams;
  }

  @Override
  public void listMicrogridDispatches(
      ListMicrogridDispatchesRequest request,
      StreamObserver<ListMicrogridDispatchesResponse> responses) {
    unary(
        responses,
        () -> ListQuery.page(pages.matching(store.list(request.getMicrogridId()), request), request));
  }

  @Override
  public void streamMicrogridDispatches(
      StreamMicrogridDispatchesRequest request,
      StreamObserver<StreamMicrogridDispatchesResponse> responses) {
    // The call stays open until the client cancels it or the server stops.
    streams.open(
        request.getMicrogridId(),
        (ServerCallStreamObserver<StreamMicrogridDispatchesResponse>) responses,
        EarlyHeaders::sendHeaders);
  }

  @Override
  public void createMicrogridDispatch(
      CreateMicrogridDispatchRequest request,
      StreamObserver<CreateMicrogridDispatchResponse> responses) {
    unary(
        responses,
        () ->
            CreateMicrogridDispatchResponse.newBuilder()
                .setDispatch(
                    store.create(
                        request.getMicrogridId(),
                        request.getDispatchData(),
                        request.getStartImmediately()))
                .build());
  }

  @Override
  public void updateMicrogridDispatch(
      UpdateMicrogridDispatchRequest request,
      StreamObserver<UpdateMicrogridDispatchResponse> responses) {
    unary(
        responses,
        () ->
            UpdateMicrogridDispatchResponse.newBuilder()
                .setDispatch(
                    store.update(
                        request.getMicrogridId(),
                        request.getDispatchId(),
                        request.getUpdateMask(),
                        request.getUpdate()))
                .build());
  }

  @Override
  public void getMicrogridDispatch(
      GetMicrogridDispatchRequest request, StreamObserver<GetMicrogridDispatchResponse> responses) {
    unary(
        responses,
        () ->
            GetMicrogridDispatchResponse.newBuilder()
                .setMicrogridId(request.getMicrogridId())
                .setDispatch(store.get(request.getMicrogridId(), request.getDispatchId()))
                .build());
  }

  @Override
  public void deleteMicrogridDispatch(
      DeleteMicrogridDispatchRequest request,
      StreamObserver<DeleteMicrogridDispatchResponse> responses) {
    unary(
        responses,
        () -> {
          store.delete(request.getMicrogridId(), request.getDispatchId());
          return DeleteMicrogridDispatchResponse.newBuilder()
              .setMicrogridId(request.getMicrogridId())
              .setDispatchId(request.getDispatchId())
              .build();
        });
  }

  /**
   * Answers a unary call; the store's refusals go out as their status. Left uncaught they would
   * reach the client as UNKNOWN, which is not what the real API answers; a bug of the server is
   * logged and answered as INTERNAL.
   */
  private static <T> void unary(StreamObserver<T> responses, Supplier<T> call) {
    T response;
    try {
      response = call.get();
    } catch (StatusRuntimeException e) {
      responses.onError(e);
      return;
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "Dispatch server: a call failed unexpectedly", e);
      responses.onError(
          Status.INTERNAL.withDescription("server error: " + e).asRuntimeException());
      return;
    }
    responses.onNext(response);
    responses.onCompleted();
  }
}
