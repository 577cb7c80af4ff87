package io.microgrid.dispatch.api;

/** The server refused a request as invalid. Status {@code INVALID_ARGUMENT} (or a close relative). */
public class InvalidArgumentException extends DispatchApiException {
  private static final long serialVersionUID = 1L;

  /**
   * Makes the exception.
   *
   * @param status the gRPC status code name
   * @param message what failed, for people
   * @param cause the underlying failure, or null
   */
  public InvalidArgumentException(String status, String message, Throwable cause) {
    super(status, message, cause);
  }
}
