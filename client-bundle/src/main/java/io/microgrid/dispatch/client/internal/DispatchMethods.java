package io.microgrid.dispatch.client.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
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
import io.microgrid.dispatch.protocol.codec.DeepPayloads;
import java.io.IOException;
import java.io.InputStream;

/**
 * The methods of the Dispatch API as the client calls them. The generated descriptors parse an
 * answer with protobuf's default limit of 100 message levels, and one dispatch whose payload is
 * nested deeper makes the whole answer fail: every list page, and so every resync, that holds it,
 * and the stream (which then reconnects and loses the event). These parse answers with {@link
 * DeepPayloads}, which leaves such a dispatch for {@code ProtoConversion.fromProto} to refuse on
 * its own.
 */
final class DispatchMethods {
  static final MethodDescriptor<ListMicrogridDispatchesRequest, ListMicrogridDispatchesResponse>
      LIST =
          tolerant(
              MicrogridDispatchServiceGrpc.getListMicrogridDispatchesMethod(),
              ListMicrogridDispatchesResponse.parser(),
              ListMicrogridDispatchesResponse.DISPATCHES_FIELD_NUMBER);

  static final MethodDescriptor<GetMicrogridDispatchRequest, GetMicrogridDispatchResponse> GET =
      tolerant(
          MicrogridDispatchServiceGrpc.getGetMicrogridDispatchMethod(),
          GetMicrogridDispatchResponse.parser(),
              GetMicrogridDispatchResponse.DISPATCH_FIELD_NUMBER);

  static final MethodDescriptor<CreateMicrogridDispatchRequest, CreateMicrogridDispatchResponse>
      CREATE =
          tolerant(
              MicrogridDispatchServiceGrpc.getCreateMicrogridDispatchMethod(),
              CreateMicrogridDispatchResponse.parser(),
              CreateMicrogridDispatchResponse.DISPATCH_FIELD_NUMBER);

  static final MethodDescriptor<UpdateMicrogridDispatchRequest, UpdateMicrogridDispatchResponse>
      UPDATE =
          tolerant(
              MicrogridDispatchServiceGrpc.getUpdateMicrogridDispatchMethod(),
              UpdateMicrogridDispatchResponse.parser(),
              UpdateMicrogridDispatchResponse.DISPATCH_FIELD_NUMBER);

  /** Carries no dispatch: the generated descriptor as it is. */
  static final MethodDescriptor<DeleteMicrogridDispatchRequest, DeleteMicrogridDispatchResponse>
      DELETE = MicrogridDispatchServiceGrpc.getDeleteMicrogridDispatchMethod();

  /**
   * The stream method, declared to our side of gRPC as bidirectional. On the wire the two are the
   * same (one request, then responses), but gRPC reports {@code onReady} (the stream exists on a
   * live connection) only for calls that may send more than one message. Servers often send no
   * headers before the first event, so without this a quiet stream could never say "connected".
   */
  static final MethodDescriptor<StreamMicrogridDispatchesRequest, StreamMicrogridDispatchesResponse>
      STREAM =
          tolerant(
                  MicrogridDispatchServiceGrpc.getStreamMicrogridDispatchesMethod(),
                  StreamMicrogridDispatchesResponse.parser(),
              StreamMicrogridDispatchesResponse.DISPATCH_FIELD_NUMBER)
              .toBuilder()
              .setType(MethodDescriptor.MethodType.BIDI_STREAMING)
              .build();

  private DispatchMethods() {}

  private static <Q, R extends MessageLite> MethodDescriptor<Q, R> tolerant(
      MethodDescriptor<Q, R> generated, Parser<R> parser, int dispatchField) {
    return generated.toBuilder()
        .setResponseMarshaller(
            new AnswerMarshaller<>(generated.getResponseMarshaller(), parser, dispatchField))
        .build();
  }

  /** Writes like the generated marshaller (the client never writes answers) and reads tolerantly. */
  private static final class AnswerMarshaller<R extends MessageLite>
      implements MethodDescriptor.Marshaller<R> {
    private final MethodDescriptor.Marshaller<R> generated;
    private final Parser<R> parser;
    private final int dispatchField;

    AnswerMarshaller(MethodDescriptor.Marshaller<R> generated, Parser<R> parser, int dispatchField) {
      this.generated = generated;
      this.parser = parser;
      this.dispatchField = dispatchField;
    }

    @Override
    public InputStream stream(R value) {
      return generated.stream(value);
    }

    @Override
    public R parse(InputStream stream) {
      try {
        // The whole message: gRPC has already bounded it by the inbound message size (4 MB), and
        // a second pass over it is needed when a dispatch in it does not parse.
        return DeepPayloads.parse(stream.readAllBytes(), parser, dispatchField);
      } catch (InvalidProtocolBufferException e) {
        // What grpc-protobuf-lite's marshaller says for a malformed message.
        throw Status.INTERNAL
            .withDescription("Invalid protobuf byte sequence")
            .withCause(e)
            .asRuntimeException();
      } catch (IOException e) {
        throw Status.INTERNAL.withDescription("cannot read the message").withCause(e).asRuntimeException();
      }
    }
  }
}
