package io.microgrid.dispatch.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.DispatchClient;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.util.tracker.ServiceTracker;

/** The shell bundle's commands in the Gogo runtime, against a configured client on loopback. */
class GogoCommandsTest {
  private static final String PID = "io.microgrid.dispatch.client";
  private static final String KEY = "gogo-itest-key";
  private static final long TIMEOUT_MS = 10_000;

  @InjectBundleContext BundleContext context;
  @InjectService ConfigurationAdmin configAdmin;
  @InjectService CommandProcessor processor;

  private DispatchTestServer server;
  private Configuration configuration;

  @BeforeEach
  void start() throws Exception {
    server = DispatchTestServer.start(KEY);
    configuration = configAdmin.getConfiguration(PID, "?");
    Hashtable<String, Object> props = new Hashtable<>();
    props.put("url", "grpc://127.0.0.1:" + server.port() + "?ssl=false");
    props.put(".key", KEY);
    props.put("call.timeout.seconds", 5L);
    configuration.update(props);
  }

  @AfterEach
  void stop() throws Exception {
    configuration.delete();
    Services.awaitNone(context, DispatchClient.class, Duration.ofMillis(TIMEOUT_MS));
    server.close();
  }

  @Test
  void dispatchListPrintsTheTableInTheSession() throws Exception {
    ServiceTracker<DispatchClient, DispatchClient> clients =
        new ServiceTracker<>(context, DispatchClient.class, null);
    ServiceTracker<Object, Object> commands =
        new ServiceTracker<>(
            context, context.createFilter("(&(osgi.command.scope=dispatch)(osgi.command.function=list))"), null);
    clients.open();
    commands.open();
    try {
      DispatchClient client = clients.waitForService(TIMEOUT_MS);
      assertNotNull(client, "no DispatchClient");
      assertNotNull(commands.waitForService(TIMEOUT_MS), "no dispatch commands registered");
      assertEquals(
          "io.microgrid.dispatch.shell",
          FrameworkUtil.getBundle(commands.getService().getClass()).getSymbolicName());
      client.create(
          1,
          NewDispatch.builder("GOGO_ITEST", TargetComponents.ids(4, 5))
              .startTime(Instant.now().plus(Duration.ofHours(1)))
              .duration(Duration.ofMinutes(15))
              .build());

      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
          PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
          CommandSession session =
              processor.createSession(new ByteArrayInputStream(new byte[0]), o, e)) {
        session.execute("dispatch:list 1");
        session.execute("dispatch:get 1 99");
      }
      String printed = out.toString(StandardCharsets.UTF_8);
      List<String> lines = printed.lines().toList();
      assertEquals(3, lines.size(), printed);
      assertTrue(lines.get(0).startsWith("ID  TYPE"), printed);
      assertTrue(lines.get(1).startsWith("1   GOGO_ITEST  "), printed);
      assertTrue(lines.get(1).contains("  15m  ") && lines.get(1).contains("  4,5  "), printed);
      assertEquals("1 dispatch.", lines.get(2));
      String errors = err.toString(StandardCharsets.UTF_8);
      assertEquals(1, errors.lines().count(), errors);
      assertTrue(errors.startsWith("dispatch:get: "), errors);
      assertFalse(printed.contains(KEY) || errors.contains(KEY), "the key was printed");
    } finally {
      commands.close();
      clients.close();
    }
  }
}
