package io.microgrid.dispatch.simulator.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading configuration io.microgrid.dispatch.simulator, and the messages for bad values. */
class SimulatorOptionsTest {

  @Test
  void defaults() throws Exception {
    SimulatorOptions o = SimulatorOptions.fromConfiguration(Map.of(), null);
    assertEquals(50051, o.port());
    assertEquals("127.0.0.1", o.bind());
    assertEquals(InetAddress.getByName("127.0.0.1"), o.bindAddress());
    assertEquals(Optional.empty(), o.key());
    assertEquals(Optional.empty(), o.storeFile());
  }

  @Test
  void propertiesOfEveryUsualType() {
    Path file = Path.of("store.pb");
    SimulatorOptions o =
        SimulatorOptions.fromConfiguration(
            Map.of("port", "6000", "bind", " 0.0.0.0 ", ".key", "secret"), file);
    assertEquals(6000, o.port());
    assertEquals("0.0.0.0", o.bind());
    assertEquals(Optional.of("secret"), o.key());
    assertEquals(Optional.of(file), o.storeFile());
    assertEquals(7000, SimulatorOptions.fromConfiguration(Map.of("port", 7000L), null).port());
    assertEquals(
        Optional.of("pw"),
        SimulatorOptions.fromConfiguration(Map.of(".key", "pw".toCharArray()), null).key());
    // A blank key is no key.
    assertEquals(Optional.empty(), SimulatorOptions.fromConfiguration(Map.of(".key", " "), null).key());
  }

  @Test
  void aBadPortIsNamedWithTheFix() {
    for (Object port : new Object[] {70000, -1, 65536L, "http", 1.5}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> SimulatorOptions.fromConfiguration(Map.of("port", port), null));
      assertTrue(e.getMessage().startsWith("property 'port' = "), e.getMessage());
      assertTrue(e.getMessage().contains("between 1 and 65535"), e.getMessage());
    }
  }

  @Test
  void aBadBindAddressIsNamedWithTheFix() {
    for (Object bind : new Object[] {"", "not an address", "999.1.1.1", 127}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> SimulatorOptions.fromConfiguration(Map.of("bind", bind), null));
      assertTrue(e.getMessage().startsWith("property 'bind'"), e.getMessage());
      assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
    }
  }

  @Test
  void theKeyNeverShows() {
    SimulatorOptions o = SimulatorOptions.builder().key("top-secret").build();
    assertFalse(o.toString().contains("top-secret"), o.toString());
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SimulatorOptions.fromConfiguration(Map.of(".key", 12345), null));
    assertFalse(e.getMessage().contains("12345"), e.getMessage());
  }

  @Test
  void sameAddressComparesTheResolvedBindAndThePort() {
    SimulatorOptions a = SimulatorOptions.builder().port(1234).bind("127.0.0.1").build();
    assertTrue(a.sameAddress(SimulatorOptions.builder().port(1234).bind("127.0.0.1").key("k").build()));
    assertFalse(a.sameAddress(SimulatorOptions.builder().port(1235).bind("127.0.0.1").build()));
    assertFalse(a.sameAddress(SimulatorOptions.builder().port(1234).bind("0.0.0.0").build()));
  }
}
