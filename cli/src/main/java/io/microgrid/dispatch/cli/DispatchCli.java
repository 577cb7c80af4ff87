package io.microgrid.dispatch.cli;

import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.client.InvalidSettingException;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.net.URI;
import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code dispatch-cli}: the Dispatch API from a shell, like the Python {@code dispatch-cli}.
 *
 * <p>Exit status: 0 when everything worked, 1 when an operation failed (a call refused by the
 * server, one of several ids not found: the others are still processed), 2 for bad usage (an
 * unknown option, a malformed time, duration, target or payload). Errors go to standard error and
 * never show the API key.
 */
@Command(
    name = "dispatch-cli",
    // Help, version and the footer also in every subcommand.
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = DispatchCli.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = "List, get, create, update, delete and stream the dispatches of a microgrid.",
    subcommands = {
      ListCommand.class,
      GetCommand.class,
      CreateCommand.class,
      UpdateCommand.class,
      DeleteCommand.class,
      StreamCommand.class,
      HelpCommand.class
    },
    footerHeading = "%n",
    footer = {
      "Times: " + Inputs.TIME_HELP + ".",
      "Durations: " + Inputs.DURATION_HELP + ".",
      "Targets: component ids (1,2,3) or categories (BATTERY,INVERTER).",
      "Exit status: 0 ok, 1 an operation failed, 2 bad usage.",
      "Environment: $DISPATCH_API_URL, $DISPATCH_API_KEY (or $DISPATCH_API_AUTH_KEY), "
          + "$DISPATCH_API_SIGN_SECRET; $FREQUENZ_API_KEY and $FREQUENZ_API_SECRET when those "
          + "are unset. Options win over the environment. Keys and secrets are never printed.",
      "Without a command in a terminal, or with 'repl': an interactive session "
          + "(history in ~/.dispatch_cli_history or $DISPATCH_CLI_HISTORY).",
      "Example: dispatch-cli --url 'grpc://127.0.0.1:50051?ssl=false' list 1"
    })
public final class DispatchCli implements Callable<Integer> {
  /** The environment variable read when {@code --url} is not given. */
  public static final String URL_ENV = "DISPATCH_API_URL";

  /** The environment variable read when {@code --key} is not given. */
  public static final String KEY_ENV = "DISPATCH_API_KEY";

  /** The Python {@code dispatch-cli}'s name for {@link #KEY_ENV}, read when that is unset. */
  public static final String AUTH_KEY_ENV = "DISPATCH_API_AUTH_KEY";

  /**
   * The environment variable read when {@code --sign-secret} is not given. The environment keeps
   * the secret out of process lists and shell histories, so it is the better place for it.
   */
  public static final String SIGN_SECRET_ENV = "DISPATCH_API_SIGN_SECRET";

  /** The key shared by Frequenz's tools, read when no {@code DISPATCH_API_*} key is set. */
  public static final String FREQUENZ_KEY_ENV = "FREQUENZ_API_KEY";

  /** The signing secret shared by Frequenz's tools, read when {@link #SIGN_SECRET_ENV} is unset. */
  public static final String FREQUENZ_SECRET_ENV = "FREQUENZ_API_SECRET";

  /** The environment variables whose value is a secret, to be masked in every message. */
  static final List<String> SECRET_ENVS =
      List.of(KEY_ENV, AUTH_KEY_ENV, SIGN_SECRET_ENV, FREQUENZ_KEY_ENV, FREQUENZ_SECRET_ENV);

  /** The options whose value is a secret, to be masked in every message. */
  static final List<String> SECRET_OPTIONS = List.of("--key", "--auth-key", "--sign-secret");

  /**
   * The environment variable naming the repl's history file, instead of {@code
   * ~/.dispatch_cli_history}; empty: no history is kept.
   */
  public static final String HISTORY_ENV = "DISPATCH_CLI_HISTORY";

  /** Exit status of an operation that failed. */
  public static final int FAILED = 1;

  /** Exit status of bad usage. */
  public static final int USAGE = 2;

  @Spec CommandSpec spec;

  @Option(
      names = "--url",
      paramLabel = "URL",
      scope = ScopeType.INHERIT,
      description =
          "Dispatch API server: grpc://host[:port][?ssl=false] (TLS unless ssl=false; port "
              + ClientOptions.DEFAULT_PORT
              + " when omitted). Default: $"
              + URL_ENV
              + ".")
  String url;

  @Option(
      // --auth-key: the Python dispatch-cli's name, so its users' scripts work unchanged.
      names = {"--key", "--auth-key"},
      paramLabel = "KEY",
      scope = ScopeType.INHERIT,
      description =
          "API key, sent with every call. Default: $"
              + KEY_ENV
              + ", $"
              + AUTH_KEY_ENV
              + " or $"
              + FREQUENZ_KEY_ENV
              + ". Never printed.")
  String key;

  @Option(
      names = "--sign-secret",
      paramLabel = "SECRET",
      scope = ScopeType.INHERIT,
      description =
          "Secret that signs every call. Default: $"
              + SIGN_SECRET_ENV
              + " or $"
              + FREQUENZ_SECRET_ENV
              + " (better: an option shows in process lists). Never printed.")
  String signSecret;

  @Option(
      names = "--json",
      scope = ScopeType.INHERIT,
      description = "Print machine-readable JSON instead of text.")
  boolean json;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      scope = ScopeType.INHERIT,
      converter = Inputs.DurationConverter.class,
      description =
          "Deadline of each call (seconds, or like 30s, 2m). Default: "
              + ClientOptions.DEFAULT_CALL_TIMEOUT_SECONDS
              + " s.")
  Duration timeout;

  private final Map<String, String> env;
  private final List<String> secrets = new ArrayList<>();

  /** Opens the repl's terminal; tests give one over their own streams. */
  interface TerminalOpener {
    Terminal open() throws IOException;
  }

  /**
   * The process's terminal. A dumb one (lines without editing) is allowed without JLine's warning,
   * for {@code repl} with its input from a pipe.
   */
  static final TerminalOpener SYSTEM_TERMINAL =
      () -> TerminalBuilder.builder().system(true).dumb(true).build();

  /** Whether no command starts the repl: only with a terminal to type in. */
  private boolean interactive;

  private TerminalOpener terminals = SYSTEM_TERMINAL;

  /**
   * Makes the command with an environment to read the URL, the key and the signing secret from.
   *
   * @param env the environment
   */
  public DispatchCli(Map<String, String> env) {
    this.env = Map.copyOf(Objects.requireNonNull(env, "env"));
  }

  /**
   * Runs the command line and exits with its status.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    configureLogging();
    Charset cs = Charset.defaultCharset();
    PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, cs), true);
    PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, cs), true);
    int status = run(System.getenv(), out, err, stdinIsTerminal(), SYSTEM_TERMINAL, args);
    out.flush();
    err.flush();
    System.exit(status);
  }

  /**
   * Runs a command line in this process, writing to the given streams.
   *
   * @param env where the URL, the key and the signing secret are read from
   * @param out standard output
   * @param err standard error
   * @param args the arguments
   * @return the exit status: 0, {@link #FAILED} or {@link #USAGE}
   */
  public static int run(Map<String, String> env, PrintWriter out, PrintWriter err, String... args) {
    return run(env, out, err, false, SYSTEM_TERMINAL, args);
  }

  /**
   * Runs a command line; without a command and with {@code interactive}, the repl on the terminal
   * that {@code terminals} opens.
   */
  static int run(
      Map<String, String> env,
      PrintWriter out,
      PrintWriter err,
      boolean interactive,
      TerminalOpener terminals,
      String... args) {
    DispatchCli cli = new DispatchCli(env);
    cli.interactive = interactive;
    cli.terminals = Objects.requireNonNull(terminals, "terminals");
    return cli.execute(out, err, false, args);
  }

  /**
   * Runs one line of the repl: the session's global options then the line, whose own global
   * options win for that line.
   */
  static int runInRepl(
      Map<String, String> env,
      PrintWriter out,
      PrintWriter err,
      List<String> earlierSecrets,
      String... args) {
    DispatchCli cli = new DispatchCli(env);
    // A key typed on one line and shown back on a later one is masked too.
    earlierSecrets.forEach(cli::addSecret);
    return cli.execute(out, err, true, args);
  }

  private int execute(PrintWriter out, PrintWriter err, boolean overwrite, String[] args) {
    rememberSecrets(args);
    CommandLine cl = new CommandLine(this);
    cl.setOverwrittenOptionsAllowed(overwrite);
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(this::usageError);
    cl.setExecutionExceptionHandler(this::failure);
    int status = cl.execute(args);
    out.flush();
    err.flush();
    return status;
  }

  /**
   * Collects the keys and secrets from the environment and the arguments, so no message can show
   * them.
   */
  private void rememberSecrets(String[] args) {
    for (String name : SECRET_ENVS) {
      addSecret(env.get(name));
    }
    secretsIn(args).forEach(this::addSecret);
  }

  /** The values of the secret options among the arguments, in both forms. */
  static List<String> secretsIn(String[] args) {
    List<String> found = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      for (String option : SECRET_OPTIONS) {
        if (args[i].equals(option) && i + 1 < args.length) {
          found.add(args[i + 1]);
        } else if (args[i].startsWith(option + "=")) {
          found.add(args[i].substring(option.length() + 1));
        }
      }
    }
    return found;
  }

  private void addSecret(String s) {
    // A key of one or two characters would garble every message; such a key is no secret anyway.
    if (s != null && s.length() >= 3) {
      secrets.add(s);
    }
  }

  /** Replaces every occurrence of the key in a message. */
  String redact(String message) {
    String m = String.valueOf(message);
    for (String s : secrets) {
      m = m.replace(s, "***");
    }
    return m;
  }

  /** Without a command: the repl in a terminal, else the usage error of before the repl. */
  @Override
  public Integer call() {
    if (!interactive) {
      throw new ParameterException(spec.commandLine(), "Missing required subcommand");
    }
    return repl();
  }

  @Command(
      name = "repl",
      description = {
        "An interactive session: type commands as after 'dispatch-cli', with the global options "
            + "given here set for the whole session.",
        "Tab completes commands and options; the history is kept in ~/.dispatch_cli_history "
            + "(or $" + HISTORY_ENV + "; empty: none), without lines that give a key or secret. "
            + "exit, quit or Ctrl-D leaves; Ctrl-C stops a running stream."
      })
  int repl() {
    List<String> sessionArgs = new ArrayList<>();
    for (ParseResult pr = spec.commandLine().getParseResult(); pr != null; pr = pr.subcommand()) {
      for (OptionSpec o : pr.matchedOptions()) {
        if (o.usageHelp() || o.versionHelp() || (pr.commandSpec() != spec && !o.inherited())) {
          continue;
        }
        if (o.arity().max() == 0) {
          sessionArgs.add(o.longestName());
        } else {
          for (String v : o.originalStringValues()) {
            sessionArgs.add(o.longestName() + "=" + v);
          }
        }
      }
    }
    try (Terminal terminal = terminals.open()) {
      return new Repl(env, sessionArgs, historyFile()).run(terminal);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the terminal: " + e.getMessage(), e);
    }
  }

  private Path historyFile() {
    String h = env.get(HISTORY_ENV);
    if (h != null) {
      return h.isEmpty() ? null : Path.of(h);
    }
    return Path.of(System.getProperty("user.home"), ".dispatch_cli_history");
  }

  /**
   * Whether standard input and output are a terminal. From Java 22 on, a console exists even when
   * they are redirected, and its isTerminal() tells; Java 17 has none then.
   */
  static boolean stdinIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException e) {
      return false;
    }
  }

  boolean json() {
    return json;
  }

  /**
   * Opens a connection from the global options and the environment.
   *
   * @param cmd the command being run, for usage errors
   * @return the connection; the caller closes it
   * @throws ParameterException when no URL is given, or the URL or the timeout is refused
   */
  DispatchConnection connect(CommandLine cmd) {
    String u = url != null ? url : env.get(URL_ENV);
    String k = key != null ? key : fromEnv(KEY_ENV, AUTH_KEY_ENV, FREQUENZ_KEY_ENV);
    String s = signSecret != null ? signSecret : fromEnv(SIGN_SECRET_ENV, FREQUENZ_SECRET_ENV);
    addSecret(k);
    addSecret(s);
    ClientOptions.Builder options = ClientOptions.builder(u).key(k).signSecret(s);
    if (timeout != null) {
      options.callTimeout(timeout);
    }
    try {
      return DispatchConnection.open(options.build());
    } catch (InvalidSettingException e) {
      throw new ParameterException(cmd, redact(e.messageFor(this::option)));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(cmd, redact(e.getMessage()));
    }
  }

  /**
   * The first of the variables that is set and not empty: an empty one is taken as unset, as a
   * shell's {@code VAR= command} means "none here".
   */
  private String fromEnv(String... names) {
    for (String name : names) {
      String v = env.get(name);
      if (v != null && !v.isEmpty()) {
        return v;
      }
    }
    return null;
  }

  /** The option or environment variable that gave a setting, as the user typed it. */
  private String option(ClientOptions.Setting setting) {
    return switch (setting) {
      case URL -> {
        if (url != null) {
          yield "--url";
        }
        yield env.get(URL_ENV) != null ? "$" + URL_ENV : "--url (or $" + URL_ENV + ")";
      }
      case CALL_TIMEOUT -> "--timeout";
      // Not settable from the command line but through the URL, which reports its own options.
      default -> setting.toString();
    };
  }

  private int usageError(ParameterException ex, String[] args) {
    CommandLine cmd = ex.getCommandLine();
    PrintWriter err = cmd.getErr();
    err.println("dispatch-cli: " + redact(ex.getMessage()));
    if (ex instanceof UnmatchedArgumentException unmatched) {
      java.io.StringWriter suggestions = new java.io.StringWriter();
      UnmatchedArgumentException.printSuggestions(unmatched, new PrintWriter(suggestions));
      if (!suggestions.toString().isBlank()) {
        err.print(redact(suggestions.toString()));
      }
    }
    err.println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
    err.flush();
    return USAGE;
  }

  private int failure(Exception ex, CommandLine cmd, ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    int status;
    if (ex instanceof DispatchApiException api) {
      err.println("dispatch-cli: " + redact(api.getMessage()));
      status = FAILED;
    } else if (ex instanceof IllegalArgumentException || ex instanceof NullPointerException) {
      // The API types and the client check their input before anything is sent.
      err.println("dispatch-cli: invalid input: " + redact(ex.getMessage()));
      err.println(
          "Try '" + cmd.getCommandSpec().qualifiedName() + " --help' for more information.");
      status = USAGE;
    } else {
      err.println("dispatch-cli: unexpected error: " + redact(String.valueOf(ex)));
      status = FAILED;
    }
    err.flush();
    return status;
  }

  /**
   * Sends the log lines of the client and of gRPC (warnings and worse) to standard error, one line
   * each. The client's warning that a plaintext connection sends the key in clear is left out for
   * a loopback server, where nothing travels over a network.
   */
  static void configureLogging() {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    ConsoleHandler handler = new ConsoleHandler();
    handler.setLevel(Level.WARNING);
    handler.setFormatter(
        new Formatter() {
          @Override
          public String format(LogRecord r) {
            return "dispatch-cli: "
                + r.getLevel().getName().toLowerCase(java.util.Locale.ROOT)
                + ": "
                + formatMessage(r)
                + System.lineSeparator();
          }
        });
    handler.setFilter(r -> !isLoopbackPlaintextWarning(r));
    root.addHandler(handler);
    root.setLevel(Level.WARNING);
    // The stream command reports a broken or restored stream itself, once and in its words;
    // gRPC's own warnings (a name that does not resolve, with a stack trace) repeat the error
    // that the command prints anyway.
    STREAM_LOGGER.setLevel(Level.SEVERE);
    GRPC_LOGGER.setLevel(Level.SEVERE);
  }

  private static final Logger GRPC_LOGGER = Logger.getLogger("io.grpc");

  /** Held here: the log manager keeps only weak references to loggers. */
  private static final Logger STREAM_LOGGER =
      Logger.getLogger("io.microgrid.dispatch.client.internal.StreamSubscription");

  static boolean isLoopbackPlaintextWarning(LogRecord r) {
    if (!DispatchConnection.class.getName().equals(r.getLoggerName())
        || r.getMessage() == null
        || !r.getMessage().contains("WITHOUT TLS")
        || r.getParameters() == null
        || r.getParameters().length == 0) {
      return false;
    }
    try {
      String host = URI.create(String.valueOf(r.getParameters()[0])).getHost();
      return host != null
          && (host.equals("localhost")
              || host.startsWith("127.")
              || host.equals("[::1]")
              || host.equals("::1"));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** The version from the jar's manifest. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = DispatchCli.class.getPackage().getImplementationVersion();
      return new String[] {"dispatch-cli " + (v == null ? "(development build)" : v)};
    }
  }
}
