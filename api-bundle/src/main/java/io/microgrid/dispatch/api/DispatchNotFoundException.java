package io.microgrid.dispatch.api;

/** The dispatch (or microgrid) does not exist. Status {@code NOT_FOUND} (or a close relative). */
public class DispatchNotFoundException extends DispatchApiException {
  private static final long serialVersionUID = 1L;

  /**
   * Makes the exception.
   *
   * @param status the gRPC status code name
   * @param message what failed, for people
   * @param cause the underlying failure, or null
   */
  public DispatchNotFoundException(String status, String message, Throwable cause) {
    super(status, message, cause);
  }
}
