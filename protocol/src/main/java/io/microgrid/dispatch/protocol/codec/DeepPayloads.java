package io.microgrid.dispatch.protocol.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import com.google.protobuf.NullValue;
import com.google.protobuf.Parser;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.microgrid.dispatch.protocol.Dispatch;
import io.microgrid.dispatch.protocol.DispatchData;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Parses the server's answers so that one dispatch with a payload nested too deep to parse costs
 * only that dispatch, not the list page, the get or the stream message that carries it.
 *
 * <p>A payload (google.protobuf.Struct) is the only recursive part of a dispatch, and each JSON
 * level is two message levels on the wire. protobuf refuses to parse beyond 100 message levels (a
 * JSON depth of about 50), and the whole message with it. The Dispatch API allows 5 JSON levels,
 * so any deeper payload is bad data about one dispatch. Parsing here goes to {@link
 * #RECURSION_LIMIT} levels, so a payload up to about 120 JSON levels is read and then refused by
 * {@link ProtoConversion#fromProto} with its real depth. A deeper one cannot be parsed safely:
 * protobuf parses recursively, and much deeper nesting would overflow the thread's stack (some
 * 2.5 KB per JSON level before the JIT has compiled the parser). For it, the answer is taken apart
 * on the wire level, which does not recurse, and the payload of each dispatch that does not parse
 * is replaced by {@link #UNPARSEABLE}, which {@link ProtoConversion#fromProto} reports as too deep.
 */
public final class DeepPayloads {
  /**
   * How many message levels are parsed: about 125 JSON levels of payload plus the dispatch around
   * it, within the stack of a 512 KB thread even before the JIT has compiled the parser.
   */
  public static final int RECURSION_LIMIT = 256;

  /** Roughly the deepest JSON payload that {@link #RECURSION_LIMIT} still parses. */
  static final int PARSED_JSON_DEPTH = (RECURSION_LIMIT - 6) / 2;

  /**
   * Stands for a payload that could not be parsed. A member name no JSON text from the API has (it
   * starts with U+0000), so a real payload is never taken for it.
   */
  static final Struct UNPARSEABLE =
      Struct.newBuilder()
          .putFields(
              "\u0000payload nested too deep to parse",
              Value.newBuilder().setNullValue(NullValue.NULL_VALUE).build())
          .build();

  private DeepPayloads() {}

  /**
   * Parses an answer of the Dispatch API that holds a dispatch or dispatches (the answers of list,
   * get, create, update and stream).
   *
   * @param bytes the message as received
   * @param parser the parser of its type
   * @param dispatchField the number of the field that holds the dispatch or dispatches
   * @return the message; a dispatch whose payload could not be parsed carries {@link
   *     #UNPARSEABLE} as its payload
   * @throws InvalidProtocolBufferException when the message is malformed in any other way
   */
  public static <T extends MessageLite> T parse(byte[] bytes, Parser<T> parser, int dispatchField)
      throws InvalidProtocolBufferException {
    try {
      return parseWithLimit(bytes, parser);
    } catch (InvalidProtocolBufferException | StackOverflowError tooDeep) {
      // Either may be a payload nested too deep; any other fault shows again on the second try.
      byte[] rewritten;
      try {
        rewritten = replaceUnparseablePayloads(bytes, dispatchField);
      } catch (InvalidProtocolBufferException malformed) {
        throw malformed;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return parseWithLimit(rewritten, parser);
    }
  }

  /** Whether a payload stands for one that could not be parsed. */
  static boolean isUnparseable(Struct payload) {
    return payload.getFieldsCount() == 1 && payload.equals(UNPARSEABLE);
  }

  private static <T extends MessageLite> T parseWithLimit(byte[] bytes, Parser<T> parser)
      throws InvalidProtocolBufferException {
    CodedInputStream in = CodedInputStream.newInstance(bytes);
    in.setRecursionLimit(RECURSION_LIMIT);
    return parser.parseFrom(in, ExtensionRegistryLite.getEmptyRegistry());
  }

  /** Copies the top-level message, field by field, replacing what cannot be parsed. */
  private static byte[] replaceUnparseablePayloads(byte[] message, int dispatchField)
      throws IOException {
    CodedInputStream in = CodedInputStream.newInstance(message);
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(message.length);
    CodedOutputStream out = CodedOutputStream.newInstance(buffer);
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == lengthDelimited(dispatchField)) {
        out.writeBytes(dispatchField, readableDispatch(in.readBytes()));
      } else {
        in.skipField(tag, out);
      }
    }
    out.flush();
    return buffer.toByteArray();
  }

  /** The dispatch as it is when it parses, or with {@link #UNPARSEABLE} as its payload. */
  private static ByteString readableDispatch(ByteString dispatch) throws IOException {
    try {
      parseWithLimit(dispatch.toByteArray(), Dispatch.parser());
      return dispatch;
    } catch (InvalidProtocolBufferException | StackOverflowError tooDeep) {
      return replaceField(
          dispatch,
          Dispatch.DATA_FIELD_NUMBER,
          data -> replaceField(data, DispatchData.PAYLOAD_FIELD_NUMBER, payload -> UNPARSEABLE.toByteString()));
    }
  }

  /** The tag of a length-delimited field (wire type 2). */
  private static int lengthDelimited(int number) {
    return (number << 3) | 2;
  }

  private interface FieldRewrite {
    ByteString apply(ByteString value) throws IOException;
  }

  /** Copies a message, passing each length-delimited field {@code number} through {@code rewrite}. */
  private static ByteString replaceField(ByteString message, int number, FieldRewrite rewrite)
      throws IOException {
    CodedInputStream in = message.newCodedInput();
    ByteString.Output buffer = ByteString.newOutput(message.size());
    CodedOutputStream out = CodedOutputStream.newInstance(buffer);
    int tag;
    while ((tag = in.readTag()) != 0) {
      if (tag == lengthDelimited(number)) {
        out.writeBytes(number, rewrite.apply(in.readBytes()));
      } else {
        in.skipField(tag, out);
      }
    }
    out.flush();
    return buffer.toByteString();
  }
}
