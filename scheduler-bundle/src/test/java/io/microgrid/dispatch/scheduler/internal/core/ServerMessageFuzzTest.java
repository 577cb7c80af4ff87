package io.microgrid.dispatch.scheduler.internal.core;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.protocol.Dispatch;
import io.microgrid.dispatch.protocol.DispatchData;
import io.microgrid.dispatch.protocol.DispatchMetadata;
import io.microgrid.dispatch.protocol.RecurrenceRule;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import io.microgrid.dispatch.protocol.TargetComponents;
import io.microgrid.dispatch.protocol.codec.ProtoConversion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Fuzz of what a server may send on the stream: random, malformed and hostile messages (missing
 * fields, ids of 0 or above Long.MAX_VALUE, timestamps out of range, unknown enum numbers, payloads
 * too deep or too large, bad recurrence rules, corrupted bytes, duplicate and out-of-order
 * versions of the same ids) go through the wire parser, the client's converter and one long-lived
 * {@link DispatchSchedule}, as the stream feeds them. Nothing may throw: a message is parsed or
 * refused by protobuf (gRPC would end that call and the client reconnects), read or skipped with
 * a warning, and a read one is applied or ignored by the schedule. Prints its figures.
 */
class ServerMessageFuzzTest {
  private static final long MICROGRID = 5;
  private static final Instant BASE = Instant.parse("2026-06-01T00:00:00Z");
  private static final int TRIES = 12_000;

  private static DispatchSchedule schedule;
  private static Instant now;
  private static int tried;
  private static int unparseable;
  private static int skipped;
  private static int unknownEvent;
  private static int accepted;
  private static int applied;
  private static int notifications;
  private static final List<String> crashes = new ArrayList<>();

  @BeforeContainer
  static void start() {
    now = BASE;
    schedule =
        new DispatchSchedule(
            MICROGRID,
            new Notifications() {
              @Override
              public void runningStateChanged(RunningStateChange change) {
                notifications++;
              }

              @Override
              public void dispatchEvent(DispatchEvent event, Instant due) {
                notifications++;
              }
            });
  }

  @AfterContainer
  static void report() {
    System.out.printf(
        "server message fuzz: tried=%d unparseable=%d skipped-with-warning=%d unknown-event=%d"
            + " accepted=%d applied-by-schedule=%d notifications=%d held=%d crashes=%d%n",
        tried, unparseable, skipped, unknownEvent, accepted, applied, notifications,
        schedule.dispatches().size(), crashes.size());
  }

  @Property(tries = TRIES)
  void noServerMessageCrashesTheConverterOrTheSchedule(@ForAll("wire") byte[] wire) {
    tried++;
    try {
      feed(wire);
    } catch (RuntimeException | Error e) {
      crashes.add(e.toString());
      throw e;
    }
  }

  /** What StreamSubscription does with a message, then what DispatchScheduler does with it. */
  private static void feed(byte[] wire) {
    StreamMicrogridDispatchesResponse response;
    try {
      response = StreamMicrogridDispatchesResponse.parseFrom(wire);
    } catch (InvalidProtocolBufferException e) {
      unparseable++;
      return;
    }
    ProtoConversion.ConvertedEvent converted = ProtoConversion.eventFromProto(response, MICROGRID);
    if (converted instanceof ProtoConversion.Unreadable bad) {
      if (bad.reason() == null || bad.reason().isBlank()) {
        throw new AssertionError("an unreadable dispatch without a reason");
      }
      if (bad.reason().startsWith(ProtoConversion.UNKNOWN_EVENT)) {
        unknownEvent++;
      } else {
        skipped++;
      }
      return;
    }
    DispatchEvent event = ((ProtoConversion.ReadableEvent) converted).event();
    accepted++;
    if (schedule.apply(event, now)) {
      applied++;
    }
    // Time moves on between messages, sometimes by a lot, so transitions fall due.
    now = now.plusSeconds(1 + (wire.length % 7) * (wire.length % 3 == 0 ? 3_600 : 1));
    schedule.advance(now);
    schedule.running(now);
    schedule.nextDue();
  }

  @Provide
  Arbitrary<byte[]> wire() {
    return Arbitraries.randomValue(ServerMessageFuzzTest::message);
  }

  // ---- the generator --------------------------------------------------------------------------

  static byte[] message(Random r) {
    // Half the messages are well formed (so the schedule gets real work, with duplicates and
    // out-of-order versions of a few ids); the other half break something on purpose.
    if (r.nextBoolean()) {
      return StreamMicrogridDispatchesResponse.newBuilder()
          .setDispatch(wellFormed(r))
          .setEventValue(pick(r, 1, 1, 2, 2, 2, 3))
          .build()
          .toByteArray();
    }
    StreamMicrogridDispatchesResponse.Builder b = StreamMicrogridDispatchesResponse.newBuilder();
    if (r.nextInt(20) != 0) {
      b.setDispatch(dispatch(r));
    }
    b.setEventValue(pick(r, 1, 1, 2, 2, 3, 0, 4, r.nextInt()));
    byte[] bytes = b.build().toByteArray();
    return switch (r.nextInt(10)) {
      case 0 -> flip(r, bytes);
      case 1 -> bytes.length == 0 ? bytes : java.util.Arrays.copyOf(bytes, r.nextInt(bytes.length));
      case 2 -> {
        byte[] noise = new byte[r.nextInt(64)];
        r.nextBytes(noise);
        yield noise;
      }
      default -> bytes;
    };
  }

  private static byte[] flip(Random r, byte[] bytes) {
    byte[] copy = bytes.clone();
    for (int i = 0, n = 1 + r.nextInt(4); i < n && copy.length > 0; i++) {
      copy[r.nextInt(copy.length)] ^= (byte) (1 << r.nextInt(8));
    }
    return copy;
  }

  private static Dispatch wellFormed(Random r) {
    Timestamp created = Timestamp.newBuilder().setSeconds(BASE.getEpochSecond() - 86_400).build();
    DispatchData.Builder data =
        DispatchData.newBuilder()
            .setType(pick(r, "PV_LIMIT", "BATTERY"))
            .setStartTime(
                Timestamp.newBuilder().setSeconds(BASE.getEpochSecond() + r.nextInt(3 * 86_400)))
            .setIsActive(r.nextInt(5) != 0)
            .setTarget(
                TargetComponents.newBuilder()
                    .setComponentIds(TargetComponents.IdSet.newBuilder().addIds(1 + r.nextInt(9))));
    if (r.nextBoolean()) {
      data.setDuration(r.nextInt(7_200));
    }
    if (r.nextInt(3) == 0) {
      data.setPayload(
          Struct.newBuilder().putFields("power", Value.newBuilder().setNumberValue(r.nextInt(100)).build()));
    }
    if (r.nextInt(3) == 0) {
      data.setRecurrence(
          RecurrenceRule.newBuilder()
              .setFreqValue(pick(r, 1, 2, 3, 4))
              .setInterval(1 + r.nextInt(3))
              .setEndCriteria(RecurrenceRule.EndCriteria.newBuilder().setCount(1 + r.nextInt(10))));
    }
    return Dispatch.newBuilder()
        .setMetadata(
            DispatchMetadata.newBuilder()
                .setDispatchId(1 + r.nextInt(12))
                .setCreateTime(created)
                // A few versions per id, in random order: duplicates and older ones arrive.
                .setUpdateTime(
                    Timestamp.newBuilder().setSeconds(created.getSeconds() + r.nextInt(20))))
        .setData(data)
        .build();
  }

  private static Dispatch dispatch(Random r) {
    Dispatch.Builder d = Dispatch.newBuilder();
    if (r.nextInt(15) != 0) {
      DispatchMetadata.Builder m =
          DispatchMetadata.newBuilder()
              // Mostly a few small ids, so versions of one dispatch meet: duplicates, older ones.
              .setDispatchId(
                  pick(r, 1L + r.nextInt(12), 1L + r.nextInt(12), 1L + r.nextInt(12), 0L, -1L, r.nextLong()));
      if (r.nextInt(15) != 0) {
        m.setCreateTime(timestamp(r));
      }
      if (r.nextInt(15) != 0) {
        m.setUpdateTime(timestamp(r));
      }
      if (r.nextBoolean()) {
        m.setEndTime(timestamp(r));
      }
      d.setMetadata(m);
    }
    if (r.nextInt(15) != 0) {
      DispatchData.Builder data =
          DispatchData.newBuilder()
              .setType(pick(r, "PV_LIMIT", "PV_LIMIT", "BATTERY", "", " ", "\u0000\uFFFF"))
              .setIsActive(r.nextInt(4) != 0)
              .setIsDryRun(r.nextInt(4) == 0)
              .setTarget(target(r));
      if (r.nextInt(15) != 0) {
        data.setStartTime(timestamp(r));
      }
      if (r.nextBoolean()) {
        data.setDuration(pick(r, 0, 1 + r.nextInt(7_200), -1, Integer.MAX_VALUE, r.nextInt()));
      }
      if (r.nextInt(3) == 0) {
        data.setPayload(payload(r));
      }
      if (r.nextInt(3) == 0) {
        data.setRecurrence(recurrence(r));
      }
      d.setData(data);
    }
    return d.build();
  }

  private static Timestamp timestamp(Random r) {
    Timestamp.Builder t = Timestamp.newBuilder();
    switch (r.nextInt(12)) {
      case 0 -> t.setSeconds(r.nextLong());
      case 1 -> t.setSeconds(Long.MAX_VALUE);
      case 2 -> t.setSeconds(BASE.getEpochSecond()).setNanos(pick(r, -1, 1_000_000_000, r.nextInt()));
      default ->
          t.setSeconds(BASE.getEpochSecond() + r.nextInt(14 * 86_400) - 86_400)
              .setNanos(r.nextInt(4) == 0 ? r.nextInt(1_000_000_000) : 0);
    }
    return t.build();
  }

  private static TargetComponents target(Random r) {
    TargetComponents.Builder t = TargetComponents.newBuilder();
    switch (r.nextInt(4)) {
      case 0 -> {}
      case 1 -> {
        var ids = TargetComponents.IdSet.newBuilder();
        for (int i = r.nextInt(5); i > 0; i--) {
          ids.addIds(pick(r, 1L + r.nextInt(100), -1L, r.nextLong()));
        }
        t.setComponentIds(ids);
      }
      default -> {
        var cats = TargetComponents.CategorySet.newBuilder();
        for (int i = r.nextInt(4); i > 0; i--) {
          cats.addCategoriesValue(pick(r, 1 + r.nextInt(10), 0, 999, r.nextInt()));
        }
        t.setComponentCategories(cats);
      }
    }
    return t.build();
  }

  private static Struct payload(Random r) {
    return switch (r.nextInt(12)) {
      // Deeper than the API's 5 levels, and deeper than protobuf's recursion limit of 100.
      case 0 -> nested(6 + r.nextInt(20));
      case 1 -> nested(120);
      // Larger than the API's 50 KiB.
      case 2 ->
          Struct.newBuilder()
              .putFields("big", Value.newBuilder().setStringValue("x".repeat(60 * 1024)).build())
              .build();
      default -> struct(r, 1 + r.nextInt(4));
    };
  }

  private static Struct nested(int depth) {
    Struct s = Struct.newBuilder().putFields("leaf", Value.newBuilder().setBoolValue(true).build()).build();
    for (int i = 1; i < depth; i++) {
      s = Struct.newBuilder().putFields("n", Value.newBuilder().setStructValue(s).build()).build();
    }
    return s;
  }

  private static Struct struct(Random r, int depth) {
    Struct.Builder s = Struct.newBuilder();
    for (int i = r.nextInt(4); i > 0; i--) {
      s.putFields("k" + r.nextInt(10), value(r, depth - 1));
    }
    return s.build();
  }

  private static Value value(Random r, int depth) {
    Value.Builder v = Value.newBuilder();
    switch (r.nextInt(depth > 0 ? 9 : 7)) {
      case 0 -> {}
      case 1 -> v.setNullValue(NullValue.NULL_VALUE);
      case 2 -> v.setBoolValue(r.nextBoolean());
      case 3 -> v.setNumberValue(pick(r, r.nextDouble() * 1e6, Double.NaN, Double.POSITIVE_INFINITY));
      case 4, 5, 6 -> v.setStringValue("s" + r.nextInt());
      case 7 -> v.setStructValue(struct(r, depth));
      default -> {
        ListValue.Builder l = ListValue.newBuilder();
        for (int i = r.nextInt(3); i > 0; i--) {
          l.addValues(value(r, depth - 1));
        }
        v.setListValue(l);
      }
    }
    return v.build();
  }

  private static RecurrenceRule recurrence(Random r) {
    RecurrenceRule.Builder rule =
        RecurrenceRule.newBuilder()
            .setFreqValue(pick(r, 1, 2, 3, 4, 5, 6, 0, 7, r.nextInt()))
            .setInterval(pick(r, 0, 1, 1 + r.nextInt(10), -1, r.nextInt()));
    switch (r.nextInt(3)) {
      case 0 -> rule.setEndCriteria(
          RecurrenceRule.EndCriteria.newBuilder().setCount(pick(r, 1 + r.nextInt(20), 0, -1, r.nextInt())));
      case 1 -> rule.setEndCriteria(RecurrenceRule.EndCriteria.newBuilder().setUntilTime(timestamp(r)));
      default -> {}
    }
    for (int i = r.nextInt(3); i > 0; i--) {
      rule.addByminutes(pick(r, r.nextInt(60), 60, -1));
      rule.addByhours(pick(r, r.nextInt(24), 24, -1));
      rule.addByweekdaysValue(pick(r, 1 + r.nextInt(7), 0, 8, r.nextInt()));
      rule.addBymonthdays(pick(r, 1 + r.nextInt(31), -1 - r.nextInt(31), 0, 32, r.nextInt()));
      rule.addBymonths(pick(r, 1 + r.nextInt(12), 0, 13, -1));
    }
    return rule.build();
  }

  @SafeVarargs
  private static <T> T pick(Random r, T... choices) {
    return choices[r.nextInt(choices.length)];
  }
}
