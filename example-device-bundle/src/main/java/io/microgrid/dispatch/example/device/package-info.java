/**
 * An example device bundle, to copy from: a battery charger configured per dispatch ({@link
 * io.microgrid.dispatch.example.device.BatteryCharger}) and a component that is active exactly
 * while a {@code BATTERY_CHARGE} dispatch runs ({@link
 * io.microgrid.dispatch.example.device.ChargingWhileRunning}). Uses only OSGi APIs; private to the
 * bundle.
 */
package io.microgrid.dispatch.example.device;
