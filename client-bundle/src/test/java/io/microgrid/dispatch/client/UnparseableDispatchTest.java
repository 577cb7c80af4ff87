package io.microgrid.dispatch.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.client.testing.DispatchTestServer;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A dispatch whose payload is nested deeper than protobuf parses by default (100 levels) is the
 * server's bad data about one dispatch: the list, a get of another dispatch and the stream must
 * not suffer for it. The dispatch itself is skipped with one warning naming its id.
 */
class UnparseableDispatchTest {
  private static final String KEY = "unparseable-key";
  private static final long MICROGRID = 13;
  private static final long DEEP_ID = 9_999;
  /** Levels of the bad payload: twice protobuf's default recursion limit. */
  private static final int DEPTH = 200;

  private DispatchTestServer server;
  private DispatchConnection client;
  private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
  private final Handler capture =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
            warnings.add(record);
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };
  // Held strongly: JUL keeps loggers weakly, and a collected logger would drop the handler.
  private final Logger clientLogger = Logger.getLogger("io.microgrid.dispatch.client");

  @BeforeEach
  void start() throws Exception {
    clientLogger.addHandler(capture);
    server = DispatchTestServer.start(KEY);
    client = DispatchConnection.open(DispatchConnectionTest.options(server, KEY));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
    clientLogger.removeHandler(capture);
  }

  /**
   * 100: beyond protobuf's default limit, parsed with the client's; 200: beyond that too, taken
   * apart on the wire level. (Much deeper payloads overflow the test server's own stack when it
   * writes them, so it could not send them.)
   */
  @ParameterizedTest
  @ValueSource(ints = {100, DEPTH})
  void aDispatchNestedTooDeepToParseIsSkippedAndTheOthersAreListed(int depth) {
    List<Long> good = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      good.add(client.create(MICROGRID, DispatchConnectionTest.newDispatch("GOOD" + i).build()).id());
    }
    server.putRaw(MICROGRID, deep(DEEP_ID, depth));

    // Pages of 4: the bad dispatch sits on one of three pages, and the pages after it still come.
    List<Long> listed =
        client.list(MICROGRID, DispatchQuery.builder().pageSize(4).build())
            .map(Dispatch::id)
            .sorted()
            .toList();

    assertEquals(good, listed, "every readable dispatch is listed");
    List<String> named = warningsNaming(DEEP_ID);
    assertEquals(1, named.size(), "one warning naming the dispatch: " + messages());
    System.out.println(
        "a payload nested " + depth + " deep in a list: skipped with one warning, the other "
            + listed.size() + " listed (" + named.get(0) + ")");
  }

  @Test
  void gettingADispatchNestedTooDeepToParseSaysWhyAndOtherGetsWork() {
    Dispatch other = client.create(MICROGRID, DispatchConnectionTest.newDispatch("OTHER").build());
    server.putRaw(MICROGRID, deep(DEEP_ID, DEPTH));

    DispatchApiException e =
        assertThrows(DispatchApiException.class, () -> client.get(MICROGRID, DEEP_ID));
    assertEquals("DATA_LOSS", e.status(), e.getMessage());
    assertTrue(e.getMessage().contains("payload is nested "), e.getMessage());
    assertEquals(other, client.get(MICROGRID, other.id()));
    System.out.println("get of a payload nested " + DEPTH + " deep: " + e.getMessage());
  }

  @Test
  void aStreamEventNestedTooDeepToParseIsSkippedAndTheStreamGoesOn() throws Exception {
    io.microgrid.dispatch.protocol.Dispatch bad = deep(DEEP_ID, DEPTH);
    RecordingStreamListener events = new RecordingStreamListener();
    try (DispatchSubscription s = client.stream(MICROGRID, events)) {
      assertEquals("connected", events.next());
      server.awaitOpenStreams(MICROGRID, 1, Duration.ofSeconds(5));
      server.sendRaw(
          MICROGRID,
          StreamMicrogridDispatchesResponse.newBuilder()
              .setDispatch(bad)
              .setEventValue(1)
              .build());
      String line = events.next();
      assertTrue(line.startsWith("unreadable " + DEEP_ID + ": payload is nested"), line);
      Dispatch after = client.create(MICROGRID, DispatchConnectionTest.newDispatch("AFTER").build());
      // Nothing in between: no disconnect, no reconnect, no lost event.
      assertEquals("Created " + after.id() + " AFTER", events.next(), "the stream goes on");
      assertTrue(s.isConnected());
      assertEquals(1, warningsNaming(DEEP_ID).size(), "one warning naming the dispatch: " + messages());
      System.out.println("a stream event nested " + DEPTH + " deep: " + line);
    }
  }

  /** A complete, valid dispatch except for a payload nested {@code depth} levels deep. */
  private io.microgrid.dispatch.protocol.Dispatch deep(long id, int depth) {
    Dispatch template =
        client.create(MICROGRID, DispatchConnectionTest.newDispatch("TEMPLATE").build());
    io.microgrid.dispatch.protocol.Dispatch stored =
        server.store(MICROGRID).stream()
            .filter(d -> d.getMetadata().getDispatchId() == template.id())
            .findFirst()
            .orElseThrow();
    client.delete(MICROGRID, template.id());
    Struct payload = Struct.newBuilder().putFields("leaf", Value.newBuilder().setNumberValue(1).build()).build();
    for (int level = 1; level < depth; level++) {
      payload =
          Struct.newBuilder().putFields("n", Value.newBuilder().setStructValue(payload).build()).build();
    }
    return stored.toBuilder()
        .setMetadata(stored.getMetadata().toBuilder().setDispatchId(id))
        .setData(stored.getData().toBuilder().setPayload(payload))
        .build();
  }

  private List<String> warningsNaming(long id) {
    return messages().stream().filter(m -> m.contains(" " + id + " ")).toList();
  }

  private List<String> messages() {
    return warnings.stream()
        .map(r -> java.text.MessageFormat.format(r.getMessage(), r.getParameters() == null ? new Object[0] : r.getParameters()))
        .toList();
  }
}
