package io.microgrid.dispatch.client.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The bundle jars as packed: the build drops every embedded class that the bundle's entry points do
 * not reach (maven-shade-plugin, execution embed-guava), and the edge bundle every method too
 * (ProGuard), so a class that other bundles or the framework load must still be there. A missing
 * one would only show as a NoClassDefFoundError on a gateway.
 */
class ClientJarContentIT {
  private static final Path CLASSES = Path.of(System.getProperty("client.classes"));

  /** The main bundle and the edge bundle. */
  static Stream<Path> jars() {
    return Stream.of(Path.of(System.getProperty("client.jar")), Path.of(System.getProperty("client.edge.jar")));
  }

  @ParameterizedTest
  @MethodSource("jars")
  void everyClassOfTheExportedPackageIsInTheJar(Path bundle) throws IOException {
    List<String> exported;
    try (Stream<Path> files = Files.list(CLASSES.resolve("io/microgrid/dispatch/client"))) {
      exported = files.map(p -> CLASSES.relativize(p).toString().replace('\\', '/'))
          .filter(n -> n.endsWith(".class") && !n.endsWith("package-info.class"))
          .toList();
    }
    assertFalse(exported.isEmpty());
    try (JarFile jar = new JarFile(bundle.toFile())) {
      for (String name : exported) {
        assertTrue(jar.getEntry(name) != null, name + " is missing from " + bundle);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("jars")
  void theComponentsAndServiceProvidersAreInTheJar(Path bundle) throws IOException {
    Pattern implementation = Pattern.compile("<implementation class=\"([^\"]+)\"");
    try (JarFile jar = new JarFile(bundle.toFile())) {
      List<String> needed = new ArrayList<>();
      for (ZipEntry e : jar.stream().toList()) {
        String text = e.getName().startsWith("OSGI-INF/") && e.getName().endsWith(".xml")
            || e.getName().startsWith("META-INF/services/") && !e.isDirectory() ? read(jar, e) : null;
        if (text == null) {
          continue;
        }
        if (e.getName().startsWith("OSGI-INF/")) {
          Matcher m = implementation.matcher(text);
          while (m.find()) {
            needed.add(m.group(1));
          }
        } else {
          text.lines().map(l -> l.replaceAll("#.*", "").strip()).filter(l -> !l.isEmpty()).forEach(needed::add);
        }
      }
      assertTrue(needed.contains("io.microgrid.dispatch.client.internal.DispatchClientComponent"), needed::toString);
      for (String className : needed) {
        assertTrue(jar.getEntry(className.replace('.', '/') + ".class") != null,
            className + " is missing from " + bundle);
      }
    }
  }

  /** A framework without Guava or Gson bundles resolves the client; one that has them wires it to them. */
  @ParameterizedTest
  @MethodSource("jars")
  void guavaAndGsonAreEmbeddedAndImportedOptionally(Path bundle) throws IOException {
    try (JarFile jar = new JarFile(bundle.toFile())) {
      String imports = jar.getManifest().getMainAttributes().getValue(new Attributes.Name("Import-Package"));
      // Split at the commas between clauses, not those inside a version range.
      for (String clause : imports.split(",(?=[a-z])")) {
        if (clause.startsWith("com.google.common") || clause.startsWith("com.google.gson")) {
          assertTrue(clause.contains("resolution:=optional"), clause);
        }
      }
      assertTrue(imports.contains("com.google.common.base"), imports);
      for (String embedded : List.of("com/google/common/base/Preconditions.class",
          "com/google/gson/stream/JsonReader.class")) {
        assertTrue(jar.getEntry(embedded) != null, embedded + " is missing from " + bundle);
      }
      assertEquals(null, jar.getEntry("com/google/common/eventbus/EventBus.class"),
          "Guava classes that nothing reaches are embedded");
    }
  }

  private static String read(JarFile jar, ZipEntry e) throws IOException {
    try (InputStream in = jar.getInputStream(e)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
