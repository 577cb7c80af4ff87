package io.microgrid.dispatch.gateway.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration directory and the defaults it is created with (contract, "Running it"): a
 * simulator on 127.0.0.1:50051 without TLS, a client pointing at it, a scheduler for microgrid 1,
 * and the log levels, as FileInstall / Karaf {@code .cfg} files.
 */
final class EtcDefaults {
  /** System (or framework) property naming the configuration directory. */
  static final String ETC_PROPERTY = "dispatch.etc";

  /** The configuration directory when {@value #ETC_PROPERTY} is not set, under the working directory. */
  static final String DEFAULT_ETC = "etc";

  /**
   * System property with the port written into the defaults (simulator and client) when the
   * directory is created; for running two gateways, or tests, side by side. Default 50051.
   */
  static final String PORT_PROPERTY = "dispatch.defaults.port";

  /** The port of the defaults. */
  static final int DEFAULT_PORT = 50051;

  /** The file of the simulator's configuration. */
  static final String SIMULATOR_CFG = "io.microgrid.dispatch.simulator.cfg";

  /** The file of the client's configuration. */
  static final String CLIENT_CFG = "io.microgrid.dispatch.client.cfg";

  /** The file of the scheduler's factory configuration, named "gateway". */
  static final String SCHEDULER_CFG = "io.microgrid.dispatch.scheduler-gateway.cfg";

  /** The file of the log levels: ConfigAdmin PID org.osgi.service.log.admin, read by Felix Log. */
  static final String LOG_LEVELS_CFG = "org.osgi.service.log.admin.cfg";

  /** The microgrid of the default scheduler (and of the sample dispatch). */
  static final long MICROGRID_ID = 1;

  /**
   * The key of the default client configuration: the client does not start without one, and the
   * default simulator (no key of its own) accepts any.
   */
  static final String SIMULATOR_CLIENT_KEY = "local-simulator";

  private EtcDefaults() {}

  /**
   * Resolves the configuration directory.
   *
   * @param property the value of {@value #ETC_PROPERTY}, or null
   * @param workingDirectory where a relative path is resolved
   * @return an absolute, normalized path
   */
  static Path resolve(String property, Path workingDirectory) {
    String dir = property == null || property.isBlank() ? DEFAULT_ETC : property.strip();
    return workingDirectory.resolve(dir).toAbsolutePath().normalize();
  }

  /**
   * Reads the port of the defaults.
   *
   * @param property the value of {@value #PORT_PROPERTY}, or null
   * @return the port
   * @throws IllegalArgumentException when it is not a port number
   */
  static int port(String property) {
    if (property == null || property.isBlank()) {
      return DEFAULT_PORT;
    }
    try {
      int port = Integer.parseInt(property.strip());
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        PORT_PROPERTY + " must be a port number (1..65535), got '" + property + "'");
  }

  /**
   * Returns the default files and their text, in the order they are written.
   *
   * @param port the simulator's port
   * @return file name to content
   */
  static Map<String, String> files(int port) {
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        SIMULATOR_CFG,
        "# The embedded Dispatch API simulator: a local gRPC server without TLS.\n"
            + "# Edits are applied while the gateway runs; delete this file to stop the simulator.\n"
            + "port = "
            + port
            + "\n"
            + "bind = 127.0.0.1\n"
            + "# .key = secret    (when set, calls without this key are refused)\n");
    files.put(
        CLIENT_CFG,
        "# The Dispatch API the gateway talks to: here the embedded simulator.\n"
            + "# For the real API: url = grpc://dispatch.example.com:443 and .key = your-api-key\n"
            + "url = grpc://127.0.0.1:"
            + port
            + "?ssl=false\n"
            + "# The client requires a key; the simulator accepts any while it has none set.\n"
            + ".key = "
            + SIMULATOR_CLIENT_KEY
            + "\n");
    files.put(
        SCHEDULER_CFG,
        "# One scheduler per microgrid: factory configuration io.microgrid.dispatch.scheduler,\n"
            + "# one file io.microgrid.dispatch.scheduler-<name>.cfg each.\n"
            + "microgrid.id = "
            + MICROGRID_ID
            + "\n");
    files.put(
        LOG_LEVELS_CFG,
        "# Log levels (OSGi LoggerAdmin): ROOT for every logger, and a line per logger name for\n"
            + "# exceptions; a name covers the loggers below it. Levels: ERROR, WARN, INFO, DEBUG,\n"
            + "# TRACE. Entries are printed on standard error. Edits are applied while the gateway\n"
            + "# runs; for example, to see every transition the scheduler decides, add:\n"
            + "# io.microgrid.dispatch.scheduler = DEBUG\n"
            + "ROOT = INFO\n");
    return files;
  }

  /**
   * Creates the directory with the default files when it does not exist yet. Each file is
   * written under a temporary name and then moved into place, so a directory watcher never reads
   * half a file.
   *
   * @param etc the directory
   * @param port the port of the defaults
   * @return true when the directory was created now, false when it existed
   * @throws IOException when the directory or a file cannot be written
   */
  static boolean createIfMissing(Path etc, int port) throws IOException {
    if (Files.exists(etc)) {
      if (!Files.isDirectory(etc)) {
        throw new IOException(etc + " (" + ETC_PROPERTY + ") is not a directory");
      }
      return false;
    }
    Files.createDirectories(etc);
    for (Map.Entry<String, String> file : files(port).entrySet()) {
      Path target = etc.resolve(file.getKey());
      Path temporary = etc.resolve("." + file.getKey() + ".tmp");
      Files.writeString(temporary, file.getValue(), StandardCharsets.UTF_8);
      Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
    }
    return true;
  }
}
