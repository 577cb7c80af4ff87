package io.microgrid.dispatch.cli;

import io.microgrid.dispatch.api.AuthenticationException;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchNotFoundException;
import io.microgrid.dispatch.api.DispatchStreamListener;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.api.InvalidArgumentException;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.shell.text.DispatchText;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code stream MICROGRID}: prints every change as it arrives, until interrupted. */
@Command(
    name = "stream",
    description = {
      "Print every change of the dispatches of MICROGRID as it happens, one line each "
          + "(with --json one JSON object per line), until interrupted (Ctrl-C).",
      "A broken stream reconnects by itself; events sent meanwhile may be missed, which is "
          + "reported on standard error."
    })
final class StreamCommand implements Callable<Integer> {
  @ParentCommand DispatchCli cli;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MICROGRID", converter = Inputs.MicrogridConverter.class,
      description = "The microgrid id.")
  long microgrid;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CountDownLatch done = new CountDownLatch(1);
    AtomicReference<DispatchApiException> fatal = new AtomicReference<>();
    DispatchStreamListener listener =
        new DispatchStreamListener() {
          @Override
          public void onConnected(boolean reconnect) {
            err.println(
                reconnect
                    ? "dispatch-cli: stream reconnected; changes made meanwhile were not shown"
                    : "dispatch-cli: streaming changes of microgrid " + microgrid
                        + " (Ctrl-C to stop)");
            err.flush();
          }

          @Override
          public void onEvent(DispatchEvent event) {
            out.println(cli.json() ? Json.write(Json.event(event)) : DispatchText.eventLine(event));
            out.flush();
          }

          @Override
          public void onUnreadable(long dispatchId, String reason) {
            err.println("dispatch-cli: skipped unreadable dispatch " + dispatchId + ": "
                + cli.redact(reason));
            err.flush();
          }

          @Override
          public void onDisconnected(DispatchApiException cause) {
            if (cause instanceof AuthenticationException
                || cause instanceof DispatchNotFoundException
                || cause instanceof InvalidArgumentException) {
              // Retrying cannot help: stop with the error.
              fatal.compareAndSet(null, cause);
              done.countDown();
              return;
            }
            err.println("dispatch-cli: stream interrupted (" + cli.redact(cause.getMessage())
                + "); reconnecting");
            err.flush();
          }
        };
    Thread hook = new Thread(done::countDown, "dispatch-cli-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try (DispatchConnection client = cli.connect(spec.commandLine());
        DispatchSubscription subscription = client.stream(microgrid, listener)) {
      done.await();
    } catch (InterruptedException e) {
      // Stopped by the caller: a normal end.
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down (Ctrl-C): the hook is running.
      }
    }
    out.flush();
    DispatchApiException f = fatal.get();
    if (f != null) {
      throw f;
    }
    return 0;
  }
}
