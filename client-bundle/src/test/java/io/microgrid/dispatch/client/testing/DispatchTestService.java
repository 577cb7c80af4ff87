package io.microgrid.dispatch.client.testing;

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
import java.util.function.Supplier;
import io.microgrid.dispatch.server.ListQuery;

/** Maps the six RPCs onto the store, the query logic and the stream hub. Holds no state itself. */
final class DispatchTestService extends MicrogridDispatchServiceGrpc.MicrogridDispatchServiceImplBase {

  private final DispatchStore store;
  private final StreamHub streams;

  DispatchTestService(DispatchStore store, StreamHub streams) {
    this.store = store;
    this.streams = streams;
  }

  @Override
  public void listMicrogridDispatches(
      ListMicrogridDispatchesRequest request,
      StreamObserver<ListMicrogridDispatchesResponse> responses) {
    unary(responses, () -> ListQuery.list(store.list(request.getMicrogridId()), request));
  }

  @Override
  public void streamMicrogridDispatches(
      StreamMicrogridDispatchesRequest request,
      StreamObserver<StreamMicrogridDispatchesResponse> responses) {
    // The call stays open until the client cancels, the test breaks it or the server closes.
    streams.open(
        request.getMicrogridId(),
        (ServerCallStreamObserver<StreamMicrogridDispatchesResponse>) responses);
  }

  @Override
  public void createMicrogridDispatch(
      CreateMicrogridDispatchRequest request,
      StreamObserver<CreateMicrogridDispatchResponse> responses) {
    unary(
        responses,
        () ->
            CreateMicrogridDispatchResponse.newBuilder()
                .setDispatch(store.create(request.getMicrogridId(), request.getDispatchData()))
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
   * Sends the store's refusals as their gRPC status. Left uncaught they would reach the client as
   * UNKNOWN, which is not what the real API answers.
   */
  private static <T> void unary(StreamObserver<T> responses, Supplier<T> call) {
    T response;
    try {
      response = call.get();
    } catch (StatusRuntimeException e) {
      responses.onError(e);
      return;
    }
    responses.onNext(response);
    responses.onCompleted();
  }
}
