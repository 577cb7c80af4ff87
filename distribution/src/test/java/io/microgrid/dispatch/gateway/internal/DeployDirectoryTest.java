package io.microgrid.dispatch.gateway.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeployDirectoryTest {
  @TempDir Path temp;

  @Test
  void defaultsToDeployUnderTheWorkingDirectory() {
    assertEquals(temp.resolve("deploy"), DeployDirectory.resolve(null, temp));
    assertEquals(temp.resolve("deploy"), DeployDirectory.resolve("  ", temp));
  }

  @Test
  void aGivenDirectoryIsResolvedAgainstTheWorkingDirectory() {
    assertEquals(temp.resolve("bundles"), DeployDirectory.resolve(" bundles ", temp));
    Path elsewhere = temp.resolve("x/../elsewhere").toAbsolutePath();
    assertEquals(temp.resolve("elsewhere"), DeployDirectory.resolve(elsewhere.toString(), temp));
  }

  @Test
  void aMissingDirectoryIsCreatedAndAnExistingOneKept() throws IOException {
    Path deploy = temp.resolve("a/deploy");

    assertTrue(DeployDirectory.createIfMissing(deploy));
    assertTrue(Files.isDirectory(deploy));
    Files.writeString(deploy.resolve("device.jar"), "x");
    assertFalse(DeployDirectory.createIfMissing(deploy));
    assertTrue(Files.exists(deploy.resolve("device.jar")));
  }

  @Test
  void fileInstallWatchesTheDirectoryForBundlesOnlyAndStartsThem() {
    Map<String, Object> p = DeployDirectory.watcherProperties(temp);

    assertEquals(temp.toString(), p.get("felix.fileinstall.dir"));
    assertEquals("true", p.get("felix.fileinstall.bundles.new.start"));
    assertEquals("1000", p.get("felix.fileinstall.poll"));
    String filter = (String) p.get("felix.fileinstall.filter");
    assertTrue("device.jar".matches(filter));
    assertFalse("device.cfg".matches(filter), "configuration belongs in etc/");
    assertFalse("device.jar.part".matches(filter));
  }
}
