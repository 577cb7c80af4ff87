package io.microgrid.dispatch.simulator.internal;

import static io.microgrid.dispatch.simulator.internal.Loopback.newDispatch;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.AuthenticationException;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.client.DispatchConnection;
import java.io.File;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;

/**
 * The DS component without a framework: activation from configuration properties, the store in
 * the bundle's data area, live edits, refusal of malformed configurations, and its log lines.
 */
class SimulatorComponentTest {
  private static final long MICROGRID = 1;
  private static final String KEY = "never-log-this-key";

  @TempDir Path dataArea;

  private final List<String> log = new ArrayList<>();
  private final Logger julLogger = Logger.getLogger("io.microgrid.dispatch.simulator");
  private final Handler capture =
      new Handler() {
        private final SimpleFormatter formatter = new SimpleFormatter();

        @Override
        public void publish(LogRecord record) {
          synchronized (log) {
            log.add(record.getLevel() + " " + formatter.formatMessage(record));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @BeforeEach
  void captureLog() {
    julLogger.addHandler(capture);
  }

  @AfterEach
  void releaseLog() {
    julLogger.removeHandler(capture);
  }

  /** A BundleContext that only has a data area; the component needs nothing else. */
  private BundleContext context() {
    return (BundleContext)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {BundleContext.class},
            (proxy, method, args) -> {
              if (method.getName().equals("getDataFile")) {
                return new File(dataArea.toFile(), (String) args[0]);
              }
              throw new UnsupportedOperationException(method.getName());
            });
  }

  private static Map<String, Object> config(Object port, String bind, String key) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("service.pid", SimulatorOptions.PID);
    properties.put("port", port);
    properties.put("bind", bind);
    if (key != null) {
      properties.put(".key", key);
    }
    return properties;
  }

  private List<String> logLines() {
    synchronized (log) {
      return List.copyOf(log);
    }
  }

  @Test
  void runsFromConfigurationKeepsTheStoreInTheDataAreaAndAppliesEdits() throws Exception {
    SimulatorComponent component = new SimulatorComponent(context(), config(0, "127.0.0.1", KEY));
    Dispatch d;
    try (DispatchConnection client = DispatchConnection.open(Loopback.clientOptions(component.port(), KEY))) {
      d = client.create(MICROGRID, newDispatch("A").build());
    }
    assertTrue(dataArea.resolve(SimulatorComponent.STORE_FILE).toFile().isFile());

    // An edit with a new address restarts the server there, with the same store.
    int port = SimulatorStoreTest.freePort();
    component.modified(config(port, "127.0.0.1", KEY));
    assertEquals(port, component.port());
    try (DispatchConnection client = DispatchConnection.open(Loopback.clientOptions(port, KEY))) {
      assertEquals(List.of(d), client.list(MICROGRID, DispatchQuery.ALL).toList());
    }

    // A malformed edit is refused; the simulator keeps running as it was.
    component.modified(config(70000, "127.0.0.1", null));
    assertEquals(port, component.port());
    try (DispatchConnection client = DispatchConnection.open(Loopback.clientOptions(port, null))) {
      assertThrows(AuthenticationException.class, () -> client.get(MICROGRID, d.id()));
    }
    component.deactivate();

    // A restart of the bundle: a new component over the same data area finds the dispatch.
    SimulatorComponent again = new SimulatorComponent(context(), config(String.valueOf(port), "127.0.0.1", null));
    try (DispatchConnection client = DispatchConnection.open(Loopback.clientOptions(port, null))) {
      assertEquals(List.of(d), client.list(MICROGRID, DispatchQuery.ALL).toList());
      assertEquals(d.id() + 1, client.create(MICROGRID, newDispatch("B").build()).id());
    } finally {
      again.deactivate();
    }

    List<String> lines = logLines();
    assertEquals(3, lines.stream().filter(l -> l.contains("listening on 127.0.0.1:")).count(), lines::toString);
    assertEquals(3, lines.stream().filter(l -> l.contains("stopped")).count(), lines::toString);
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("SEVERE") && l.contains("'port' = 70000")), lines::toString);
    assertTrue(lines.stream().anyMatch(l -> l.contains("listening on 127.0.0.1:" + port)), lines::toString);
    assertFalse(lines.stream().anyMatch(l -> l.contains(KEY)), lines::toString);
  }

  @Test
  void aMalformedConfigurationFailsActivationWithALineThatSaysWhatToFix() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> new SimulatorComponent(context(), config(0, "no such address!", KEY)));
    assertTrue(e.getMessage().contains(SimulatorOptions.PID), e.getMessage());
    assertTrue(e.getMessage().contains("'bind'"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> new SimulatorComponent(context(), config("fifty", "127.0.0.1", null)));

    List<String> lines = logLines();
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("SEVERE") && l.contains("'bind'") && l.contains("0.0.0.0")),
        lines::toString);
    assertTrue(
        lines.stream().anyMatch(l -> l.startsWith("SEVERE") && l.contains("'port'") && l.contains("65535")),
        lines::toString);
    assertFalse(lines.stream().anyMatch(l -> l.contains(KEY)), lines::toString);
  }
}
