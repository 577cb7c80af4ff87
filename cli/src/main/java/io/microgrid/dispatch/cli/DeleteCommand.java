package io.microgrid.dispatch.cli;

import io.microgrid.dispatch.shell.text.DispatchInputs;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.client.DispatchConnection;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code delete MICROGRID ID-RANGES...}: deletes dispatches by id. */
@Command(
    name = "delete",
    description = {
      "Delete dispatches of MICROGRID.",
      "Ids are given as 1, 1,2,3, 5-7 or 5..7, mixed freely (1 4-6 8..9), at most "
          + DispatchInputs.MAX_IDS + " at once. Every id is tried once; the ones that fail are "
          + "reported on standard error and the exit status is then 1."
    })
final class DeleteCommand implements Callable<Integer> {
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
      paramLabel = "ID-RANGES",
      description = "Dispatch ids and ranges, like 1 4-6 8..9 10,12.")
  List<String> ranges;

  @Override
  public Integer call() {
    List<Long> ids;
    try {
      ids = DispatchInputs.parseIdArguments(ranges);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(
          spec.commandLine(), "Invalid value for ID-RANGES: " + e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<Long> deleted = new ArrayList<>();
    Map<Long, DispatchApiException> failed = new LinkedHashMap<>();
    List<Long> skipped = new ArrayList<>();
    try (DispatchConnection client = cli.connect(spec.commandLine())) {
      boolean stopped = false;
      for (long id : ids) {
        if (stopped) {
          skipped.add(id);
          continue;
        }
        try {
          client.delete(microgrid, id);
          deleted.add(id);
        } catch (DispatchApiException e) {
          failed.put(id, e);
          err.println("dispatch-cli: dispatch " + id + ": " + cli.redact(e.getMessage()));
          // No connection or a refused key: every other call would fail the same way.
          stopped = !PerId.othersMayWork(e);
        }
      }
    }
    if (cli.json()) {
      Map<String, Object> result = new LinkedHashMap<>();
      result.put("deleted", deleted);
      List<Map<String, Object>> failures = new ArrayList<>();
      failed.forEach(
          (id, e) -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("id", id);
            f.put("status", e.status());
            f.put("message", cli.redact(e.getMessage()));
            failures.add(f);
          });
      result.put("failed", failures);
      result.put("not_attempted", skipped);
      out.println(Json.write(result));
    } else if (!deleted.isEmpty()) {
      out.println("Deleted: " + join(deleted));
    }
    out.flush();
    if (failed.isEmpty()) {
      return 0;
    }
    err.println("dispatch-cli: failed to delete: " + join(failed.keySet()));
    if (!skipped.isEmpty()) {
      err.println("dispatch-cli: not attempted: " + join(skipped));
    }
    err.flush();
    return DispatchCli.FAILED;
  }

  private static String join(java.util.Collection<Long> ids) {
    return ids.stream().map(String::valueOf).collect(Collectors.joining(", "));
  }
}
