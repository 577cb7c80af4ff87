package io.microgrid.dispatch.api;

/** The server did not accept the API key. Status {@code UNAUTHENTICATED} (or a close relative). */
public class AuthenticationException extends DispatchApiException {
  private static final long serialVersionUID = 1L;

  /**
   * Makes the exception.
   *
   * @param status the gRPC status code name
   * @param message what failed, for people
   * @param cause the underlying failure, or null
   */
  public AuthenticationException(String status, String message, Throwable cause) {
    super(status, message, cause);
  }
}
