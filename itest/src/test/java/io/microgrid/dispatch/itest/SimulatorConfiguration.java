package io.microgrid.dispatch.itest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Hashtable;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The simulator bundle's configuration (PID {@value #PID}) as an operator writes it: a plaintext
 * Dispatch API server on a free loopback port, running inside the framework under test while the
 * configuration exists.
 */
final class SimulatorConfiguration implements AutoCloseable {
  static final String PID = "io.microgrid.dispatch.simulator";

  private final Configuration configuration;
  private final int port;

  private SimulatorConfiguration(Configuration configuration, int port) {
    this.configuration = configuration;
    this.port = port;
  }

  /**
   * Creates the configuration. The simulator listens once SCR has activated it; SCR gets this
   * configuration before one made after it (the client's), so a client configured next finds it
   * listening.
   */
  static SimulatorConfiguration create(ConfigurationAdmin configAdmin) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    // Location "?" so that the configuration binds to the simulator bundle, not to the tests.
    Configuration configuration = configAdmin.getConfiguration(PID, "?");
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("port", port);
    props.put("bind", "127.0.0.1");
    configuration.update(props);
    return new SimulatorConfiguration(configuration, port);
  }

  int port() {
    return port;
  }

  /** Deletes the configuration, which stops the simulator. */
  @Override
  public void close() throws IOException {
    configuration.delete();
  }
}
