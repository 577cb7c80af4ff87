package io.microgrid.dispatch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Status;
import io.microgrid.dispatch.api.AuthenticationException;
import io.microgrid.dispatch.api.ComponentCategory;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchNotFoundException;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.InvalidArgumentException;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.ServiceUnavailableException;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.protocol.DispatchMetadata;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import io.microgrid.dispatch.client.testing.RecordedCall;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a real gRPC server on loopback: what a user of the client sees. */
class DispatchConnectionTest {
  private static final String KEY = "k3y-that-must-never-leak";
  private static final long MICROGRID = 7;
  private static final String METHOD_PREFIX = "frequenz.api.dispatch.v1.MicrogridDispatchService/";

  private DispatchTestServer server;
  private DispatchConnection client;

  @BeforeEach
  void start() throws Exception {
    server = DispatchTestServer.start(KEY);
    client = DispatchConnection.open(options(server, KEY));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  static ClientOptions options(DispatchTestServer server, String key) {
    return ClientOptions.builder("grpc://127.0.0.1:" + server.port() + "?ssl=false")
        .key(key)
        .callTimeout(Duration.ofSeconds(5))
        .reconnectDelay(Duration.ofMillis(20), Duration.ofMillis(200))
        .build();
  }

  static NewDispatch.Builder newDispatch(String type) {
    return NewDispatch.builder(type, TargetComponents.ids(1, 2))
        .startTime(Instant.now().plus(Duration.ofHours(1)))
        .duration(Duration.ofMinutes(15));
  }

  @Test
  void allSixOperationsWorkAndEveryCallCarriesTheKey() throws Exception {
    RecordingStreamListener events = new RecordingStreamListener();
    try (DispatchSubscription ignored = client.stream(MICROGRID, events)) {
      assertEquals("connected", events.next());
      // The server registers the stream a moment after the client sees it open.
      server.awaitOpenStreams(MICROGRID, 1, Duration.ofSeconds(5));

      Dispatch created =
          client.create(
              MICROGRID,
              newDispatch("BATTERY_CHARGE")
                  .payload(Payload.of(Map.of("power", 1500, "nested", Map.of("mode", "eco"))))
                  .recurrence(RecurrenceRule.builder(Frequency.DAILY).count(3).byHours(8).build())
                  .build());
      assertTrue(created.id() > 0);
      assertEquals(MICROGRID, created.microgridId());
      assertEquals("Created " + created.id() + " BATTERY_CHARGE", events.next());

      Dispatch fetched = client.get(MICROGRID, created.id());
      assertEquals(created, fetched);

      Dispatch updated =
          client.update(
              MICROGRID,
              created.id(),
              DispatchUpdate.builder().active(false).infiniteDuration().build());
      assertFalse(updated.active());
      assertEquals(Optional.empty(), updated.duration(), "duration cleared to infinite");
      assertEquals(created.payload(), updated.payload(), "fields not named stay as they were");
      assertEquals(created.recurrence(), updated.recurrence());
      assertEquals("Updated " + created.id() + " BATTERY_CHARGE", events.next());

      List<Dispatch> listed = client.list(MICROGRID, DispatchQuery.ALL).toList();
      assertEquals(List.of(updated), listed);

      client.delete(MICROGRID, created.id());
      assertEquals("Deleted " + created.id() + " BATTERY_CHARGE", events.next());
      assertThrows(DispatchNotFoundException.class, () -> client.get(MICROGRID, created.id()));
    }

    List<RecordedCall> calls = server.calls();
    List<String> methods =
        calls.stream().map(c -> c.method().replace(METHOD_PREFIX, "")).distinct().sorted().toList();
    assertEquals(
        List.of(
            "CreateMicrogridDispatch",
            "DeleteMicrogridDispatch",
            "GetMicrogridDispatch",
            "ListMicrogridDispatches",
            "StreamMicrogridDispatches",
            "UpdateMicrogridDispatch"),
        methods);
    for (RecordedCall call : calls) {
      assertEquals(KEY, call.key(), "key header on " + call.method());
    }
  }

  @Test
  void createRefusesAStartInThePastBeforeSending() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                client.create(
                    MICROGRID,
                    newDispatch("X").startTime(Instant.now().minus(Duration.ofMinutes(1))).build()));
    assertTrue(e.getMessage().contains("startTime"), e.getMessage());
    assertTrue(e.getMessage().contains("in the past"), e.getMessage());
    assertTrue(server.calls().isEmpty(), "nothing was sent");
  }

  @Test
  void createStartingNowUsesTheServersClock() throws Exception {
    // A server whose clock is a day ahead of ours: "now" is its now, not the client's.
    Instant serverNow = Instant.now().plus(Duration.ofDays(1)).plusMillis(250);
    try (DispatchTestServer ahead =
            DispatchTestServer.start(KEY, java.time.Clock.fixed(serverNow, java.time.ZoneOffset.UTC));
        DispatchConnection aheadClient = DispatchConnection.open(options(ahead, KEY))) {
      Dispatch d = aheadClient.create(MICROGRID, newDispatch("NOW").startNow().build());
      // In whole seconds, as the server stores start times.
      assertEquals(serverNow.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), d.startTime());
    }
  }

  @Test
  void updateRefusesTypeAndDryRunChangesBeforeSending() {
    Dispatch d = client.create(MICROGRID, newDispatch("X").build());
    server.clearCalls();
    IllegalArgumentException type =
        assertThrows(
            IllegalArgumentException.class,
            () -> client.update(MICROGRID, d.id(), DispatchUpdate.builder().type("Y").build()));
    assertTrue(type.getMessage().contains("type cannot be updated"), type.getMessage());
    IllegalArgumentException dryRun =
        assertThrows(
            IllegalArgumentException.class,
            () -> client.update(MICROGRID, d.id(), DispatchUpdate.builder().dryRun(true).build()));
    assertTrue(dryRun.getMessage().contains("dryRun cannot be updated"), dryRun.getMessage());
    assertTrue(server.calls().isEmpty(), "nothing was sent");
  }

  @Test
  void updateChangesOnlyTheNamedFields() {
    Dispatch d =
        client.create(
            MICROGRID,
            newDispatch("X")
                .payload(Payload.of(Map.of("a", 1)))
                .recurrence(RecurrenceRule.builder(Frequency.WEEKLY).count(4).build())
                .build());
    Instant newStart = d.startTime().plus(Duration.ofDays(1));
    Dispatch u =
        client.update(
            MICROGRID,
            d.id(),
            DispatchUpdate.builder()
                .startTime(newStart)
                .target(TargetComponents.categories(ComponentCategory.BATTERY, new ComponentCategory(42)))
                .noRecurrence()
                .build());
    assertEquals(newStart, u.startTime());
    assertEquals(
        TargetComponents.categories(ComponentCategory.BATTERY, new ComponentCategory(42)), u.target());
    assertEquals(Optional.empty(), u.recurrence());
    assertEquals(d.duration(), u.duration());
    assertEquals(d.payload(), u.payload());
    assertEquals(d.active(), u.active());
    assertTrue(u.updateTime().compareTo(d.updateTime()) >= 0);
  }

  @Test
  void listFollowsPageTokensOnePageAhead() throws InterruptedException {
    for (int i = 0; i < 25; i++) {
      client.create(MICROGRID, newDispatch("T" + i).build());
    }
    server.clearCalls();
    Stream<Dispatch> stream =
        client.list(MICROGRID, DispatchQuery.builder().pageSize(10).build());
    Iterator<Dispatch> it = stream.iterator();
    it.next();
    // The second page is asked for as soon as the first is taken, so that it comes while the
    // first is read; the third only once the second is taken.
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (listCalls() < 2 && System.nanoTime() < until) {
      Thread.sleep(5);
    }
    assertEquals(2, listCalls(), "the first page and the one ahead, not more");
    int seen = 1;
    while (it.hasNext()) {
      it.next();
      seen++;
    }
    assertEquals(25, seen);
    assertEquals(3, listCalls(), "three pages of 10, 10 and 5");
  }

  @Test
  void listSendsFiltersAndSortOrder() {
    Dispatch a = client.create(MICROGRID, newDispatch("A").build());
    Dispatch b = client.create(MICROGRID, newDispatch("B").active(false).build());
    Dispatch c =
        client.create(
            MICROGRID,
            newDispatch("C").recurrence(RecurrenceRule.builder(Frequency.HOURLY).build()).build());
    assertEquals(
        List.of(b.id()),
        client.list(MICROGRID, DispatchQuery.builder().active(false).build())
            .map(Dispatch::id)
            .toList());
    assertEquals(
        List.of(c.id()),
        client.list(MICROGRID, DispatchQuery.builder().recurring(true).build())
            .map(Dispatch::id)
            .toList());
    assertEquals(
        List.of(c.id(), b.id(), a.id()),
        client.list(
                MICROGRID,
                DispatchQuery.builder()
                    .sort(DispatchQuery.SortField.CREATE_TIME, DispatchQuery.SortOrder.DESCENDING)
                    .build())
            .map(Dispatch::id)
            .toList());
  }

  @Test
  void anUnreadableDispatchIsSkippedNotTheWholeListOrStream() throws Exception {
    Dispatch good = client.create(MICROGRID, newDispatch("GOOD").build());
    var broken =
        io.microgrid.dispatch.protocol.Dispatch.newBuilder()
            .setMetadata(DispatchMetadata.newBuilder().setDispatchId(999))
            .build();
    server.putRaw(MICROGRID, broken);
    assertEquals(List.of(good.id()), client.list(MICROGRID, DispatchQuery.ALL).map(Dispatch::id).toList());

    RecordingStreamListener events = new RecordingStreamListener();
    try (DispatchSubscription s = client.stream(MICROGRID, events)) {
      assertEquals("connected", events.next());
      // The server registers the stream a moment after the client sees it open.
      server.awaitOpenStreams(MICROGRID, 1, Duration.ofSeconds(5));
      server.sendRaw(
          MICROGRID,
          StreamMicrogridDispatchesResponse.newBuilder()
              .setDispatch(broken)
              .setEventValue(1)
              .build());
      assertEquals("unreadable 999: data is missing", events.next());
      Dispatch next = client.create(MICROGRID, newDispatch("AFTER").build());
      assertEquals("Created " + next.id() + " AFTER", events.next(), "the stream goes on");
      assertTrue(s.isConnected());
    }
  }

  @Test
  void aBrokenStreamReconnectsByItselfAndSaysSo() throws Exception {
    RecordingStreamListener events = new RecordingStreamListener();
    try (DispatchSubscription s = client.stream(MICROGRID, events)) {
      assertEquals("connected", events.next());
      // The server registers the stream a moment after the client sees it open.
      server.awaitOpenStreams(MICROGRID, 1, Duration.ofSeconds(5));
      assertTrue(server.breakStreams() > 0);
      assertEquals("disconnected UNAVAILABLE", events.next());
      assertEquals("reconnected", events.next());
      // The server registers the stream a moment after the client sees it open.
      server.awaitOpenStreams(MICROGRID, 1, Duration.ofSeconds(5));
      assertTrue(s.isConnected());
      Dispatch d = client.create(MICROGRID, newDispatch("AFTER_RECONNECT").build());
      assertEquals("Created " + d.id() + " AFTER_RECONNECT", events.next());
    }
    server.awaitOpenStreams(MICROGRID, 0, Duration.ofSeconds(5));
    long streamCalls =
        server.calls().stream().filter(c -> c.method().endsWith("StreamMicrogridDispatches")).count();
    assertEquals(2, streamCalls, "one reconnect, no retry storm");
    server.calls().forEach(c -> assertEquals(KEY, c.key(), "key on " + c.method()));
  }

  @Test
  void aClosedSubscriptionIsNeverCalledAgain() throws Exception {
    RecordingStreamListener events = new RecordingStreamListener();
    DispatchSubscription s = client.stream(MICROGRID, events);
    assertEquals("connected", events.next());
    // The server registers the stream a moment after the client sees it open.
    server.awaitOpenStreams(MICROGRID, 1, Duration.ofSeconds(5));
    s.close();
    server.awaitOpenStreams(MICROGRID, 0, Duration.ofSeconds(5));
    client.create(MICROGRID, newDispatch("UNSEEN").build());
    client.get(MICROGRID, client.list(MICROGRID, DispatchQuery.ALL).findFirst().orElseThrow().id());
    assertEquals(List.of(), events.drain());
    assertFalse(s.isConnected());
  }

  @Test
  void eachStatusMapsToItsExceptionWithoutTheKey() {
    assertStatus(DispatchNotFoundException.class, "NOT_FOUND", () -> client.get(MICROGRID, 424242));
    server.failNextCall(Status.INVALID_ARGUMENT.withDescription("bad " + KEY));
    assertStatus(InvalidArgumentException.class, "INVALID_ARGUMENT", () -> client.get(MICROGRID, 1));
    server.failNextCall(Status.UNAVAILABLE.withDescription("down"));
    assertStatus(ServiceUnavailableException.class, "UNAVAILABLE", () -> client.get(MICROGRID, 1));

    try (DispatchConnection wrongKey = DispatchConnection.open(options(server, "not-the-key"))) {
      assertStatus(AuthenticationException.class, "UNAUTHENTICATED", () -> wrongKey.get(MICROGRID, 1));
    }
    try (DispatchConnection noKey = DispatchConnection.open(options(server, ""))) {
      assertStatus(AuthenticationException.class, "UNAUTHENTICATED", () -> noKey.get(MICROGRID, 1));
    }
    server.close();
    assertStatus(ServiceUnavailableException.class, "UNAVAILABLE", () -> client.get(MICROGRID, 1));
  }

  private static void assertStatus(
      Class<? extends DispatchApiException> type, String status, Runnable call) {
    DispatchApiException e = assertThrows(type, call::run);
    assertEquals(status, e.status());
    for (Throwable t = e; t != null; t = t.getCause()) {
      assertFalse(String.valueOf(t).contains(KEY), "key leaked in " + t);
      assertFalse(String.valueOf(t.getMessage()).contains(KEY), "key leaked in " + t);
    }
  }

  @Test
  void eachCallHasTheConfiguredDeadline() {
    client.reconfigure(
        ClientOptions.builder("grpc://127.0.0.1:" + server.port() + "?ssl=false")
            .key(KEY)
            .callTimeout(Duration.ofMillis(300))
            .build());
    server.stallNextCall();
    long start = System.nanoTime();
    assertStatus(ServiceUnavailableException.class, "DEADLINE_EXCEEDED", () -> client.get(MICROGRID, 1));
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertTrue(tookMs >= 250, "the call waited for its deadline, not less: " + tookMs + " ms");
    // The next call is answered normally: the deadline is per call, not per connection.
    assertStatus(DispatchNotFoundException.class, "NOT_FOUND", () -> client.get(MICROGRID, 1));
  }

  @Test
  void aChangeOfServerMovesAnOpenStreamWithoutLosingTheService() throws Exception {
    try (DispatchTestServer second = DispatchTestServer.start("second-key")) {
      RecordingStreamListener events = new RecordingStreamListener();
      try (DispatchSubscription s = client.stream(MICROGRID, events)) {
        assertEquals("connected", events.next());
        // The server registers the stream a moment after the client sees it open.
        server.awaitOpenStreams(MICROGRID, 1, Duration.ofSeconds(5));

        client.reconfigure(options(second, "second-key"));

        assertEquals("disconnected UNAVAILABLE", events.next());
        assertEquals("reconnected", events.next());
        second.awaitOpenStreams(MICROGRID, 1, Duration.ofSeconds(5));
        server.awaitOpenStreams(MICROGRID, 0, Duration.ofSeconds(5));

        Dispatch d = client.create(MICROGRID, newDispatch("ON_SECOND").build());
        assertEquals("Created " + d.id() + " ON_SECOND", events.next());
        assertEquals(1, second.store(MICROGRID).size());
        assertTrue(server.store(MICROGRID).isEmpty());
        assertTrue(s.isConnected());
      }
      second.calls().forEach(c -> assertEquals("second-key", c.key(), "new key on " + c.method()));
    }
  }

  private long listCalls() {
    return server.calls().stream().filter(c -> c.method().endsWith("ListMicrogridDispatches")).count();
  }
}
