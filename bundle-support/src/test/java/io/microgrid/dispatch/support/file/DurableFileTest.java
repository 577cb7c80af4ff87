package io.microgrid.dispatch.support.file;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DurableFileTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-23T18:00:00Z"), ZoneOffset.UTC);

  @TempDir Path dir;

  private static String text(byte[] bytes) throws DurableFile.Unreadable {
    String s = new String(bytes, StandardCharsets.UTF_8);
    if (!s.startsWith("v1:")) {
      throw new DurableFile.Unreadable("it does not start with v1:");
    }
    return s.substring(3);
  }

  @Test
  void aMissingFileIsNoContent() throws IOException {
    assertEquals(Optional.empty(), new DurableFile(dir.resolve("state"), CLOCK, "test").read(DurableFileTest::text));
  }

  @Test
  void whatIsReplacedIsReadBackAndNoTemporaryFileRemains() throws IOException {
    DurableFile file = new DurableFile(dir.resolve("sub/state"), CLOCK, "test");
    file.replace("v1:first".getBytes(StandardCharsets.UTF_8));
    file.replace("v1:second".getBytes(StandardCharsets.UTF_8));
    assertEquals(Optional.of("second"), file.read(DurableFileTest::text));
    assertEquals(List.of(dir.resolve("sub/state")), list(dir.resolve("sub")));
  }

  @Test
  void aLeftoverTemporaryFileOfAnInterruptedWriteIsIgnoredAndRemoved() throws IOException {
    DurableFile file = new DurableFile(dir.resolve("state"), CLOCK, "test");
    file.replace("v1:complete".getBytes(StandardCharsets.UTF_8));
    Files.write(dir.resolve("state.tmp"), new byte[] {'v', '1'});
    assertEquals(Optional.of("complete"), file.read(DurableFileTest::text));
    assertFalse(Files.exists(dir.resolve("state.tmp")));
  }

  @Test
  void anUnreadableFileIsMovedAsideNotDeleted() throws IOException {
    Path path = dir.resolve("state");
    Files.write(path, "garbage".getBytes(StandardCharsets.UTF_8));
    DurableFile file = new DurableFile(path, CLOCK, "test");
    assertEquals(Optional.empty(), file.read(DurableFileTest::text));
    Path aside = dir.resolve("state.corrupt-20261123T180000Z");
    assertEquals(List.of(aside), list(dir));
    assertArrayEquals("garbage".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(aside));

    // A second bad file in the same second gets its own name: nothing is overwritten.
    Files.write(path, "worse".getBytes(StandardCharsets.UTF_8));
    assertEquals(Optional.empty(), file.read(DurableFileTest::text));
    assertTrue(Files.exists(dir.resolve("state.corrupt-20261123T180000Z-1")));
    // And the next write starts afresh.
    file.replace("v1:fresh".getBytes(StandardCharsets.UTF_8));
    assertEquals(Optional.of("fresh"), file.read(DurableFileTest::text));
  }

  private static List<Path> list(Path directory) throws IOException {
    try (Stream<Path> s = Files.list(directory)) {
      return s.sorted().toList();
    }
  }
}
