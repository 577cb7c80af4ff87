package io.microgrid.dispatch.logging.internal;

import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchLifecycleListener;
import io.microgrid.dispatch.api.RunningStateListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Prints every lifecycle event of every dispatch type as a {@code dispatch-event} line with kind
 * {@code created}, {@code updated} or {@code deleted}.
 *
 * <p>A separate component from {@link RunningStateLogger}: each whiteboard registration has its
 * own delivery queue in the scheduler, and one service under both interfaces would share a
 * service id between the two registrations.
 */
@Component(service = DispatchLifecycleListener.class, property = RunningStateListener.TYPE + "=*")
public final class LifecycleLogger implements DispatchLifecycleListener {
  private final EventPrinter printer;

  /** Prints on standard output. */
  @Activate
  public LifecycleLogger() {
    this(EventPrinter.STANDARD_OUTPUT);
  }

  LifecycleLogger(EventPrinter printer) {
    this.printer = printer;
  }

  @Override
  public void onDispatchEvent(DispatchEvent event) {
    printer.print(EventLines.lifecycle(event, printer.now()));
  }
}
