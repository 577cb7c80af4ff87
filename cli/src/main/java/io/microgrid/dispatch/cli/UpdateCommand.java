package io.microgrid.dispatch.cli;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.shell.text.DispatchInputs;
import io.microgrid.dispatch.shell.text.DispatchText;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code update MICROGRID ID}: changes only the fields given. */
@Command(
    name = "update",
    sortOptions = false,
    description = {
      "Change a dispatch: only the fields given are sent.",
      "Recurrence options change the current rule (the rest of it stays); --no-recurrence "
          + "makes the dispatch run once. The type and dry-run flag cannot be changed."
    })
final class UpdateCommand implements Callable<Integer> {
  @ParentCommand DispatchCli cli;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MICROGRID", converter = Inputs.MicrogridConverter.class,
      description = "The microgrid id.")
  long microgrid;

  @Parameters(index = "1", paramLabel = "ID", converter = Inputs.DispatchIdConverter.class,
      description = "The dispatch id.")
  long id;

  @Option(names = {"--start-time", "--start"}, paramLabel = "TIME",
      converter = Inputs.TimeConverter.class, description = "New start time.")
  DispatchInputs.Time start;

  @Option(names = "--duration", paramLabel = "DURATION", converter = Inputs.DurationConverter.class,
      description = "New duration of each occurrence.")
  Duration duration;

  @Option(names = "--no-duration", description = "Run for ever once started (clears the duration).")
  boolean noDuration;

  @Option(names = {"-t", "--target"}, paramLabel = "TARGET", converter = Inputs.TargetConverter.class,
      description = "New target: component ids (1,2,3) or categories (BATTERY,INVERTER).")
  TargetComponents target;

  @ArgGroup(exclusive = true)
  Flags.Active active;

  @Option(names = {"-p", "--payload"}, paramLabel = "JSON", converter = Inputs.PayloadConverter.class,
      description = "New payload (replaces the whole object).")
  Payload payload;

  @Mixin RecurrenceOptions recurrence;

  @Option(names = "--no-recurrence", description = "Make the dispatch run once.")
  boolean noRecurrence;

  @Override
  public Integer call() {
    if (duration != null && noDuration) {
      throw new ParameterException(spec.commandLine(), "give --duration or --no-duration, not both");
    }
    if (noRecurrence && recurrence.any()) {
      throw new ParameterException(
          spec.commandLine(), "--no-recurrence cannot be combined with recurrence options");
    }
    DispatchUpdate.Builder u = DispatchUpdate.builder();
    boolean any = false;
    if (start != null) {
      u.startTime(start.instant());
      any = true;
    }
    if (duration != null) {
      u.duration(duration);
      any = true;
    }
    if (noDuration) {
      u.infiniteDuration();
      any = true;
    }
    if (target != null) {
      u.target(target);
      any = true;
    }
    Boolean a = Flags.Active.value(active);
    if (a != null) {
      u.active(a);
      any = true;
    }
    if (payload != null) {
      u.payload(payload);
      any = true;
    }
    if (noRecurrence) {
      u.noRecurrence();
      any = true;
    }
    if (!any && !recurrence.any()) {
      throw new ParameterException(
          spec.commandLine(),
          "nothing to update: give at least one of --start-time, --duration, --no-duration, "
              + "--target, --active, --inactive, --payload, --no-recurrence or a recurrence option");
    }
    Dispatch updated;
    try (DispatchConnection client = cli.connect(spec.commandLine())) {
      if (recurrence.any()) {
        // The API replaces the rule as a whole: apply the options given to the current one.
        Dispatch current = client.get(microgrid, id);
        u.recurrence(recurrence.merge(current.recurrence().orElse(null), spec.commandLine()));
      }
      updated = client.update(microgrid, id, u.build());
    }
    PrintWriter out = spec.commandLine().getOut();
    if (cli.json()) {
      out.println(Json.write(Json.dispatch(updated)));
    } else {
      DispatchText.block(out, updated);
      out.println("Dispatch " + updated.id() + " updated.");
    }
    out.flush();
    return 0;
  }
}
