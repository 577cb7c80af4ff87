/**
 * The persisted schedule: {@link io.microgrid.dispatch.scheduler.internal.persist.ScheduleStore}
 * writes the immutable snapshots the runner takes ({@link
 * io.microgrid.dispatch.scheduler.internal.persist.ScheduleFile.Content}) to one file per microgrid
 * and gives back what a file holds; {@code ScheduleFile} and {@code DispatchCodec} are its format.
 *
 * <p>May import the API, the core's data ({@code DispatchSchedule.HeldState}), the generated
 * {@code internal.proto} classes, the protocol's Struct and Timestamp conversions and the bundle's
 * durable file and loggers; not delivery, the runner or the DS edge. It holds no state of the
 * scheduler's: what it writes is handed to it.
 */
package io.microgrid.dispatch.scheduler.internal.persist;
