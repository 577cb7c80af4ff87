package io.microgrid.dispatch.client.internal;

import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Keeps gRPC's HTTP/2 frame trace from writing request headers, and with them the API key and the
 * signature, to the log. grpc-okhttp traces every frame at FINE through the JUL logger of its
 * client transport when an operator turns that level on for debugging; its HEADERS lines print
 * the metadata verbatim. Other frame lines (DATA, PING, SETTINGS, GOAWAY) still pass.
 *
 * <p>The filter sits in the JDK's logger, which outlives this bundle: left there, it would hold
 * the bundle's class loader, and every class the bundle loaded, after the bundle is updated or
 * uninstalled. So it is there only while a connection is open, and the last one to close puts
 * back the filter that was there before.
 */
final class HeaderLogRedaction implements Filter {
  /** The logger grpc-okhttp's client frame tracer writes to. */
  static final String FRAME_LOGGER = "io.grpc.okhttp.OkHttpClientTransport";

  // A strong reference: JUL holds loggers weakly, and a collected logger would lose the filter.
  private static final Logger LOGGER = Logger.getLogger(FRAME_LOGGER);

  // Guarded by the class.
  private static int users;
  private static HeaderLogRedaction installed;

  private final Filter previous;

  private HeaderLogRedaction(Filter previous) {
    this.previous = previous;
  }

  /** Puts the filter in front of any filter already there, for one more user. */
  static synchronized void install() {
    if (users++ == 0) {
      installed = new HeaderLogRedaction(LOGGER.getFilter());
      LOGGER.setFilter(installed);
    }
  }

  /**
   * Ends one user's need of the filter; the last one puts back what was there before. When
   * someone has put another filter in front of ours since, that one may pass records on to ours,
   * so it is left as it is.
   */
  static synchronized void uninstall() {
    if (users == 0 || --users > 0) {
      return;
    }
    if (LOGGER.getFilter() == installed) {
      LOGGER.setFilter(installed.previous);
    }
    installed = null;
  }

  /** Whether the filter is in the frame logger now (for tests). */
  static synchronized boolean isInstalled() {
    return installed != null && LOGGER.getFilter() == installed;
  }

  @Override
  public boolean isLoggable(java.util.logging.LogRecord record) {
    String message = record.getMessage();
    if (message != null && (message.contains(" HEADERS: ") || message.contains(" PUSH_PROMISE: "))) {
      return false;
    }
    return previous == null || previous.isLoggable(record);
  }
}
