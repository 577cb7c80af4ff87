package io.microgrid.dispatch.itest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
   * Creates the configuration and waits until the simulator listens. SCR activates it on a thread
   * of its own, and nothing else tells when: a client configured before that would meet a refused
   * connection and wait out gRPC's reconnect backoff.
   */
  static SimulatorConfiguration create(ConfigurationAdmin configAdmin) throws Exception {
    return create(configAdmin, null);
  }

  /**
   * As {@link #create(ConfigurationAdmin)}, with a signing secret that every call must be signed
   * with (property {@code .sign.secret}), unless it is null.
   */
  static SimulatorConfiguration create(ConfigurationAdmin configAdmin, String signSecretOrNull)
      throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    // Location "?" so that the configuration binds to the simulator bundle, not to the tests.
    Configuration configuration = configAdmin.getConfiguration(PID, "?");
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("port", port);
    props.put("bind", "127.0.0.1");
    if (signSecretOrNull != null) {
      props.put(".sign.secret", signSecretOrNull);
    }
    configuration.update(props);
    awaitListening(port);
    return new SimulatorConfiguration(configuration, port);
  }

  /** Connects to the port until it accepts, failing the test after {@link SchedulerFixture#TIMEOUT}. */
  private static void awaitListening(int port) throws InterruptedException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    long deadline = System.nanoTime() + SchedulerFixture.TIMEOUT.toNanos();
    while (true) {
      try (Socket socket = new Socket()) {
        socket.connect(address, 1000);
        return;
      } catch (IOException refused) {
        if (System.nanoTime() - deadline > 0) {
          throw new AssertionError(
              "the simulator does not listen on " + address + " within " + SchedulerFixture.TIMEOUT
                  + " of its configuration: " + refused);
        }
        // A refused connection returns at once; a short pause keeps this from spinning.
        Thread.sleep(20);
      }
    }
  }

  int port() {
    return port;
  }

  /**
   * Deletes the configuration and waits until the simulator stopped listening: SCR handles the
   * deletion on a thread of its own, and a new configuration of the same PID made before that is
   * done can be taken for the old one and never start a simulator.
   */
  @Override
  public void close() throws IOException {
    configuration.delete();
    InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
    long deadline = System.nanoTime() + SchedulerFixture.TIMEOUT.toNanos();
    while (System.nanoTime() - deadline < 0) {
      try (Socket socket = new Socket()) {
        socket.connect(address, 1000);
      } catch (IOException refused) {
        return;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    throw new AssertionError(
        "the simulator still listens on " + address + " " + SchedulerFixture.TIMEOUT
            + " after its configuration was deleted");
  }
}
