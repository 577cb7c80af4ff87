package io.microgrid.dispatch.scheduler.internal.persist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault of issue 5: a gateway process killed with SIGKILL ({@link Process#destroyForcibly()})
 * in the middle of rewriting its persisted schedule, 50 times at random moments, always leaves a
 * file that the next start reads, never one that is moved aside as corrupt.
 */
class KillDuringWritesTest {
  private static final int KILLS = 50;

  @TempDir Path dir;

  @Test
  void theFileIsAlwaysReadableAfterAKillDuringWrites() throws Exception {
    Path path = dir.resolve("schedule-7.pb");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Random random = new Random(5);
    int readable = 0;
    long writes = 0;
    for (int k = 1; k <= KILLS; k++) {
      Process child =
          new ProcessBuilder(
                  java,
                  "-XX:TieredStopAtLevel=1",
                  "-XX:+UseSerialGC",
                  "-cp",
                  System.getProperty("java.class.path"),
                  ScheduleWriterProcess.class.getName(),
                  path.toString())
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      // Reads the child's reports of completed writes; the last one seen counts.
      AtomicLong lastWrite = new AtomicLong();
      CountDownLatch firstWrite = new CountDownLatch(1);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = out.readLine()) != null; ) {
                    lastWrite.set(Long.parseLong(line.split(" ")[1]));
                    firstWrite.countDown();
                  }
                } catch (IOException e) {
                  // The pipe closes when the child is killed.
                }
              });
      reader.start();
      assertTrue(firstWrite.await(60, TimeUnit.SECONDS), "the writer completed no write (round " + k + ")");
      // A random moment in the middle of the stream of writes: each takes about a millisecond.
      TimeUnit.MICROSECONDS.sleep(random.nextInt(30_000));
      child.destroyForcibly();
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      reader.join(10_000);
      writes += lastWrite.get();
      Optional<ScheduleFile.Content> content = new ScheduleFile(path, ScheduleFileTest.MICROGRID, Clock.systemUTC()).load();
      if (content.isPresent() && !content.get().dispatches().isEmpty()) {
        readable++;
      }
      assertEquals(List.of(path), files(), "after kill " + k + ": nothing moved aside, no temporary file left");
    }
    System.out.printf(
        "kill -9 during writes of the persisted schedule: %d/%d files readable afterwards, %d writes completed%n",
        readable, KILLS, writes);
    assertEquals(KILLS, readable);
  }

  private List<Path> files() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().toList();
    }
  }
}
