package io.microgrid.dispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.client.testing.DispatchTestServer;
import io.microgrid.dispatch.client.testing.RecordedCall;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jline.reader.Candidate;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.Parser.ParseContext;
import org.jline.reader.impl.DefaultParser;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repl on a dumb terminal over given input and output (what JLine makes when there is no real
 * terminal), against the loopback Dispatch API server.
 */
class ReplTest {
  private static final String KEY = "repl-k3y-never-printed";

  @TempDir Path dir;

  private DispatchTestServer server;
  private String url;
  private Path history;

  @BeforeEach
  void start() throws Exception {
    server = DispatchTestServer.start(KEY);
    url = "grpc://127.0.0.1:" + server.port() + "?ssl=false";
    history = dir.resolve("history");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** What a session printed: the terminal's output, then standard output and error. */
  record Session(int status, String terminal, String out, String err) {
    @Override
    public String toString() {
      return "status " + status + "\n--- terminal:\n" + terminal + "--- out:\n" + out + "--- err:\n"
          + err;
    }
  }

  /** Runs the CLI with the typed lines as the terminal's input. */
  private Session session(String typed, boolean interactive, String... args) {
    ByteArrayOutputStream screen = new ByteArrayOutputStream();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> env = Map.of(DispatchCli.HISTORY_ENV, history.toString());
    int status =
        DispatchCli.run(
            env,
            new PrintWriter(out),
            new PrintWriter(err),
            interactive,
            () ->
                new DumbTerminal(
                    "test",
                    "dumb",
                    new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)),
                    screen,
                    StandardCharsets.UTF_8),
            args);
    Session s =
        new Session(status, screen.toString(StandardCharsets.UTF_8), out.toString(), err.toString());
    assertFalse((s.terminal + s.out + s.err).contains(KEY), "the key is printed:\n" + s);
    return s;
  }

  @Test
  void linesRunWithTheSessionsOptionsUntilExit() throws Exception {
    Session s =
        session(
            String.join(
                "\n",
                "create 1 SOLAR 7 \"in 1 hour\" 15m",
                "list 1",
                "get 1 1",
                "--json get 1 1",
                "get 1 99",
                "lst 1",
                "repl",
                "exit",
                "list 1",
                ""),
            false,
            "--url", url, "--key", KEY, "--timeout", "10", "repl");
    assertEquals(0, s.status, s::toString);
    String t = s.terminal;
    assertTrue(t.startsWith("dispatch-cli: type commands as after 'dispatch-cli'"), t);
    assertTrue(t.contains("exit, quit or Ctrl-D leaves"), t);
    assertTrue(t.contains(Repl.PROMPT + "Dispatch 1\n  microgrid:  1\n  type:       SOLAR\n"), t);
    assertTrue(t.contains("Dispatch 1 created."), t);
    assertTrue(t.contains("\n1 dispatch.\n"), "the list: " + t);
    assertTrue(t.contains(Repl.PROMPT + "[{\"id\":1,\"microgrid_id\":1,\"type\":\"SOLAR\""),
        "--json for one line: " + t);
    assertTrue(t.contains(Repl.PROMPT + "dispatch-cli: dispatch 99: "),
        "a failed command is shown and the session goes on: " + t);
    assertTrue(t.contains("Did you mean: dispatch-cli list"), t);
    assertTrue(t.contains("dispatch-cli: already in the repl"), t);
    assertEquals(1, t.split("Dispatch 1 created", -1).length - 1, t);
    assertEquals("", s.out, "all goes to the terminal");
    // Create, list, get, get as JSON, the failed get: the line after exit is never run.
    List<RecordedCall> calls = server.calls();
    assertEquals(5, calls.size(), calls.toString());
    calls.forEach(c -> assertEquals(KEY, c.key(), "the session's key on " + c.method()));
    List<String> kept = Files.readAllLines(history);
    assertTrue(kept.stream().anyMatch(l -> l.endsWith("list 1")), kept.toString());
    assertTrue(kept.stream().anyMatch(l -> l.endsWith("--json get 1 1")), kept.toString());
  }

  @Test
  void endOfInputLikeCtrlDLeavesAndQuitToo() {
    Session eof = session("list 1\n", false, "--url", url, "--key", KEY, "repl");
    assertEquals(0, eof.status, eof::toString);
    assertEquals(1, server.calls().size());
    Session quit = session("QUIT\nlist 1\n", false, "--url", url, "--key", KEY, "repl");
    assertEquals(0, quit.status, quit::toString);
    assertEquals(1, server.calls().size(), "nothing after quit");
  }

  @Test
  void aLineGivingAKeyOrSecretIsNotKeptInTheHistoryNorPrinted() throws Exception {
    String secret = "repl-secret-never-printed";
    Session s =
        session(
            "list 1 --key " + KEY + "\nlist 1 --sign-secret=" + secret + "\nget 1 " + KEY + "\n"
                + "list 1\n",
            false, "--url", url, "repl");
    assertFalse(s.terminal.contains(secret), s::toString);
    assertTrue(s.terminal.contains("***"), "the stray key is masked:\n" + s);
    String kept = Files.readString(history);
    assertFalse(kept.contains(KEY) || kept.contains(secret), kept);
    assertTrue(kept.contains("list 1"), kept);
  }

  @Test
  void noCommandStartsTheReplOnlyInATerminal() {
    Session terminal = session("list 1\nexit\n", true, "--url", url, "--key", KEY);
    assertEquals(0, terminal.status, terminal::toString);
    assertTrue(terminal.terminal.contains(Repl.PROMPT), terminal.toString());
    assertEquals(1, server.calls().size());

    Session none = session("list 1\n", false, "--url", url, "--key", KEY);
    assertEquals(DispatchCli.USAGE, none.status, none::toString);
    assertTrue(none.err.startsWith("dispatch-cli: Missing required subcommand"), none.toString());
    assertEquals("", none.terminal, "no terminal opened");
    assertEquals(1, server.calls().size(), "nothing read or sent");
  }

  private static List<String> complete(String typed) throws Exception {
    Terminal terminal =
        new DumbTerminal(
            "test", "dumb", new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream(),
            StandardCharsets.UTF_8);
    LineReader reader = LineReaderBuilder.builder().terminal(terminal).build();
    List<Candidate> candidates = new ArrayList<>();
    new Repl(Map.of(), List.of(), null)
        .completer()
        .complete(
            reader,
            new DefaultParser().parse(typed, typed.length(), ParseContext.COMPLETE),
            candidates);
    terminal.close();
    return candidates.stream().map(Candidate::value).toList();
  }

  @Test
  void completesCommandsAndOptions() throws Exception {
    List<String> first = complete("");
    for (String word :
        List.of("list", "get", "create", "update", "delete", "stream", "help", "exit", "quit")) {
      assertTrue(first.contains(word), word + " in " + first);
    }
    assertFalse(first.contains("repl"), "no repl in the repl: " + first);
    assertTrue(complete("de").contains("delete"), complete("de").toString());
    List<String> listOptions = complete("list 1 --ac");
    assertTrue(listOptions.contains("--active"), listOptions.toString());
    List<String> global = complete("list 1 --auth");
    assertTrue(global.contains("--auth-key"), global.toString());
  }
}
