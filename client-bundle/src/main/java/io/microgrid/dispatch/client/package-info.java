/**
 * The Dispatch API client for use without OSGi services: {@link
 * io.microgrid.dispatch.client.DispatchConnection#open(io.microgrid.dispatch.client.ClientOptions)}
 * gives a {@link io.microgrid.dispatch.api.DispatchClient} built from options. Inside an OSGi
 * framework the bundle registers the same client as a service, configured through ConfigAdmin.
 */
@Export
@Version("1.1.0")
package io.microgrid.dispatch.client;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
