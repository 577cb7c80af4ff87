package io.microgrid.dispatch.cli;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RecurrenceRule;
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
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code create MICROGRID TYPE TARGET START [DURATION]}. */
@Command(
    name = "create",
    sortOptions = false,
    description = {
      "Create a dispatch of TYPE for MICROGRID acting on TARGET from START, each occurrence "
          + "running for DURATION (for ever when omitted).",
      "Quote a relative START: \"in 10 minutes\"."
    })
final class CreateCommand implements Callable<Integer> {
  @ParentCommand DispatchCli cli;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "MICROGRID", converter = Inputs.MicrogridConverter.class,
      description = "The microgrid id.")
  long microgrid;

  @Parameters(index = "1", paramLabel = "TYPE", description = "The dispatch type, e.g. BATTERY_CHARGE.")
  String type;

  @Parameters(index = "2", paramLabel = "TARGET", converter = Inputs.TargetConverter.class,
      description = "Component ids (1,2,3) or categories (BATTERY,INVERTER).")
  TargetComponents target;

  @Parameters(index = "3", paramLabel = "START", converter = Inputs.TimeConverter.class,
      description = "When it starts: " + Inputs.TIME_HELP + ".")
  DispatchInputs.Time start;

  @Parameters(index = "4", arity = "0..1", paramLabel = "DURATION",
      converter = Inputs.DurationConverter.class,
      description = "How long each occurrence runs: " + Inputs.DURATION_HELP + ".")
  Duration duration;

  @ArgGroup(exclusive = true)
  Flags.Active active;

  @Option(names = "--dry-run", description = "Only log and monitor; change no component.")
  boolean dryRun;

  @Option(names = {"-p", "--payload"}, paramLabel = "JSON", converter = Inputs.PayloadConverter.class,
      description = "A JSON object for the consumer, e.g. '{\"power_w\": 5000}'.")
  Payload payload;

  @Mixin RecurrenceOptions recurrence;

  @Override
  public Integer call() {
    NewDispatch.Builder b = NewDispatch.builder(type, target);
    if (start.now()) {
      b.startNow();
    } else {
      b.startTime(start.instant());
    }
    if (duration != null) {
      b.duration(duration);
    }
    Boolean a = Flags.Active.value(active);
    b.active(a == null || a);
    b.dryRun(dryRun);
    if (payload != null) {
      b.payload(payload);
    }
    RecurrenceRule rule = recurrence.rule(spec.commandLine());
    if (rule != null) {
      b.recurrence(rule);
    }
    NewDispatch request = b.build();
    Dispatch created;
    try (DispatchConnection client = cli.connect(spec.commandLine())) {
      created = client.create(microgrid, request);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (cli.json()) {
      out.println(Json.write(Json.dispatch(created)));
    } else {
      DispatchText.block(out, created);
      out.println("Dispatch " + created.id() + " created.");
    }
    out.flush();
    return 0;
  }
}
