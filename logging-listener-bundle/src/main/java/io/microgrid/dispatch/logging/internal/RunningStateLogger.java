package io.microgrid.dispatch.logging.internal;

import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.api.RunningStateListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Prints every running-state change of every dispatch type ({@code dispatch.type=*}, every
 * microgrid) as a {@code dispatch-event} line with kind {@code running}.
 */
@Component(service = RunningStateListener.class, property = RunningStateListener.TYPE + "=*")
public final class RunningStateLogger implements RunningStateListener {
  private final EventPrinter printer;

  /** Prints on standard output. */
  @Activate
  public RunningStateLogger() {
    this(EventPrinter.STANDARD_OUTPUT);
  }

  RunningStateLogger(EventPrinter printer) {
    this.printer = printer;
  }

  @Override
  public void onRunningStateChange(RunningStateChange change) {
    printer.print(EventLines.running(change, printer.now()));
  }
}
