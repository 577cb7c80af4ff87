package io.microgrid.dispatch.cli;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchQuery.SortField;
import io.microgrid.dispatch.api.DispatchQuery.SortOrder;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.shell.text.DispatchInputs;
import io.microgrid.dispatch.shell.text.DispatchText;
import io.microgrid.dispatch.shell.text.LocalFilter;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code list MICROGRID}: the dispatches that match the filters, page after page. */
@Command(
    name = "list",
    sortOptions = false,
    description = {
      "List the dispatches of MICROGRID that match every filter given.",
      "Pages are fetched from the server as the output is written."
    })
final class ListCommand implements Callable<Integer> {
  @ParentCommand DispatchCli cli;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      paramLabel = "MICROGRID",
      converter = Inputs.MicrogridConverter.class,
      description = "The microgrid id.")
  long microgrid;

  @Option(
      names = {"-t", "--target"},
      paramLabel = "TARGET",
      converter = Inputs.TargetConverter.class,
      description =
          "Only dispatches whose target shares a component id (1,2,3) or category "
              + "(BATTERY,INVERTER) with this one. Repeatable: any of them.")
  List<TargetComponents> targets = new ArrayList<>();

  @Option(
      names = "--id",
      paramLabel = "IDS",
      description =
          "Only these dispatches: ids and ranges (5, 1,2, 4-6, 8..9). Repeatable.")
  List<String> ids = new ArrayList<>();

  @Option(
      names = "--query",
      paramLabel = "TEXT",
      description =
          "Only dispatches matching TEXT on the server: #4 is dispatch 4, other text a part of the"
              + " type. Repeatable: any of them.")
  List<String> queries = new ArrayList<>();

  @Option(
      names = "--type",
      paramLabel = "TYPE",
      description = "Only dispatches of exactly this type. Repeatable: any of them.")
  List<String> types = new ArrayList<>();

  @Option(
      names = "--running",
      description = "Only dispatches that run now, by their schedule at this machine's clock.")
  boolean running;

  @ArgGroup(exclusive = true)
  Flags.ActiveFilter active;

  @Option(
      names = "--dry-run",
      negatable = true,
      description = "Only dry runs (--dry-run) or only real dispatches (--no-dry-run).")
  Boolean dryRun;

  @ArgGroup(exclusive = true)
  Flags.Recurring recurring;

  @Option(names = "--start-from", paramLabel = "TIME", converter = Inputs.TimeConverter.class,
      description = "Only dispatches starting at or after TIME.")
  DispatchInputs.Time startFrom;

  @Option(names = "--start-to", paramLabel = "TIME", converter = Inputs.TimeConverter.class,
      description = "Only dispatches starting before TIME.")
  DispatchInputs.Time startTo;

  @Option(names = "--end-from", paramLabel = "TIME", converter = Inputs.TimeConverter.class,
      description = "Only dispatches ending at or after TIME.")
  DispatchInputs.Time endFrom;

  @Option(names = "--end-to", paramLabel = "TIME", converter = Inputs.TimeConverter.class,
      description = "Only dispatches ending before TIME.")
  DispatchInputs.Time endTo;

  @Option(names = "--update-from", paramLabel = "TIME", converter = Inputs.TimeConverter.class,
      description = "Only dispatches last changed at or after TIME.")
  DispatchInputs.Time updateFrom;

  @Option(names = "--update-to", paramLabel = "TIME", converter = Inputs.TimeConverter.class,
      description = "Only dispatches last changed at or before TIME.")
  DispatchInputs.Time updateTo;

  @Option(names = "--sort", paramLabel = "FIELD", converter = Inputs.SortFieldConverter.class,
      description = "Sort by start-time, create-time or update-time.")
  SortField sort;

  @Option(names = "--order", paramLabel = "asc|desc", converter = Inputs.SortOrderConverter.class,
      description = "Direction of --sort (default asc).")
  SortOrder order;

  @Option(names = "--page-size", paramLabel = "N",
      description = "Dispatches per page fetched from the server (default: the server's).")
  Integer pageSize;

  @Override
  public Integer call() {
    DispatchQuery query = query();
    PrintWriter out = spec.commandLine().getOut();
    try (DispatchConnection client = cli.connect(spec.commandLine());
        Stream<Dispatch> listed = client.list(microgrid, query)) {
      Stream<Dispatch> dispatches =
          listed.filter(LocalFilter.of(Set.copyOf(types), running, Instant.now()));
      if (cli.json()) {
        // One element per line: the output is a JSON array and still reads line by line.
        out.println("[");
        Iterator<Dispatch> it = dispatches.iterator();
        while (it.hasNext()) {
          out.print(Json.write(Json.dispatch(it.next())));
          out.println(it.hasNext() ? "," : "");
        }
        out.println("]");
      } else {
        List<Dispatch> all = dispatches.toList();
        if (!all.isEmpty()) {
          DispatchText.table(out, all);
        }
        out.println(all.size() == 1 ? "1 dispatch." : all.size() + " dispatches.");
      }
      out.flush();
    }
    return 0;
  }

  private DispatchQuery query() {
    DispatchQuery.Builder q = DispatchQuery.builder();
    if (!ids.isEmpty()) {
      try {
        q.dispatchIds(
            DispatchInputs.parseIdArguments(ids).stream().mapToLong(Long::longValue).toArray());
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--id: " + e.getMessage());
      }
    }
    for (String text : queries) {
      if (text.isBlank()) {
        throw new ParameterException(spec.commandLine(), "--query needs some text, like #4 or charge");
      }
      q.query(text);
    }
    targets.forEach(q::target);
    Boolean a = Flags.ActiveFilter.value(active);
    if (a != null) {
      q.active(a);
    }
    if (dryRun != null) {
      q.dryRun(dryRun);
    }
    Boolean r = Flags.Recurring.value(recurring);
    if (r != null) {
      q.recurring(r);
    }
    if (startFrom != null) {
      q.startFrom(startFrom.instant());
    }
    if (startTo != null) {
      q.startTo(startTo.instant());
    }
    if (endFrom != null) {
      q.endFrom(endFrom.instant());
    }
    if (endTo != null) {
      q.endTo(endTo.instant());
    }
    if (updateFrom != null) {
      q.updateFrom(updateFrom.instant());
    }
    if (updateTo != null) {
      q.updateTo(updateTo.instant());
    }
    if (order != null && sort == null) {
      throw new ParameterException(spec.commandLine(), "--order needs --sort FIELD");
    }
    if (sort != null) {
      q.sort(sort, order == null ? SortOrder.ASCENDING : order);
    }
    if (pageSize != null) {
      if (pageSize < 1) {
        throw new ParameterException(
            spec.commandLine(), "--page-size must be at least 1, got " + pageSize);
      }
      q.pageSize(pageSize);
    }
    return q.build();
  }
}
