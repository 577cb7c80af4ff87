package io.microgrid.dispatch.client.internal;

import java.util.logging.Filter;
import java.util.logging.Logger;

/**
 * Keeps gRPC's HTTP/2 frame trace from writing request headers, and with them the API key and the
 * signature, to the log. grpc-okhttp traces every frame at FINE through the JUL logger of its
 * client transport when an operator turns that level on for debugging; its HEADERS lines print
 * the metadata verbatim. Other frame lines (DATA, PING, SETTINGS, GOAWAY) still pass.
 */
final class HeaderLogRedaction implements Filter {
  /** The logger grpc-okhttp's client frame tracer writes to. */
  static final String FRAME_LOGGER = "io.grpc.okhttp.OkHttpClientTransport";

  // A strong reference: JUL holds loggers weakly, and a collected logger would lose the filter.
  private static final Logger LOGGER = Logger.getLogger(FRAME_LOGGER);

  private final Filter previous;

  private HeaderLogRedaction(Filter previous) {
    this.previous = previous;
  }

  /** Installs the filter once, in front of any filter already there. */
  static synchronized void install() {
    Filter current = LOGGER.getFilter();
    if (!(current instanceof HeaderLogRedaction)) {
      LOGGER.setFilter(new HeaderLogRedaction(current));
    }
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
