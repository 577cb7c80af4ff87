package io.microgrid.dispatch.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.NewDispatch;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcDefaultsTest {
  @TempDir Path temp;

  private static Properties read(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    return p;
  }

  @Test
  void aMissingDirectoryIsCreatedWithTheDefaults() throws IOException {
    Path etc = temp.resolve("a/b/etc");

    assertTrue(EtcDefaults.createIfMissing(etc, EtcDefaults.DEFAULT_PORT));

    try (Stream<Path> files = Files.list(etc)) {
      assertEquals(
          List.of(
              "io.microgrid.dispatch.client.cfg",
              "io.microgrid.dispatch.scheduler-gateway.cfg",
              "io.microgrid.dispatch.simulator.cfg",
              "org.osgi.service.log.admin.cfg"),
          files.map(f -> f.getFileName().toString()).sorted().toList(),
          "exactly the four files, no temporary file left");
    }
    Properties simulator = read(etc.resolve("io.microgrid.dispatch.simulator.cfg"));
    assertEquals("50051", simulator.getProperty("port"));
    assertEquals("127.0.0.1", simulator.getProperty("bind"));
    assertFalse(simulator.containsKey(".key"), "no key by default");
    Properties client = read(etc.resolve("io.microgrid.dispatch.client.cfg"));
    assertEquals("grpc://127.0.0.1:50051?ssl=false", client.getProperty("url"));
    assertFalse(
        client.getProperty(".key", "").isBlank(),
        "the client has a key, or it would not start; the keyless simulator accepts any");
    assertEquals(
        "1", read(etc.resolve("io.microgrid.dispatch.scheduler-gateway.cfg")).getProperty("microgrid.id"));
    Properties levels = read(etc.resolve("org.osgi.service.log.admin.cfg"));
    assertEquals("INFO", levels.getProperty("ROOT"));
    assertEquals(1, levels.size(), "the example of raising one logger is a comment: " + levels);
  }

  @Test
  void anExistingDirectoryIsLeftAlone() throws IOException {
    Path etc = Files.createDirectories(temp.resolve("etc"));
    Files.writeString(etc.resolve("io.microgrid.dispatch.client.cfg"), "url = grpc://x:1\n");

    assertFalse(EtcDefaults.createIfMissing(etc, EtcDefaults.DEFAULT_PORT));

    try (Stream<Path> files = Files.list(etc)) {
      assertEquals(1, files.count(), "no simulator configuration added");
    }
  }

  @Test
  void aFileInTheWayIsAnError() throws IOException {
    Path etc = Files.writeString(temp.resolve("etc"), "");

    assertThrows(IOException.class, () -> EtcDefaults.createIfMissing(etc, 50051));
  }

  @Test
  void theDefaultsCanUseAnotherPort() throws IOException {
    Path etc = temp.resolve("etc");

    EtcDefaults.createIfMissing(etc, EtcDefaults.port("50123"));

    assertEquals("50123", read(etc.resolve("io.microgrid.dispatch.simulator.cfg")).getProperty("port"));
    assertEquals(
        "grpc://127.0.0.1:50123?ssl=false",
        read(etc.resolve("io.microgrid.dispatch.client.cfg")).getProperty("url"));
    assertEquals(50051, EtcDefaults.port(null));
    assertThrows(IllegalArgumentException.class, () -> EtcDefaults.port("0"));
    assertThrows(IllegalArgumentException.class, () -> EtcDefaults.port("http"));
  }

  @Test
  void theDirectoryDefaultsToEtcUnderTheWorkingDirectory() {
    Path work = temp.resolve("work");

    assertEquals(work.resolve("etc").toAbsolutePath(), EtcDefaults.resolve(null, work));
    assertEquals(work.resolve("etc").toAbsolutePath(), EtcDefaults.resolve(" ", work));
    assertEquals(work.resolve("conf").toAbsolutePath(), EtcDefaults.resolve("x/../conf", work));
    assertEquals(temp.resolve("abs").toAbsolutePath(), EtcDefaults.resolve(temp.resolve("abs").toString(), work));
  }

  @Test
  void theSampleStartsInFiveToSixSecondsRunsTenSecondsEveryMinuteThreeTimes() {
    Instant now = Instant.parse("2026-11-23T10:00:00.250Z");

    NewDispatch sample = DemoDispatch.sample(now);

    assertEquals("DEMO", sample.type());
    assertEquals(Instant.parse("2026-11-23T10:00:06Z"), sample.startTime().orElseThrow());
    assertEquals(Duration.ofSeconds(10), sample.duration().orElseThrow());
    assertEquals(Frequency.MINUTELY, sample.recurrence().orElseThrow().frequency());
    assertEquals(1, sample.recurrence().orElseThrow().effectiveInterval());
    assertEquals(3, sample.recurrence().orElseThrow().count().getAsInt());
    assertTrue(sample.active());
    assertFalse(sample.dryRun());
  }
}
