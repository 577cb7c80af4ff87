package io.microgrid.dispatch.cli;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.shell.text.DispatchText;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code get MICROGRID ID...}: one or more dispatches by id. */
@Command(
    name = "get",
    description = {
      "Show dispatches of MICROGRID by id.",
      "An id that is not found is reported on standard error, the others are still shown; "
          + "the exit status is then 1."
    })
final class GetCommand implements Callable<Integer> {
  @ParentCommand DispatchCli cli;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "MICROGRID",
      converter = Inputs.MicrogridConverter.class,
      description = "The microgrid id.")
  long microgrid;

  @Parameters(
      index = "1..*",
      arity = "1..*",
      paramLabel = "ID",
      converter = Inputs.DispatchIdConverter.class,
      description = "Dispatch ids.")
  List<Long> ids;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Dispatch> found = new ArrayList<>();
    int failed = 0;
    try (DispatchConnection client = cli.connect(spec.commandLine())) {
      for (int i = 0; i < ids.size(); i++) {
        long id = ids.get(i);
        try {
          Dispatch d = client.get(microgrid, id);
          found.add(d);
          if (!cli.json()) {
            if (found.size() > 1) {
              out.println();
            }
            DispatchText.block(out, d);
            out.flush();
          }
        } catch (DispatchApiException e) {
          failed++;
          err.println("dispatch-cli: dispatch " + id + ": " + cli.redact(e.getMessage()));
          if (!PerId.othersMayWork(e)) {
            failed += ids.size() - i - 1;
            break;
          }
        }
      }
    }
    if (cli.json()) {
      out.println(Json.write(found.stream().map(Json::dispatch).toList()));
    }
    out.flush();
    if (failed > 0) {
      err.println(
          "dispatch-cli: "
              + (failed == ids.size() ? "all" : failed + " of " + ids.size())
              + " gets failed");
      err.flush();
      return DispatchCli.FAILED;
    }
    return 0;
  }
}
