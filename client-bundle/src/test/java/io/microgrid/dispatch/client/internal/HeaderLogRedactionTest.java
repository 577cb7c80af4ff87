package io.microgrid.dispatch.client.internal;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import java.util.logging.Filter;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

/**
 * The header filter in gRPC's frame logger is there while a connection is open, and the logger
 * gets back the filter it had once the last one is closed: the JDK's logger outlives the bundle,
 * and a filter left in it would keep an updated bundle's old class loader alive.
 */
class HeaderLogRedactionTest {
  // Held strongly: JUL keeps loggers weakly.
  private final Logger frames = Logger.getLogger(HeaderLogRedaction.FRAME_LOGGER);

  @Test
  void theFrameLoggerGetsItsOwnFilterBackWhenTheLastConnectionCloses() throws Exception {
    Filter before = frames.getFilter();
    Filter operators = record -> true;
    frames.setFilter(operators);
    try (DispatchTestServer server = DispatchTestServer.start()) {
      ClientOptions options =
          ClientOptions.builder("grpc://127.0.0.1:" + server.port() + "?ssl=false").key("k").build();
      DispatchConnection first = DispatchConnection.open(options);
      DispatchConnection second = DispatchConnection.open(options);
      assertTrue(HeaderLogRedaction.isInstalled());
      first.close();
      assertTrue(HeaderLogRedaction.isInstalled(), "the second connection is still open");
      second.close();
      assertSame(operators, frames.getFilter());
    } finally {
      frames.setFilter(before);
    }
  }
}
