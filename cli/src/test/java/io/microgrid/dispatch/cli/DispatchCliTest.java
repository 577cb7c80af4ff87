package io.microgrid.dispatch.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import io.microgrid.dispatch.client.testing.RecordedCall;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The command line run in this process (picocli with captured standard output and error) against
 * a real Dispatch API server on loopback. Every run also checks that the API key appears in
 * neither output.
 */
class DispatchCliTest {
  private static final String KEY = "cli-k3y-never-printed";
  private static final String METHOD_PREFIX = "frequenz.api.dispatch.v1.MicrogridDispatchService/";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private DispatchTestServer server;
  private String url;

  @BeforeEach
  void start() throws Exception {
    server = DispatchTestServer.start(KEY);
    url = "grpc://127.0.0.1:" + server.port() + "?ssl=false";
  }

  @AfterEach
  void stop() {
    server.close();
  }

  /** What one run printed and returned. */
  record Result(int status, String out, String err) {
    JsonElement json() {
      return JsonParser.parseString(out);
    }

    @Override
    public String toString() {
      return "status " + status + "\n--- out:\n" + out + "--- err:\n" + err;
    }
  }

  /** Runs with {@code --url}, {@code --key} and {@code --timeout} in front of the arguments. */
  private Result cli(String... args) {
    List<String> all = new ArrayList<>(List.of("--url", url, "--key", KEY, "--timeout", "10"));
    all.addAll(List.of(args));
    return run(Map.of(), all.toArray(String[]::new));
  }

  private static Result run(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status = DispatchCli.run(env, new PrintWriter(out), new PrintWriter(err), args);
    Result r = new Result(status, out.toString(), err.toString());
    assertFalse(r.out.contains(KEY), "the key is printed on standard output:\n" + r);
    assertFalse(r.err.contains(KEY), "the key is printed on standard error:\n" + r);
    return r;
  }

  private static void assertStatus(int expected, Result r) {
    assertEquals(expected, r.status, () -> r.toString());
  }

  private JsonObject create(String... args) {
    List<String> all = new ArrayList<>(List.of("--json", "create"));
    all.addAll(List.of(args));
    Result r = cli(all.toArray(String[]::new));
    assertStatus(0, r);
    return r.json().getAsJsonObject();
  }

  private static long id(JsonObject dispatch) {
    return dispatch.get("id").getAsLong();
  }

  private static List<Long> ids(JsonElement array) {
    return StreamSupport.stream(array.getAsJsonArray().spliterator(), false)
        .map(e -> e.getAsJsonObject().get("id").getAsLong())
        .toList();
  }

  private List<Long> listIds(String... filters) {
    List<String> all = new ArrayList<>(List.of("list", "1", "--json"));
    all.addAll(List.of(filters));
    Result r = cli(all.toArray(String[]::new));
    assertStatus(0, r);
    return ids(r.json());
  }

  private long calls(String method) {
    return server.calls().stream().filter(c -> c.method().equals(METHOD_PREFIX + method)).count();
  }

  @Test
  void createGetAndListWithRelativeStartCategoriesAndPayload() {
    Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    JsonObject d =
        create("1", "BATTERY_CHARGE", "BATTERY,INVERTER", "in 1 hour", "30m",
            "--payload", "{\"power_w\": 5000, \"mode\": \"eco\"}");
    Instant after = Instant.now();

    Instant start = Instant.parse(d.get("start_time").getAsString());
    assertFalse(start.isBefore(before.plus(Duration.ofHours(1))), "start " + start);
    assertFalse(start.isAfter(after.plus(Duration.ofHours(1))), "start " + start);
    assertEquals(0, start.getNano(), "relative times are whole seconds");
    assertEquals(1, d.get("microgrid_id").getAsLong());
    assertEquals("BATTERY_CHARGE", d.get("type").getAsString());
    assertEquals(1800, d.get("duration").getAsLong());
    assertEquals(
        JsonParser.parseString("{\"categories\":[\"INVERTER\",\"BATTERY\"]}"), d.get("target"));
    assertTrue(d.get("active").getAsBoolean());
    assertFalse(d.get("dry_run").getAsBoolean());
    assertEquals(JsonParser.parseString("{\"power_w\":5000,\"mode\":\"eco\"}"), d.get("payload"));
    assertTrue(d.get("recurrence").isJsonNull());
    assertEquals(start.plus(Duration.ofMinutes(30)), Instant.parse(d.get("end_time").getAsString()));

    Result get = cli("get", "1", String.valueOf(id(d)));
    assertStatus(0, get);
    assertTrue(get.out.startsWith("Dispatch " + id(d) + "\n"), get.out);
    assertTrue(get.out.contains("  type:       BATTERY_CHARGE\n"), get.out);
    assertTrue(get.out.contains("  start:      " + start + "\n"), get.out);
    assertTrue(get.out.contains("  duration:   30m\n"), get.out);
    assertTrue(get.out.contains("  target:     categories INVERTER,BATTERY\n"), get.out);
    assertTrue(get.out.contains("  payload:    {\"power_w\":5000,\"mode\":\"eco\"}\n"), get.out);
    assertTrue(get.out.contains("  recurrence: none\n"), get.out);

    Result list = cli("list", "1");
    assertStatus(0, list);
    String[] lines = list.out.split("\n");
    assertEquals(3, lines.length, list.out);
    assertTrue(lines[0].matches("ID +TYPE +START +DURATION +TARGET +ACTIVE +DRY-RUN +RECURRENCE"),
        lines[0]);
    assertTrue(lines[1].matches(id(d) + " +BATTERY_CHARGE +" + start
        + " +30m +INVERTER,BATTERY +yes +no +none"), lines[1]);
    assertEquals("1 dispatch.", lines[2]);
    assertEquals("", list.err);
  }

  @Test
  void createWithIsoTimesComponentIdsAndRecurrence() {
    JsonObject utc = create("1", "PV_LIMIT", "1,2,3", "2099-12-01T08:00:00", "90s", "--dry-run",
        "--inactive");
    assertEquals("2099-12-01T08:00:00Z", utc.get("start_time").getAsString());
    assertEquals(90, utc.get("duration").getAsLong());
    assertEquals(JsonParser.parseString("{\"ids\":[1,2,3]}"), utc.get("target"));
    assertTrue(utc.get("dry_run").getAsBoolean());
    assertFalse(utc.get("active").getAsBoolean());

    JsonObject offset = create("1", "PV_LIMIT", "3", "2099-12-01T09:00:00+01:00");
    assertEquals("2099-12-01T08:00:00Z", offset.get("start_time").getAsString());
    assertTrue(offset.get("duration").isJsonNull(), "no DURATION: for ever");

    JsonObject recurring = create("1", "CHARGE", "EV_CHARGER", "2099-01-01T00:00:00Z", "1h",
        "--frequency", "daily", "--interval", "2", "--count", "5", "--by-hour", "8,20",
        "--by-minute", "15", "--by-weekday", "MON", "--by-weekday", "fri", "--by-month", "jan,7");
    assertEquals(
        JsonParser.parseString("{\"frequency\":\"DAILY\",\"interval\":2,\"count\":5,\"until\":null,"
            + "\"by_minutes\":[15],\"by_hours\":[8,20],\"by_weekdays\":[\"MONDAY\",\"FRIDAY\"],"
            + "\"by_monthdays\":[],\"by_months\":[1,7]}"),
        recurring.get("recurrence"));
    Result text = cli("get", "1", String.valueOf(id(recurring)));
    assertTrue(text.out.contains("  recurrence: every 2 days, 5 times, minutes 15, hours 8,20, "
        + "weekdays MON,FRI, months 1,7\n"), text.out);

    JsonObject until = create("1", "CHARGE", "1", "in 1 day", "--frequency", "HOURLY",
        "--until", "2099-01-01T00:00:00Z");
    assertEquals("2099-01-01T00:00:00Z",
        until.get("recurrence").getAsJsonObject().get("until").getAsString());
  }

  @Test
  void createStartingNowIsStampedWhenSent() {
    Instant before = Instant.now().minusSeconds(1);
    JsonObject d = create("1", "NOW", "1", "now", "15m");
    Instant start = Instant.parse(d.get("start_time").getAsString());
    assertFalse(start.isBefore(before), start + " before " + before);
    assertFalse(start.isAfter(Instant.now()), "start " + start);
  }

  @Test
  void listFiltersSortingAndTimes() {
    long a = id(create("1", "A", "1,2", "in 1 hour", "10m"));
    long b = id(create("1", "B", "BATTERY", "in 2 hours", "10m", "--inactive", "--dry-run",
        "--frequency", "daily", "--count", "3"));
    long c = id(create("1", "C", "3", "in 3 days", "1h"));
    create("2", "OTHER", "1", "in 1 hour");

    assertEquals(List.of(a, b, c), listIds());
    assertEquals(List.of(b), listIds("--inactive"));
    assertEquals(List.of(a, c), listIds("--active"));
    assertEquals(List.of(b), listIds("--dry-run"));
    assertEquals(List.of(a, c), listIds("--no-dry-run"));
    assertEquals(List.of(b), listIds("--recurring"));
    assertEquals(List.of(a, c), listIds("--one-off"));
    assertEquals(List.of(a), listIds("--target", "2"));
    assertEquals(List.of(a, c), listIds("-t", "1", "-t", "3"));
    assertEquals(List.of(b), listIds("--target", "BATTERY,INVERTER"));
    assertEquals(List.of(c), listIds("--start-from", "in 2 days"));
    assertEquals(List.of(a, b), listIds("--start-to", "+2d"));
    assertEquals(List.of(a), listIds("--start-from", "now", "--start-to", "in 90 minutes"));
    assertEquals(List.of(a), listIds("--end-to", "in 80 minutes"));
    assertEquals(List.of(c), listIds("--end-from", "in 1 day", "--one-off"));
    assertEquals(List.of(a, b, c), listIds("--update-from", "1 hour ago"));
    assertEquals(List.of(), listIds("--update-to", "2000-01-01"));
    assertEquals(List.of(c, b, a), listIds("--sort", "start-time", "--order", "desc"));
    assertEquals(List.of(a, b, c), listIds("--sort", "create-time"));
    assertEquals(List.of(a), listIds("--active", "--one-off", "--end-to", "in 1 day"));

    Result none = cli("list", "1", "--target", "99");
    assertStatus(0, none);
    assertEquals("0 dispatches.\n", none.out);
  }

  @Test
  void listByIdsQueriesExactTypeAndRunningNow() {
    long demo = id(create("1", "DEMO", "1", "in 1 hour", "15m"));
    long charging = id(create("1", "CHARGE_BATTERY", "1", "now", "1h"));
    long charge = id(create("1", "CHARGE", "2", "in 2 hours", "15m"));

    assertEquals(List.of(demo, charge), listIds("--id", demo + "," + charge));
    assertEquals(List.of(demo, charging), listIds("--id", demo + "-" + charging));
    assertEquals(List.of(charging), listIds("--query", "#" + charging));
    // Several queries: any of them. The server's query is a part of the type.
    assertEquals(List.of(demo, charging, charge), listIds("--query", "#" + demo, "--query", "CHARGE"));
    assertEquals(List.of(charge), listIds("--type", "CHARGE"));
    assertEquals(List.of(demo, charge), listIds("--type", "CHARGE", "--type", "DEMO"));
    assertEquals(List.of(charging), listIds("--running"));
    assertEquals(List.of(), listIds("--running", "--type", "DEMO"));

    Result backwards = cli("list", "1", "--id", "3-1");
    assertStatus(2, backwards);
    assertTrue(backwards.err.contains("--id: range '3-1' ends before it starts; write 1-3"), backwards.err);
    Result empty = cli("list", "1", "--query", " ");
    assertStatus(2, empty);
    assertTrue(empty.err.contains("--query needs some text"), empty.err);
  }

  @Test
  void listFetchesPageAfterPage() {
    List<Long> created = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      created.add(id(create("1", "T" + i, "1", "in " + (i + 1) + " hours", "5m")));
    }
    server.clearCalls();
    Result r = cli("--json", "list", "1", "--page-size", "2");
    assertStatus(0, r);
    assertEquals(created, ids(r.json()));
    assertEquals(3, calls("ListMicrogridDispatches"), "pages of 2, 2 and 1");
    // One dispatch per line inside the array, so line tools work too.
    assertEquals(7, r.out.split("\n").length, r.out);

    Result text = cli("list", "1", "--page-size", "4");
    assertStatus(0, text);
    assertTrue(text.out.endsWith("5 dispatches.\n"), text.out);
  }

  @Test
  void updateSendsOnlyTheGivenFields() {
    JsonObject d = create("1", "U", "1", "in 1 hour", "30m", "--payload", "{\"p\": 1}");
    String id = String.valueOf(id(d));

    Result noDuration = cli("update", "1", id, "--no-duration", "--json");
    assertStatus(0, noDuration);
    JsonObject u = noDuration.json().getAsJsonObject();
    assertTrue(u.get("duration").isJsonNull(), noDuration.out);
    assertEquals(d.get("start_time"), u.get("start_time"));
    assertEquals(d.get("payload"), u.get("payload"), "untouched fields stay");
    assertEquals(d.get("target"), u.get("target"));

    Result many = cli("update", "1", id, "--duration", "1h30m", "--inactive", "--target",
        "BATTERY", "--start-time", "2099-06-01T12:00:00Z", "--payload", "{\"q\": [1, 2]}");
    assertStatus(0, many);
    assertTrue(many.out.contains("  duration:   1h30m\n"), many.out);
    assertTrue(many.out.contains("  active:     no\n"), many.out);
    assertTrue(many.out.contains("  target:     categories BATTERY\n"), many.out);
    assertTrue(many.out.contains("  start:      2099-06-01T12:00:00Z\n"), many.out);
    assertTrue(many.out.contains("  payload:    {\"q\":[1,2]}\n"), many.out);
    assertTrue(many.out.endsWith("Dispatch " + id + " updated.\n"), many.out);

    // Recurrence options change the current rule; what is not given stays.
    JsonObject rule = cli("--json", "update", "1", id, "--frequency", "hourly", "--count", "3",
        "--by-minute", "0,30").json().getAsJsonObject().getAsJsonObject("recurrence");
    assertEquals("HOURLY", rule.get("frequency").getAsString());
    assertEquals(3, rule.get("count").getAsInt());
    JsonObject changed = cli("--json", "update", "1", id, "--count", "4")
        .json().getAsJsonObject().getAsJsonObject("recurrence");
    assertEquals("HOURLY", changed.get("frequency").getAsString());
    assertEquals(4, changed.get("count").getAsInt());
    assertEquals(JsonParser.parseString("[0,30]"), changed.get("by_minutes"));
    JsonObject cleared = cli("--json", "update", "1", id, "--by-minute=")
        .json().getAsJsonObject().getAsJsonObject("recurrence");
    assertEquals(JsonParser.parseString("[]"), cleared.get("by_minutes"));
    assertEquals(4, cleared.get("count").getAsInt());

    Result once = cli("--json", "update", "1", id, "--no-recurrence", "--active");
    assertStatus(0, once);
    assertTrue(once.json().getAsJsonObject().get("recurrence").isJsonNull());
    assertTrue(once.json().getAsJsonObject().get("active").getAsBoolean());

    Result missing = cli("update", "1", "999", "--active");
    assertStatus(1, missing);
    assertTrue(missing.err.contains("NOT_FOUND"), missing.err);
  }

  @Test
  void deleteRangesGoesOnPastAMissingIdAndFails() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(id(create("1", "D", "1", "in 1 hour")));
    }
    long first = ids.get(0);
    assertEquals(List.of(first, first + 1, first + 2, first + 3), ids, "a fresh server counts up");
    long missing = first + 4;
    long kept = id(create("1", "KEEP", "1", "in 1 hour"));
    assertEquals(missing, kept, "ids count up");
    cli("delete", "1", String.valueOf(kept)); // now missing
    server.clearCalls();

    Result r = cli("delete", "1", first + "," + (first + 1), (first + 2) + "-" + missing,
        String.valueOf(first + 3));
    assertStatus(1, r);
    assertEquals("Deleted: " + first + ", " + (first + 1) + ", " + (first + 2) + ", "
        + (first + 3) + "\n", r.out);
    assertTrue(r.err.contains("dispatch " + missing + ": "), r.err);
    assertTrue(r.err.contains("NOT_FOUND"), r.err);
    assertTrue(r.err.contains("failed to delete: " + missing + "\n"), r.err);
    assertEquals(5, calls("DeleteMicrogridDispatch"), "each id once, the missing one too");
    assertTrue(server.store(1).isEmpty(), "every existing dispatch is deleted");
  }

  @Test
  void deleteMixesIdsAndBothRangeFormsAndRefusesBadRangesBeforeSending() {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ids.add(id(create("1", "D", "1", "in 1 hour")));
    }
    long a = ids.get(0);
    server.clearCalls();
    String[][] bad = {
      {"delete", "1", (a + 2) + "-" + a},
      {"delete", "1", a + "-"},
      {"delete", "1", "1-99999"},
      {"delete", "1", "1-9000", "9001..10001"},
    };
    String[] messages = {
      "range '" + (a + 2) + "-" + a + "' ends before it starts; write " + a + "-" + (a + 2),
      "'" + a + "-' is not a dispatch id or range",
      "range '1-99999' has 99999 ids; at most 10000 at once",
      "more than 10000 ids at once",
    };
    for (int i = 0; i < bad.length; i++) {
      Result r = cli(bad[i]);
      assertStatus(2, r);
      assertTrue(r.err.startsWith("dispatch-cli: Invalid value for ID-RANGES: " + messages[i]),
          r.err);
    }
    assertEquals(List.of(), server.calls(), "nothing sent for a bad range");

    Result r = cli("delete", "1", String.valueOf(a), (a + 1) + ".." + (a + 2), (a + 4) + "-"
        + (a + 5), String.valueOf(a + 1));
    assertStatus(0, r);
    assertEquals("Deleted: " + a + ", " + (a + 1) + ", " + (a + 2) + ", " + (a + 4) + ", "
        + (a + 5) + "\n", r.out);
    assertEquals(5, calls("DeleteMicrogridDispatch"), "an id given twice is sent once");
    assertEquals(List.of(a + 3), server.store(1).stream().map(d -> d.getMetadata().getDispatchId()).toList());
  }

  @Test
  void deleteAndGetWithJsonOutput() {
    long a = id(create("1", "J", "1", "in 1 hour"));
    long b = id(create("1", "J", "1", "in 2 hours"));

    Result get = cli("--json", "get", "1", String.valueOf(a), "424242", String.valueOf(b));
    assertStatus(1, get);
    assertEquals(List.of(a, b), ids(get.json()), "the others are still shown");
    assertTrue(get.err.contains("dispatch 424242: "), get.err);
    assertTrue(get.err.contains("1 of 3 gets failed"), get.err);

    Result del = cli("delete", "1", a + "," + b + ",424242", "--json");
    assertStatus(1, del);
    JsonObject o = del.json().getAsJsonObject();
    assertEquals(JsonParser.parseString("[" + a + "," + b + "]"), o.get("deleted"));
    JsonObject failure = o.getAsJsonArray("failed").get(0).getAsJsonObject();
    assertEquals(424242, failure.get("id").getAsLong());
    assertEquals("NOT_FOUND", failure.get("status").getAsString());
    assertEquals(0, o.getAsJsonArray("not_attempted").size());

    Result ok = cli("get", "1", "424242");
    assertStatus(1, ok);
    assertTrue(ok.err.contains("all gets failed"), ok.err);
  }

  @Test
  void badUsageExitsWith2AndSendsNothing() {
    String[][] cases = {
      {"lst", "1"},
      {"list"},
      {"list", "0"},
      {"list", "one"},
      {"list", "1", "--bogus"},
      {"list", "1", "--active", "--inactive"},
      {"list", "1", "--recurring", "--one-off"},
      {"list", "1", "--start-from", "tomorrowish"},
      {"list", "1", "--order", "desc"},
      {"list", "1", "--sort", "name"},
      {"list", "1", "--page-size", "0"},
      {"list", "1", "--target", "BATTERY,1"},
      {"get", "1"},
      {"get", "1", "x"},
      {"create", "1", "T", "1"},
      {"create", "1", "T", "1", "in 1 hour", "15x"},
      {"create", "1", "T", "1", "in 1 hour", "-5"},
      {"create", "1", "T", "1", "yesterday-ish"},
      {"create", "1", "T", "BATTERIES", "in 1 hour"},
      {"create", "1", "T", "1", "in 1 hour", "--payload", "{oops"},
      {"create", "1", "T", "1", "in 1 hour", "--payload", "[1]"},
      {"create", "1", "T", "1", "in 1 hour", "--count", "3"},
      {"create", "1", "T", "1", "in 1 hour", "-f", "DAILY", "--count", "3", "--until", "in 2 days"},
      {"create", "1", "T", "1", "in 1 hour", "-f", "SOMETIMES"},
      {"create", "1", "T", "1", "in 1 hour", "-f", "DAILY", "--by-hour", "25"},
      {"create", "1", "T", "1", "in 1 hour", "-f", "DAILY", "--by-weekday", "funday"},
      {"create", "1", "T", "1", "in 1 hour", "-f", "DAILY", "--by-minute", "x"},
      {"create", "1", " ", "1", "in 1 hour"},
      {"create", "1", "T", "1", "1 hour ago"},
      {"update", "1", "5"},
      {"update", "1", "5", "--duration", "1h", "--no-duration"},
      {"update", "1", "5", "--no-recurrence", "--count", "2"},
      {"delete", "1", "7-5"},
      {"delete", "1", "1,,2"},
      {"delete", "1"},
      {"stream"},
      {"--timeout", "10", "list", "1"},
    };
    for (String[] args : cases) {
      Result r = cli(args);
      assertEquals(2, r.status, () -> String.join(" ", args) + "\n" + r);
      assertTrue(r.err.startsWith("dispatch-cli: "), () -> String.join(" ", args) + "\n" + r);
      assertEquals("", r.out, () -> String.join(" ", args) + "\n" + r);
    }
    assertEquals(List.of(), server.calls(), "nothing reached the server");

    Result noUrl = run(Map.of(), "list", "1");
    assertStatus(2, noUrl);
    assertTrue(noUrl.err.contains("--url") && noUrl.err.contains("DISPATCH_API_URL"), noUrl.err);
    Result zero = run(Map.of(), "--url", url, "--timeout", "0", "list", "1");
    assertStatus(2, zero);
    assertTrue(zero.err.contains("--timeout must be more than 0"), zero.err);
    Result badUrl = run(Map.of(), "--url", "http://x", "list", "1");
    assertStatus(2, badUrl);
    assertTrue(badUrl.err.contains("--url 'http://x' must start with grpc://"), badUrl.err);
    // A refused URL from the environment is reported as the variable, which the user has to fix.
    Result badEnvUrl = run(Map.of(DispatchCli.URL_ENV, "http://x"), "list", "1");
    assertStatus(2, badEnvUrl);
    assertTrue(
        badEnvUrl.err.contains("$" + DispatchCli.URL_ENV + " 'http://x' must start with grpc://"),
        badEnvUrl.err);
  }

  @Test
  void helpAndVersionExitWith0() {
    Result help = run(Map.of(DispatchCli.KEY_ENV, KEY), "--help");
    assertStatus(0, help);
    for (String command : List.of("list", "get", "create", "update", "delete", "stream")) {
      assertTrue(help.out.contains("  " + command), help.out);
    }
    assertTrue(help.out.contains("DISPATCH_API_KEY"), help.out);
    Result createHelp = run(Map.of(), "create", "--help");
    assertStatus(0, createHelp);
    assertTrue(createHelp.out.contains("--by-monthday"), createHelp.out);
    assertStatus(0, run(Map.of(), "--version"));
  }

  @Test
  void theKeyGoesWithEveryCallAndIsNeverPrinted() throws Exception {
    // From the environment this time; run() checks both outputs of every run for the key.
    Map<String, String> env = Map.of(DispatchCli.URL_ENV, url, DispatchCli.KEY_ENV, KEY);
    JsonObject d =
        run(env, "--json", "create", "1", "K", "1", "in 1 hour").json().getAsJsonObject();
    String id = String.valueOf(id(d));
    assertStatus(0, run(env, "get", "1", id));
    assertStatus(0, run(env, "list", "1", "--page-size", "1"));
    assertStatus(0, run(env, "update", "1", id, "--duration", "5m"));
    assertStatus(1, run(env, "get", "1", "777"));
    assertStatus(0, run(env, "delete", "1", id));
    // The key as a stray argument ends up in picocli's message: it is masked.
    Result stray = run(env, "list", "1", KEY);
    assertStatus(2, stray);
    assertTrue(stray.err.contains("***"), stray.err);
    Result option = cli("get", "1", KEY);
    assertStatus(2, option);

    List<RecordedCall> calls = server.calls();
    assertEquals(6, calls.size(), calls.toString());
    calls.forEach(c -> assertEquals(KEY, c.key(), "key on " + c.method()));

    // A wrong key fails with 1 and shows neither key.
    String wrong = "wrong-key-also-secret";
    Result refused = run(Map.of(DispatchCli.URL_ENV, url), "--key", wrong, "list", "1");
    assertStatus(1, refused);
    assertTrue(refused.err.contains("UNAUTHENTICATED"), refused.err);
    assertFalse(refused.err.contains(wrong), refused.err);
    Result none = run(Map.of(DispatchCli.URL_ENV, url), "get", "1", "1", "2");
    assertStatus(1, none);
    assertTrue(none.err.contains("UNAUTHENTICATED"), none.err);
  }

  @Test
  void withASigningSecretInTheEnvironmentEveryCallIsSignedAndTheSecretNeverPrinted() {
    String secret = "cli-sign-secret-never-printed";
    server.requireSignature(secret);
    Map<String, String> env =
        Map.of(DispatchCli.URL_ENV, url, DispatchCli.KEY_ENV, KEY, DispatchCli.SIGN_SECRET_ENV, secret);
    Result listed = run(env, "list", "1");
    assertStatus(0, listed);
    Result missing = run(env, "get", "1", "777");
    assertStatus(1, missing);
    assertTrue(missing.err.contains("NOT_FOUND"), "signed, so only the id is wrong: " + missing.err);
    assertEquals(2, server.signedCalls());
    for (Result r : List.of(listed, missing)) {
      assertFalse(r.out.contains(secret) || r.err.contains(secret), "the secret was printed: " + r);
    }
    Result unsigned = run(Map.of(DispatchCli.URL_ENV, url, DispatchCli.KEY_ENV, KEY), "list", "1");
    assertStatus(1, unsigned);
    assertTrue(unsigned.err.contains("UNAUTHENTICATED"), unsigned.err);
  }

  /** Runs and checks that none of the given secrets shows in either output. */
  private static Result runHiding(Map<String, String> env, List<String> secrets, String... args) {
    Result r = run(env, args);
    for (String secret : secrets) {
      assertFalse(r.out.contains(secret) || r.err.contains(secret), "a secret was printed: " + r);
    }
    return r;
  }

  @Test
  void authKeyIsAnAliasOfKeyInBothFormsAndIsNeverPrinted() {
    Map<String, String> env = Map.of(DispatchCli.URL_ENV, url);
    assertStatus(0, run(env, "--auth-key", KEY, "list", "1"));
    assertStatus(0, run(env, "--auth-key=" + KEY, "list", "1"));
    assertStatus(0, run(env, "--key=" + KEY, "list", "1"));
    server.calls().forEach(c -> assertEquals(KEY, c.key(), "key on " + c.method()));
    assertEquals(3, server.calls().size());
    // The key echoed back as a stray argument is masked, whichever form gave it.
    for (String[] given : new String[][] {{"--auth-key", KEY}, {"--auth-key=" + KEY}}) {
      List<String> args = new ArrayList<>(List.of(given));
      args.addAll(List.of("list", "1", KEY));
      Result stray = run(env, args.toArray(String[]::new));
      assertStatus(2, stray);
      assertTrue(stray.err.contains("***"), stray.err);
    }
  }

  @Test
  void globalOptionsMayFollowTheCommand() {
    assertStatus(0, run(Map.of(), "list", "1", "--url", url, "--auth-key", KEY));
    assertStatus(0, run(Map.of(), "--url", url, "list", "1", "--key=" + KEY));
    assertEquals(2, server.calls().size());
  }

  @Test
  void theKeyComesFromTheOptionThenDispatchVariablesThenFrequenzApiKey() {
    String wrong = "wrong-key-also-secret";
    List<String> hidden = List.of(wrong);
    // Each environment names the right key where it should win and a wrong one elsewhere.
    List<Map<String, String>> envs =
        List.of(
            Map.of(DispatchCli.AUTH_KEY_ENV, KEY),
            Map.of(DispatchCli.FREQUENZ_KEY_ENV, KEY),
            Map.of(DispatchCli.KEY_ENV, KEY, DispatchCli.AUTH_KEY_ENV, wrong),
            Map.of(DispatchCli.AUTH_KEY_ENV, KEY, DispatchCli.FREQUENZ_KEY_ENV, wrong),
            Map.of(DispatchCli.KEY_ENV, "", DispatchCli.FREQUENZ_KEY_ENV, KEY));
    for (Map<String, String> env : envs) {
      Map<String, String> withUrl = new java.util.HashMap<>(env);
      withUrl.put(DispatchCli.URL_ENV, url);
      Result r = runHiding(withUrl, hidden, "list", "1");
      assertEquals(0, r.status, () -> env.keySet() + "\n" + r);
    }
    Map<String, String> allWrong =
        Map.of(
            DispatchCli.URL_ENV, url,
            DispatchCli.KEY_ENV, wrong,
            DispatchCli.AUTH_KEY_ENV, wrong,
            DispatchCli.FREQUENZ_KEY_ENV, wrong);
    assertStatus(0, runHiding(allWrong, hidden, "--auth-key", KEY, "list", "1"));
    Result refused = runHiding(allWrong, hidden, "list", "1");
    assertStatus(1, refused);
    assertTrue(refused.err.contains("UNAUTHENTICATED"), refused.err);
    // A DISPATCH_API_* key wins over FREQUENZ_API_KEY even when it is the wrong one.
    Result dispatchWins =
        runHiding(
            Map.of(DispatchCli.URL_ENV, url, DispatchCli.KEY_ENV, wrong,
                DispatchCli.FREQUENZ_KEY_ENV, KEY),
            hidden, "list", "1");
    assertStatus(1, dispatchWins);
  }

  @Test
  void theSigningSecretComesFromTheOptionThenTheVariablesAndIsNeverPrinted() {
    String secret = "cli-sign-secret-never-printed";
    String wrong = "wrong-secret-also-hidden";
    List<String> hidden = List.of(secret, wrong);
    server.requireSignature(secret);
    Map<String, String> env = Map.of(DispatchCli.URL_ENV, url, DispatchCli.KEY_ENV, KEY);

    assertStatus(0, runHiding(env, hidden, "--sign-secret", secret, "list", "1"));
    assertStatus(0, runHiding(env, hidden, "--sign-secret=" + secret, "list", "1"));
    Map<String, String> frequenz = new java.util.HashMap<>(env);
    frequenz.put(DispatchCli.FREQUENZ_SECRET_ENV, secret);
    assertStatus(0, runHiding(frequenz, hidden, "list", "1"));
    Map<String, String> both = new java.util.HashMap<>(env);
    both.put(DispatchCli.SIGN_SECRET_ENV, secret);
    both.put(DispatchCli.FREQUENZ_SECRET_ENV, wrong);
    assertStatus(0, runHiding(both, hidden, "list", "1"));
    Map<String, String> envWrong = new java.util.HashMap<>(env);
    envWrong.put(DispatchCli.SIGN_SECRET_ENV, wrong);
    assertStatus(0, runHiding(envWrong, hidden, "--sign-secret", secret, "list", "1"));
    assertEquals(5, server.signedCalls());

    Result wrongSecret = runHiding(envWrong, hidden, "list", "1");
    assertStatus(1, wrongSecret);
    assertTrue(wrongSecret.err.contains("UNAUTHENTICATED"), wrongSecret.err);
    // Echoed back in a usage error, the secret is masked in both forms of the option.
    for (String[] given : new String[][] {{"--sign-secret", secret}, {"--sign-secret=" + secret}}) {
      List<String> args = new ArrayList<>(List.of(given));
      args.addAll(List.of("get", "1", secret));
      Result stray = runHiding(env, hidden, args.toArray(String[]::new));
      assertStatus(2, stray);
      assertTrue(stray.err.contains("***"), stray.err);
    }
    Result help = run(Map.of(), "--help");
    for (String name : List.of("--auth-key", "--sign-secret", DispatchCli.AUTH_KEY_ENV,
        DispatchCli.FREQUENZ_KEY_ENV, DispatchCli.FREQUENZ_SECRET_ENV)) {
      assertTrue(help.out.contains(name), name + " in\n" + help.out);
    }
  }

  @Test
  void anUnreachableServerFailsWith1() throws Exception {
    DispatchTestServer gone = DispatchTestServer.start();
    String goneUrl = "grpc://127.0.0.1:" + gone.port() + "?ssl=false";
    gone.close();
    Result r = run(Map.of(), "--url", goneUrl, "--timeout", "5", "list", "1");
    assertStatus(1, r);
    assertTrue(r.err.contains("UNAVAILABLE"), r.err);
    Result del = run(Map.of(), "--url", goneUrl, "--timeout", "5", "delete", "1", "1-3");
    assertStatus(1, del);
    assertTrue(del.err.contains("not attempted: 2, 3"), del.err);
  }

  @Test
  void streamPrintsEachChangeAsItArrivesUntilInterrupted() throws Exception {
    Lines out = new Lines();
    StringWriter err = new StringWriter();
    AtomicInteger status = new AtomicInteger(-1);
    Thread streaming =
        new Thread(
            () ->
                status.set(
                    DispatchCli.run(
                        Map.of(DispatchCli.URL_ENV, url, DispatchCli.KEY_ENV, KEY),
                        new PrintWriter(out),
                        new PrintWriter(err),
                        "stream", "1", "--json")),
            "cli-stream");
    streaming.start();
    try {
      server.awaitOpenStreams(1, 1, WAIT);
      long id = id(create("1", "S", "BATTERY", "in 1 hour", "10m"));
      create("2", "ELSEWHERE", "1", "in 1 hour");
      cli("update", "1", String.valueOf(id), "--inactive");
      cli("delete", "1", String.valueOf(id));

      List<JsonObject> events = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        events.add(JsonParser.parseString(out.next()).getAsJsonObject());
      }
      assertEquals(List.of("created", "updated", "deleted"),
          events.stream().map(e -> e.get("event").getAsString()).toList());
      for (JsonObject e : events) {
        assertEquals(id, e.getAsJsonObject("dispatch").get("id").getAsLong());
      }
      assertFalse(events.get(1).getAsJsonObject("dispatch").get("active").getAsBoolean());
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n--- stream err:\n" + err + "--- out:\n" + out.all(), e);
    } finally {
      streaming.interrupt();
      streaming.join(WAIT.toMillis());
    }
    assertFalse(streaming.isAlive(), "the stream command ends when interrupted");
    assertEquals(0, status.get(), err.toString());
    assertTrue(err.toString().contains("streaming changes of microgrid 1"), err.toString());
    assertFalse(err.toString().contains(KEY));
    assertFalse(out.all().contains(KEY));
    assertEquals(List.of(), out.pending(), "nothing for microgrid 2");
  }

  @Test
  void streamInTextPrintsOneLinePerEvent() throws Exception {
    Lines out = new Lines();
    StringWriter err = new StringWriter();
    AtomicInteger status = new AtomicInteger(-1);
    Thread streaming =
        new Thread(
            () -> status.set(DispatchCli.run(Map.of(), new PrintWriter(out), new PrintWriter(err),
                "--url", url, "--key", KEY, "stream", "1")),
            "cli-stream-text");
    streaming.start();
    try {
      server.awaitOpenStreams(1, 1, WAIT);
      long id = id(create("1", "S", "1,2", "2099-01-01T00:00:00Z", "10m", "--payload",
          "{\"a\": 1}"));
      assertEquals("created id=" + id + " type=S start=2099-01-01T00:00:00Z duration=10m "
          + "target=1,2 active=yes dry-run=no recurrence=none payload={\"a\":1}", out.next());
    } finally {
      streaming.interrupt();
      streaming.join(WAIT.toMillis());
    }
    assertEquals(0, status.get(), err.toString());
  }

  @Test
  void aStreamRefusedForItsKeyEndsWith1() throws Exception {
    Result r = run(Map.of(), "--url", url, "--key", "not-the-key", "stream", "1");
    assertStatus(1, r);
    assertTrue(r.err.contains("UNAUTHENTICATED"), r.err);
    assertFalse(r.err.contains("not-the-key"), r.err);
  }

  /** Standard output of a running command, handed over line by line. */
  private static final class Lines extends Writer {
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private final StringBuilder all = new StringBuilder();

    @Override
    public synchronized void write(char[] buf, int off, int len) {
      all.append(buf, off, len);
      for (int i = off; i < off + len; i++) {
        char c = buf[i];
        if (c == '\n') {
          lines.add(partial.toString());
          partial.setLength(0);
        } else if (c != '\r') {
          partial.append(c);
        }
      }
    }

    String next() throws InterruptedException {
      String line = lines.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(line, "no output line within " + WAIT);
      return line;
    }

    List<String> pending() {
      return new ArrayList<>(lines);
    }

    synchronized String all() {
      return all.toString();
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
