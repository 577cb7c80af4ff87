package io.microgrid.dispatch.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.history.DefaultHistory;
import org.jline.terminal.Terminal;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.shell.jline3.PicocliJLineCompleter;

/**
 * The interactive session of {@code dispatch-cli}: each line is a command line without the
 * program's name, run with the global options the session was started with (a line's own global
 * options win for that line). JLine edits the lines, keeps the history and completes commands and
 * options through picocli's completion.
 */
final class Repl {
  static final String PROMPT = "dispatch> ";

  /** The words that end the session, besides Ctrl-D. */
  static final List<String> EXIT_WORDS = List.of("exit", "quit");

  private final Map<String, String> env;
  private final List<String> sessionArgs;
  private final Path historyFile;
  private final List<String> secrets = new ArrayList<>();

  /**
   * @param env the environment of every command
   * @param sessionArgs the global options in front of every line
   * @param historyFile where the history is kept; {@code null}: not kept
   */
  Repl(Map<String, String> env, List<String> sessionArgs, Path historyFile) {
    this.env = Map.copyOf(env);
    this.sessionArgs = List.copyOf(sessionArgs);
    this.historyFile = historyFile;
    secrets.addAll(DispatchCli.secretsIn(sessionArgs.toArray(String[]::new)));
    for (String name : DispatchCli.SECRET_ENVS) {
      if (env.get(name) != null) {
        secrets.add(env.get(name));
      }
    }
  }

  /**
   * Reads and runs lines until {@code exit}, {@code quit} or the end of the input (Ctrl-D).
   *
   * @param terminal the terminal to read from and print to
   * @return the exit status of the session: 0, as each command's failure was shown already
   */
  int run(Terminal terminal) {
    LineReaderBuilder builder =
        LineReaderBuilder.builder()
            .terminal(terminal)
            .appName("dispatch-cli")
            .completer(completer())
            .history(new HistoryWithoutSecrets());
    if (historyFile != null) {
      builder.variable(LineReader.HISTORY_FILE, historyFile);
    }
    LineReader reader = builder.build();
    PrintWriter out = terminal.writer();
    out.println(
        "dispatch-cli: type commands as after 'dispatch-cli' (help lists them); "
            + "exit, quit or Ctrl-D leaves.");
    out.flush();
    try {
      while (true) {
        String line;
        try {
          line = reader.readLine(PROMPT);
        } catch (UserInterruptException e) {
          // Ctrl-C at the prompt drops the line, as in a shell; Ctrl-D leaves.
          continue;
        } catch (EndOfFileException e) {
          break;
        }
        List<String> words = new ArrayList<>(reader.getParsedLine().words());
        while (!words.isEmpty() && words.get(words.size() - 1).isEmpty()) {
          words.remove(words.size() - 1);
        }
        if (words.isEmpty()) {
          continue;
        }
        String first = words.get(0).toLowerCase(Locale.ROOT);
        if (EXIT_WORDS.contains(first)) {
          break;
        }
        if (first.equals("repl")) {
          out.println("dispatch-cli: already in the repl");
          out.flush();
          continue;
        }
        runLine(terminal, words);
      }
    } finally {
      try {
        reader.getHistory().save();
      } catch (IOException e) {
        out.println("dispatch-cli: warning: history not saved: " + e.getMessage());
        out.flush();
      }
    }
    return 0;
  }

  /** Runs one line; Ctrl-C while it runs interrupts it (it ends {@code stream}), not the repl. */
  private void runLine(Terminal terminal, List<String> words) {
    List<String> args = new ArrayList<>(sessionArgs);
    args.addAll(words);
    Thread runner = Thread.currentThread();
    Terminal.SignalHandler previous =
        terminal.handle(Terminal.Signal.INT, signal -> runner.interrupt());
    try {
      PrintWriter out = terminal.writer();
      String[] line = args.toArray(String[]::new);
      secrets.addAll(DispatchCli.secretsIn(line));
      DispatchCli.runInRepl(env, out, out, secrets, line);
    } finally {
      terminal.handle(Terminal.Signal.INT, previous);
      // An interrupt that came after the command ended must not end the next one.
      Thread.interrupted();
    }
  }

  /** Completes commands and options as picocli knows them, and the words that leave. */
  Completer completer() {
    CommandSpec spec = new CommandLine(new DispatchCli(env)).getCommandSpec();
    spec.removeSubcommand("repl");
    PicocliJLineCompleter commands = new PicocliJLineCompleter(spec);
    return (reader, line, candidates) -> {
      commands.complete(reader, line, candidates);
      if (line.wordIndex() == 0) {
        for (String word : EXIT_WORDS) {
          candidates.add(new Candidate(word));
        }
      }
    };
  }

  /**
   * Lines that give a key or a secret as an option, or hold one known so far, are not recorded,
   * so no secret lands in the history file.
   */
  private final class HistoryWithoutSecrets extends DefaultHistory {
    @Override
    public void add(Instant time, String line) {
      for (String option : DispatchCli.SECRET_OPTIONS) {
        if (line.contains(option)) {
          return;
        }
      }
      for (String secret : secrets) {
        // As in the messages: one or two characters are no secret, and would match anything.
        if (secret.length() >= 3 && line.contains(secret)) {
          return;
        }
      }
      super.add(time, line);
    }
  }
}
