package io.microgrid.dispatch.example.device;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What SCR and ConfigAdmin will see, read from the descriptors that bnd generated into
 * target/classes/OSGI-INF: the factory PID a {@code .cfg} file or an actor binding must use, the
 * property names (payload.power_w, not payload.power.w) and the running condition.
 */
class DescriptorsTest {
  private static final Path OSGI_INF = Path.of("target", "classes", "OSGI-INF");

  private static Element root(Path file) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    Document document = factory.newDocumentBuilder().parse(file.toFile());
    return document.getDocumentElement();
  }

  private static List<String> attributes(Element root, String tag, String attribute) {
    NodeList nodes = root.getElementsByTagName(tag);
    List<String> values = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      values.add(((Element) nodes.item(i)).getAttribute(attribute));
    }
    return values;
  }

  @Test
  void theChargerRequiresAConfigurationOfItsPidAndReadsThePayloadPower() throws Exception {
    Element charger =
        root(OSGI_INF.resolve("io.microgrid.dispatch.example.device.BatteryCharger.xml"));

    assertEquals("io.microgrid.dispatch.example.charger", charger.getAttribute("configuration-pid"));
    assertEquals("require", charger.getAttribute("configuration-policy"));
    assertEquals("modified", charger.getAttribute("modified"));
    assertEquals("deactivate", charger.getAttribute("deactivate"));
    assertEquals(
        List.of("payload.power_w", "dispatch.id", "dispatch.type"),
        attributes(charger, "property", "name"));
  }

  @Test
  void theMetatypeDesignatesAFactoryPidWithThePropertyNamesOfTheCfgFile() throws Exception {
    Element metatype =
        root(OSGI_INF.resolve("metatype/io.microgrid.dispatch.example.device.ChargerConfig.xml"));

    assertEquals(
        List.of("io.microgrid.dispatch.example.charger"),
        attributes(metatype, "Designate", "factoryPid"));
    assertEquals(
        List.of("payload.power_w", "dispatch.id", "dispatch.type"),
        attributes(metatype, "AD", "id"));
  }

  @Test
  void theWindowWaitsForTheRunningConditionOfBatteryCharge() throws Exception {
    Element window =
        root(OSGI_INF.resolve("io.microgrid.dispatch.example.device.ChargingWhileRunning.xml"));

    // The condition is a DS 1.5 feature: an older namespace would make SCR ignore it.
    assertEquals("http://www.osgi.org/xmlns/scr/v1.5.0", window.getNamespaceURI());
    assertEquals(List.of("osgi.ds.satisfying.condition.target"), attributes(window, "property", "name"));
    assertEquals(
        List.of("(&(osgi.condition.id=io.microgrid.dispatch.running)(dispatch.type=BATTERY_CHARGE))"),
        attributes(window, "property", "value"));
  }
}
