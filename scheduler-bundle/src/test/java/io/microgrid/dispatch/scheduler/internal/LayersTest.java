package io.microgrid.dispatch.scheduler.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's layers point one way (ARCHITECTURE.md, "The scheduler's layers"): each layer's
 * sources name only the scheduler packages it may use. Read from the sources, so that a Javadoc
 * link or a fully qualified name counts as much as an import.
 */
class LayersTest {
  private static final Path SOURCES = Path.of("src/main/java/io/microgrid/dispatch/scheduler/internal");
  private static final Pattern NAMED =
      Pattern.compile("io\\.microgrid\\.dispatch\\.scheduler\\.internal\\.([a-z]+|[A-Z]\\w*)");

  /** Layer -> the scheduler packages its sources may name (their own included). */
  private static final Map<String, Set<String>> MAY_USE =
      Map.of(
          "core", Set.of("core"),
          "delivery", Set.of("delivery", "core"),
          "persist", Set.of("persist", "core", "proto"),
          "runner", Set.of("runner", "core", "delivery", "persist"),
          "conditions", Set.of("conditions", "core", "runner"));

  @Test
  void eachLayerNamesOnlyTheLayersBelowIt() throws IOException {
    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, Set<String>> layer : MAY_USE.entrySet()) {
      Path dir = SOURCES.resolve(layer.getKey());
      assertTrue(Files.isDirectory(dir), dir + " exists");
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).sorted().toList()) {
          Matcher m = NAMED.matcher(Files.readString(file));
          while (m.find()) {
            if (!layer.getValue().contains(m.group(1))) {
              wrong.add(file.getFileName() + " names " + m.group());
            }
          }
        }
      }
    }
    assertEquals(List.of(), wrong);
  }
}
