package io.microgrid.dispatch.api;

/**
 * A call to the Dispatch API failed. Carries the gRPC status code name (such as {@code
 * PERMISSION_DENIED}) and the server's description; never the API key.
 */
public class DispatchApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String status;

  /**
   * Makes the exception.
   *
   * @param status the gRPC status code name
   * @param message what failed, for people
   * @param cause the underlying failure, or null
   */
  public DispatchApiException(String status, String message, Throwable cause) {
    super(message, cause);
    this.status = status;
  }

  /**
   * Returns the gRPC status code name of the failure.
   *
   * @return for example {@code NOT_FOUND} or {@code UNAVAILABLE}
   */
  public String status() {
    return status;
  }
}
