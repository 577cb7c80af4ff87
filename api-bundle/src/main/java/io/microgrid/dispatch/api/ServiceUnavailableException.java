package io.microgrid.dispatch.api;

/** The server could not be reached, or did not answer in time. Status {@code UNAVAILABLE} (or a close relative). */
public class ServiceUnavailableException extends DispatchApiException {
  private static final long serialVersionUID = 1L;

  /**
   * Makes the exception.
   *
   * @param status the gRPC status code name
   * @param message what failed, for people
   * @param cause the underlying failure, or null
   */
  public ServiceUnavailableException(String status, String message, Throwable cause) {
    super(status, message, cause);
  }
}
