/**
 * The dispatch types, the {@link io.microgrid.dispatch.api.DispatchClient} service and the
 * whiteboard listener interfaces that device bundles register.
 *
 * <p>Everything here is plain, immutable Java: no protocol type appears in a signature.
 */
@Export
@Version("2.0.0")
package io.microgrid.dispatch.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
