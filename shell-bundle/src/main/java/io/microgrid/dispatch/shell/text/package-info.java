/**
 * Parsing of what an operator types (times, durations, targets, id ranges, payloads, recurrence
 * values), shared by the Gogo commands and {@code dispatch-cli}, and the human-readable output of
 * dispatches.
 */
@Export
@Version("1.0.0")
package io.microgrid.dispatch.shell.text;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
