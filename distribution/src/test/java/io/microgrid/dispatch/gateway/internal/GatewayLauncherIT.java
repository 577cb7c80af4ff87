package io.microgrid.dispatch.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.shell.text.StrictJson;

/**
 * Starts {@code java -jar target/dispatch-gateway.jar} as a child process with a fresh
 * {@code dispatch.etc}, as a newcomer would, and reads its standard output line by line: the
 * sample dispatch must be created, start and stop, each notification printed as one {@code
 * dispatch-event} JSON line with the contract's fields.
 *
 * <p>Standard input is closed at once, as in CI: the Gogo shell must neither spin nor stop the
 * framework. Waits are bounded and event-driven (a queue of output lines), never sleeps.
 */
class GatewayLauncherIT {
  private static final List<String> FIELDS =
      List.of(
          "kind",
          "state",
          "dispatch_id",
          "microgrid_id",
          "type",
          "at",
          "notified_at",
          "until",
          "dry_run",
          "payload",
          "missed_runs");

  /** ISO-8601, UTC, milliseconds. */
  private static final String INSTANT = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z";

  /** From start-up to the sample's stop: about 2 s to start, 5-6 s to its start, 10 s running. */
  private static final Duration DEADLINE = Duration.ofSeconds(90);

  private static final String EOF = "\u0000EOF";

  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final BlockingQueue<String> errorLines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  private Process process;
  private Thread killOnExit;
  private Path stderr;

  @AfterEach
  void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    Runtime.getRuntime().removeShutdownHook(killOnExit);
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      assertTrue(process.waitFor(15, TimeUnit.SECONDS), "the gateway did not die");
    }
  }

  @Test
  void aFreshStartCreatesEtcAndPrintsTheSampleDispatchStartingAndStopping() throws Exception {
    Path run = newRun();
    Path etc = run.resolve("etc");
    int port = freePort();
    long started = System.nanoTime();
    start(run, port, "-Ddispatch.etc=" + etc);

    Instant deadline = Instant.now().plus(DEADLINE);
    Map<String, Object> first = next(deadline, f -> true);
    long firstMillis = millisSince(started);
    // Raise the scheduler's loggers to DEBUG while the gateway runs; the sample stops at least
    // 10 s later, long after FileInstall (1 s poll) has passed the edit on to the Log Service.
    // Written aside and moved into place, so that FileInstall never reads half a file.
    Path levels = etc.resolve("org.osgi.service.log.admin.cfg");
    Path edited = run.resolve("levels.tmp");
    Files.writeString(
        edited, Files.readString(levels) + "io.microgrid.dispatch.scheduler = DEBUG\n");
    Files.move(edited, levels, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    Map<String, Object> running =
        next(deadline, f -> "running".equals(f.get("kind")) && "RUNNING".equals(f.get("state")));
    long runningMillis = millisSince(started);
    Object id = running.get("dispatch_id");
    Map<String, Object> stopped =
        next(
            deadline,
            f -> "running".equals(f.get("kind"))
                && "STOPPED".equals(f.get("state"))
                && id.equals(f.get("dispatch_id")));
    long stoppedMillis = millisSince(started);
    System.out.printf(
        "dispatch-gateway.jar (%d bytes): first notification (%s) %d ms after start, "
            + "sample RUNNING after %d ms, STOPPED after %d ms%n",
        Files.size(gatewayJar()), first.get("kind"), firstMillis, runningMillis, stoppedMillis);

    // The running line, field by field.
    assertEquals("DEMO", running.get("type"));
    assertEquals(1.0, running.get("microgrid_id"));
    assertTrue(((Double) id) > 0, "dispatch_id " + id);
    assertEquals(Boolean.FALSE, running.get("dry_run"));
    assertTrue(running.get("payload") instanceof Map, "payload is a JSON object");
    assertEquals(List.of(), running.get("missed_runs"));
    Instant at = instant(running, "at");
    Instant notifiedAt = instant(running, "notified_at");
    Instant until = instant(running, "until");
    assertEquals(at.plusSeconds(10), until, "runs 10 s");
    assertFalse(notifiedAt.isBefore(at), "notified at or after the transition");
    assertTrue(
        Duration.between(at, notifiedAt).compareTo(Duration.ofSeconds(2)) < 0,
        "notified on time: " + at + " -> " + notifiedAt);

    // The stop: at the end of the run, no until.
    assertEquals(until, instant(stopped, "at"));
    assertNull(stopped.get("until"));
    assertEquals("DEMO", stopped.get("type"));

    // The creation was printed as a lifecycle line, before the start.
    Map<String, Object> created =
        seen.stream()
            .map(GatewayLauncherIT::json)
            .filter(f -> "created".equals(f.get("kind")) && id.equals(f.get("dispatch_id")))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no created line in " + seen));
    assertNull(created.get("state"));
    assertEquals(created.get("at"), created.get("notified_at"));
    assertNull(created.get("until"));

    // Standard error carries the Log Service's entries, one line each, INFO by default: the
    // scheduler's start-up line; and after the live edit the scheduler's DEBUG line of the stop.
    String entry = INSTANT + " (INFO |DEBUG) (io\\.microgrid\\.dispatch\\.\\S+) \\[(\\S+)\\]: (.*)";
    nextError(deadline, line -> line.matches(entry) && line.contains(" INFO  ")
        && line.contains("dispatch scheduler started for microgrid 1"));
    nextError(deadline, line -> line.matches(entry) && line.contains(" DEBUG ")
        && line.contains("[io.microgrid.dispatch.scheduler]")
        && line.contains("dispatch " + ((Double) id).longValue() + " of microgrid 1 (DEMO) STOPPED"));

    // Standard output carries nothing but dispatch-event lines.
    for (String line : seen) {
      assertTrue(line.startsWith("dispatch-event {"), "unexpected output: " + line);
    }

    // The fresh etc/ holds the three defaults, pointing at the port given.
    try (Stream<Path> files = Files.list(etc)) {
      assertEquals(
          List.of(
              "io.microgrid.dispatch.client.cfg",
              "io.microgrid.dispatch.scheduler-gateway.cfg",
              "io.microgrid.dispatch.simulator.cfg",
              "org.osgi.service.log.admin.cfg"),
          files.map(f -> f.getFileName().toString()).sorted().toList());
    }
    assertTrue(
        Files.readString(etc.resolve("io.microgrid.dispatch.simulator.cfg")).contains("port = " + port));
    assertTrue(
        Files.readString(etc.resolve("io.microgrid.dispatch.client.cfg"))
            .contains("url = grpc://127.0.0.1:" + port + "?ssl=false"));
    assertTrue(
        Files.readString(etc.resolve("io.microgrid.dispatch.scheduler-gateway.cfg"))
            .contains("microgrid.id = 1"));

    // The deploy directory of the contract's default, created under the working directory.
    assertTrue(Files.isDirectory(run.resolve("deploy")), "deploy/ created");

    assertTrue(process.isAlive(), "the gateway keeps running with standard input closed");
  }

  @Test
  void aBundleDroppedIntoTheDeployDirectoryRunsItsComponentUntilItIsDeleted() throws Exception {
    Path bundle = Path.of(System.getProperty("example.bundle", "../example-device-bundle/target/none.jar"));
    assertTrue(Files.isRegularFile(bundle), bundle + " was not built");
    Path run = newRun();
    Path etc = run.resolve("etc");
    Path deploy = run.resolve("device-bundles");
    start(run, freePort(), "-Ddispatch.etc=" + etc, "-Ddispatch.deploy=" + deploy);
    Instant deadline = Instant.now().plus(DEADLINE);
    nextError(deadline, line -> line.contains("installing the bundles dropped into " + deploy));

    // The charger's factory configuration, as a user writes it into etc/.
    write(
        etc.resolve("io.microgrid.dispatch.example.charger-test.cfg"),
        "payload.power_w = 5000\ndispatch.id = 42\n");
    String device = " [io.microgrid.dispatch.example.device]: ";
    dropBundle(deploy, bundle, deadline,
        line -> line.contains(device + "charging started: 5000 W for dispatch 42 (BATTERY_CHARGE)"));

    // Deleting the jar uninstalls the bundle: its component stops.
    Files.delete(deploy.resolve(bundle.getFileName()));
    nextError(deadline, line -> line.contains(device + "charging stopped"));
    // Its other component waits for a BATTERY_CHARGE dispatch to run, and none did.
    assertFalse(
        Files.readString(stderr).contains("charging window open"),
        "the condition-gated component stayed inactive");
    assertTrue(process.isAlive(), "the gateway keeps running");
  }

  @Test
  void aBindingDrivesTheDroppedDeviceBundleWhileItsDispatchRuns() throws Exception {
    Path bundle = Path.of(System.getProperty("example.bundle", "../example-device-bundle/target/none.jar"));
    assertTrue(Files.isRegularFile(bundle), bundle + " was not built");
    Path run = newRun();
    Path etc = run.resolve("etc");
    Path deploy = run.resolve("deploy");
    int port = freePort();
    start(run, port, "-Ddispatch.etc=" + etc, "-Ddispatch.deploy=" + deploy);
    Instant deadline = Instant.now().plus(DEADLINE);
    nextError(deadline, line -> line.contains("installing the bundles dropped into " + deploy));

    // What a user writes: a binding of BATTERY_CHARGE dispatches to the example's charger, and the
    // charger's bundle dropped into deploy/. No configuration of the charger itself.
    write(
        etc.resolve("io.microgrid.dispatch.actor-charger.cfg"),
        "microgrid.id = 1\ndispatch.type = BATTERY_CHARGE\n"
            + "actor.pid = io.microgrid.dispatch.example.charger\n");
    String device = " [io.microgrid.dispatch.example.device]: ";
    Path copy = Files.createTempFile(run, "bundle-", ".tmp");
    Files.copy(bundle, copy, StandardCopyOption.REPLACE_EXISTING);
    Files.move(copy, deploy.resolve(bundle.getFileName()), StandardCopyOption.ATOMIC_MOVE);

    // A dispatch created on the gateway's simulator, as an operator would with dispatch-cli, once
    // the simulator answers: the first dispatch-event line (the sample's creation) shows that.
    next(deadline, f -> true);
    Instant start = Instant.now().plusSeconds(4).truncatedTo(ChronoUnit.SECONDS);
    long id;
    try (DispatchConnection operator =
        DispatchConnection.open(
            ClientOptions.builder("grpc://127.0.0.1:" + port + "?ssl=false").key("operator").build())) {
      id =
          operator.create(
                  1,
                  NewDispatch.builder("BATTERY_CHARGE", TargetComponents.ids(7))
                      .startTime(start)
                      .duration(Duration.ofSeconds(3))
                      .payload(Payload.of(Map.of("power_w", 4000)))
                      .build())
              .id();
    }
    nextError(deadline, line -> line.contains(
        device + "charging started: 4000 W for dispatch " + id + " (BATTERY_CHARGE)"));
    Instant activated = Instant.now();
    nextError(deadline, line -> line.contains(device + "charging stopped"));
    Instant deactivated = Instant.now();
    System.out.printf(
        "binding-driven charger: activated %d ms after the dispatch's start, deactivated %d ms"
            + " after its end%n",
        Duration.between(start, activated).toMillis(),
        Duration.between(start.plusSeconds(3), deactivated).toMillis());
    assertFalse(activated.isBefore(start), "not activated before the dispatch's start");
    assertFalse(deactivated.isBefore(start.plusSeconds(3)), "not deactivated before its end");
    // The running condition of BATTERY_CHARGE held meanwhile: the example's gated component ran.
    String log = Files.readString(stderr);
    assertTrue(log.contains(device + "a BATTERY_CHARGE dispatch runs: charging window open"), log);
    assertTrue(process.isAlive(), "the gateway keeps running");
  }

  /**
   * Drops a bundle into the deploy directory as a user would (whole, never half a file) and waits
   * for the line on standard error that shows it at work.
   */
  private void dropBundle(Path deploy, Path bundle, Instant deadline, Predicate<String> working)
      throws IOException, InterruptedException {
    Path copy = Files.createTempFile(deploy.getParent(), "bundle-", ".tmp");
    Files.copy(bundle, copy, StandardCopyOption.REPLACE_EXISTING);
    Files.move(copy, deploy.resolve(bundle.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    nextError(deadline, working);
  }

  /** Writes a file aside and moves it into place, so that FileInstall never reads half of it. */
  private static void write(Path file, String content) throws IOException {
    // Beside etc/: FileInstall would read a temporary file inside it.
    Path aside = Files.createTempFile(file.getParent().getParent(), "cfg-", ".tmp");
    Files.writeString(aside, content);
    Files.move(aside, file, StandardCopyOption.ATOMIC_MOVE);
  }

  private static Path gatewayJar() {
    Path jar = Path.of(System.getProperty("gateway.jar", "target/dispatch-gateway.jar"));
    assertTrue(Files.isRegularFile(jar), jar + " was not built");
    return jar;
  }

  private Path newRun() throws IOException {
    Path work = Files.createDirectories(Path.of(System.getProperty("gateway.work", "target/gateway-it")));
    Path run = Files.createTempDirectory(work, "run-").toAbsolutePath();
    stderr = run.resolve("gateway-stderr.log");
    return run;
  }

  /**
   * Starts {@code java -jar dispatch-gateway.jar} in {@code run} with the defaults' port and the
   * given system properties, standard input closed, both outputs read line by line.
   */
  private void start(Path run, int port, String... properties) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(properties));
    // The defaults' port, so that a gateway running on 50051 does not break the build.
    command.add("-Ddispatch.defaults.port=" + port);
    command.add("-jar");
    command.add(gatewayJar().toAbsolutePath().toString());
    process = new ProcessBuilder(command).directory(run.toFile()).start();
    // A build that is interrupted must not leave a gateway running.
    Process child = process;
    killOnExit = new Thread(child::destroyForcibly, "kill-gateway");
    Runtime.getRuntime().addShutdownHook(killOnExit);
    // No terminal and no input, as in CI: the console must not stop the framework on EOF.
    process.getOutputStream().close();
    Thread reader = new Thread(this::readStdout, "gateway-stdout");
    reader.setDaemon(true);
    reader.start();
    Thread errorReader = new Thread(this::readStderr, "gateway-stderr");
    errorReader.setDaemon(true);
    errorReader.start();
  }

  /** Returns the next dispatch-event line that matches, as JSON; fails at the deadline. */
  private Map<String, Object> next(Instant deadline, Predicate<Map<String, Object>> wanted)
      throws InterruptedException, IOException {
    while (true) {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      String line = left > 0 ? lines.poll(left, TimeUnit.MILLISECONDS) : null;
      if (line == null) {
        fail("no matching dispatch-event line within " + DEADLINE + "; stdout: " + seen + diagnostics());
      }
      if (line.equals(EOF)) {
        fail("the gateway ended its output (exit " + exitCode() + "); stdout: " + seen + diagnostics());
      }
      seen.add(line);
      if (line.startsWith("dispatch-event ")) {
        Map<String, Object> fields = json(line);
        if (wanted.test(fields)) {
          return fields;
        }
      }
    }
  }

  /** Waits for a line on standard error that matches; fails at the deadline. */
  private void nextError(Instant deadline, Predicate<String> wanted) throws InterruptedException, IOException {
    while (true) {
      long left = Duration.between(Instant.now(), deadline).toMillis();
      String line = left > 0 ? errorLines.poll(left, TimeUnit.MILLISECONDS) : null;
      if (line == null || line.equals(EOF)) {
        fail("no matching line on standard error" + diagnostics());
      }
      if (wanted.test(line)) {
        return;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(String line) {
    Map<String, Object> fields =
        (Map<String, Object>) StrictJson.parse(line.substring("dispatch-event ".length()));
    assertEquals(FIELDS, List.copyOf(fields.keySet()), "the contract's fields: " + line);
    return fields;
  }

  private static Instant instant(Map<String, Object> fields, String name) {
    Object value = fields.get(name);
    assertNotNull(value, name);
    assertTrue(value.toString().matches(INSTANT), name + " is ISO-8601 UTC with ms: " + value);
    return Instant.parse(value.toString());
  }

  private void readStdout() {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      // the process went away; EOF below
    }
    lines.add(EOF);
  }

  /** Keeps every line of standard error in the file of the diagnostics, and in a queue. */
  private void readStderr() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8));
        java.io.Writer file = Files.newBufferedWriter(stderr, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        file.write(line + "\n");
        file.flush();
        errorLines.add(line);
      }
    } catch (IOException e) {
      // the process went away; EOF below
    }
    errorLines.add(EOF);
  }

  private String exitCode() {
    try {
      return process.waitFor(5, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "none yet";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }

  private String diagnostics() throws IOException {
    List<String> err = Files.exists(stderr) ? Files.readAllLines(stderr) : List.of();
    return "\n--- stderr (" + stderr + "), last lines:\n"
        + String.join("\n", err.subList(Math.max(0, err.size() - 60), err.size()));
  }

  private static long millisSince(long nanoTime) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanoTime);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
