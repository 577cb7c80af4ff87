package io.microgrid.dispatch.client.internal;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.microgrid.dispatch.api.AuthenticationException;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchNotFoundException;
import io.microgrid.dispatch.api.InvalidArgumentException;
import io.microgrid.dispatch.api.ServiceUnavailableException;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Set;

/**
 * Turns gRPC failures into the API's small set of typed exceptions. The gRPC exception itself is
 * not kept as the cause (it is a protocol type and its message echoes the server's text); its
 * status code name and description are, with the API key blanked out wherever it appears.
 */
public final class StatusMapping {
  private StatusMapping() {}

  /**
   * Maps a failure of a call.
   *
   * @param operation what was being done, for the message (e.g. "get dispatch 7")
   * @param failure what the call threw
   * @param key the API key, to be kept out of the message
   * @return the exception to throw
   */
  public static DispatchApiException map(String operation, Throwable failure, String key) {
    Status status = Status.fromThrowable(failure);
    if (!(failure instanceof StatusRuntimeException || failure instanceof StatusException)) {
      status = status.withCause(failure);
    }
    return map(operation, status, key);
  }

  /**
   * Maps a status.
   *
   * @param operation what was being done, for the message
   * @param status the status of the call
   * @param key the API key, to be kept out of the message
   * @return the exception to throw
   */
  public static DispatchApiException map(String operation, Status status, String key) {
    String code = status.getCode().name();
    String description = redact(status.getDescription(), key);
    Throwable cause = status.getCause();
    if (cause != null && cause.getMessage() != null) {
      // A transport failure (connection refused, TLS handshake) says what happened only in its
      // cause; an operator needs that line more than the status name.
      String why = redact(cause.getMessage(), key);
      description = description == null || description.equals(why) ? why : description + " (" + why + ")";
    }
    String message =
        operation + " failed: " + code + (description == null ? "" : ": " + description);
    if (cause != null && mentions(cause, key)) {
      cause = null;
    }
    return switch (status.getCode()) {
      case NOT_FOUND -> new DispatchNotFoundException(code, message, cause);
      case UNAUTHENTICATED, PERMISSION_DENIED -> new AuthenticationException(code, message, cause);
      case INVALID_ARGUMENT, OUT_OF_RANGE, FAILED_PRECONDITION -> new InvalidArgumentException(
          code, message, cause);
      case UNAVAILABLE, DEADLINE_EXCEEDED -> new ServiceUnavailableException(code, message, cause);
      default -> new DispatchApiException(code, message, cause);
    };
  }

  /** Whether the key appears in the failure, its causes or its suppressed failures. */
  static boolean mentions(Throwable failure, String key) {
    if (key == null || key.isEmpty()) {
      return false;
    }
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    Deque<Throwable> todo = new ArrayDeque<>();
    todo.push(failure);
    while (!todo.isEmpty()) {
      Throwable t = todo.pop();
      if (!seen.add(t)) {
        continue;
      }
      if (String.valueOf(t).contains(key) || String.valueOf(t.getMessage()).contains(key)) {
        return true;
      }
      if (t.getCause() != null) {
        todo.push(t.getCause());
      }
      for (Throwable s : t.getSuppressed()) {
        todo.push(s);
      }
    }
    return false;
  }

  static String redact(String text, String key) {
    if (text == null || key == null || key.isEmpty()) {
      return text;
    }
    return text.replace(key, "***");
  }
}
