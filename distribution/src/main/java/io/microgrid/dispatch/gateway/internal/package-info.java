/**
 * The launcher's own bundle, {@code io.microgrid.dispatch.gateway}: prepares the configuration
 * directory before Felix FileInstall reads it, keeps the Gogo console quiet when there is no
 * terminal, and creates a sample dispatch on the first start. Private to the bundle; it is only
 * part of {@code dispatch-gateway.jar}, never of a Karaf installation.
 */
package io.microgrid.dispatch.gateway.internal;
