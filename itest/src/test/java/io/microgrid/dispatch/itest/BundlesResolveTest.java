package io.microgrid.dispatch.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.common.service.ServiceAware;

/**
 * The bundles of the project install, resolve and start in a real framework, next to the
 * services they are built for. Plain unit tests cannot see a missing import or an
 * embedded class that did not make it into a bundle; this is where that shows.
 */
class BundlesResolveTest {

    /** Generous for a loaded two-core CI machine; the services normally appear at once. */
    private static final long SERVICE_TIMEOUT_MS = 5_000;

    @InjectBundleContext
    BundleContext context;

    @ParameterizedTest
    @ValueSource(strings = {
        "io.microgrid.dispatch.api",
        "io.microgrid.dispatch.client",
        "io.microgrid.dispatch.scheduler",
        "io.microgrid.dispatch.simulator"
    })
    void bundleIsInstalledAndActive(String symbolicName) {
        List<Bundle> matches = Arrays.stream(context.getBundles())
            .filter(b -> symbolicName.equals(b.getSymbolicName()))
            .collect(Collectors.toList());
        assertEquals(1, matches.size(), () -> symbolicName + " installed " + matches.size() + " times");

        Bundle bundle = matches.get(0);
        assertEquals(Bundle.ACTIVE, bundle.getState(),
            () -> symbolicName + " is " + stateName(bundle.getState()) + whyNotStarted(bundle));
    }

    @Test
    void declarativeServicesRuntimeIsPresent(
            @InjectService(timeout = SERVICE_TIMEOUT_MS) ServiceAware<ServiceComponentRuntime> scr) {
        assertNotNull(scr.getService(), "no ServiceComponentRuntime: DS components would never start");
        assertEquals("org.apache.felix.scr", scr.getServiceReference().getBundle().getSymbolicName());
    }

    @Test
    void configurationAdminIsPresent(
            @InjectService(timeout = SERVICE_TIMEOUT_MS) ServiceAware<ConfigurationAdmin> configAdmin) {
        assertNotNull(configAdmin.getService(), "no ConfigurationAdmin: the bundles could not be configured");
        assertEquals("org.apache.felix.configadmin",
            configAdmin.getServiceReference().getBundle().getSymbolicName());
    }

    /**
     * The client embeds the Guava and Gson classes it reaches and imports their packages
     * optionally: where Guava and Gson are installed as bundles, as here (the tester bundle imports
     * them), the client is wired to them and uses the shared classes, not its own copies. The
     * gateway, which has neither, runs on the embedded ones (GatewayLauncherIT).
     */
    @ParameterizedTest
    @ValueSource(strings = {"com.google.common.base", "com.google.common.util.concurrent", "com.google.gson.stream"})
    void clientUsesSharedGuavaAndGsonWhereInstalled(String packageName) {
        Bundle client = Arrays.stream(context.getBundles())
            .filter(b -> "io.microgrid.dispatch.client".equals(b.getSymbolicName()))
            .findFirst().orElseThrow();
        List<String> providers = client.adapt(BundleWiring.class).getRequiredWires("osgi.wiring.package").stream()
            .filter(w -> packageName.equals(w.getCapability().getAttributes().get("osgi.wiring.package")))
            .map(BundleWire::getProvider)
            .map(r -> r.getBundle().getSymbolicName())
            .collect(Collectors.toList());
        assertEquals(1, providers.size(), () -> packageName + " is wired to " + providers);
        assertEquals(packageName.startsWith("com.google.gson") ? "com.google.gson" : "com.google.guava",
            providers.get(0));
    }

    /** The framework's own resolution message, which names the missing requirement. */
    private static String whyNotStarted(Bundle bundle) {
        try {
            bundle.start();
            return "";
        } catch (BundleException e) {
            return ": " + e.getMessage();
        }
    }

    private static String stateName(int state) {
        switch (state) {
            case Bundle.INSTALLED: return "INSTALLED (not resolved)";
            case Bundle.RESOLVED: return "RESOLVED (not started)";
            case Bundle.STARTING: return "STARTING";
            case Bundle.STOPPING: return "STOPPING";
            case Bundle.UNINSTALLED: return "UNINSTALLED";
            default: return "in state " + state;
        }
    }
}
