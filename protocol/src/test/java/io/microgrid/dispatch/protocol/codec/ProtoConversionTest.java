package io.microgrid.dispatch.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.ListValue;
import com.google.protobuf.NullValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import com.google.protobuf.Value;
import io.microgrid.dispatch.api.ComponentCategory;
import io.microgrid.dispatch.api.ComponentType;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.JsonValue;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.protocol.codec.ProtoConversion.Converted;
import io.microgrid.dispatch.protocol.codec.ProtoConversion.Readable;
import io.microgrid.dispatch.protocol.codec.ProtoConversion.Unreadable;
import io.microgrid.dispatch.protocol.CreateMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.DispatchData;
import io.microgrid.dispatch.protocol.DispatchFilter;
import io.microgrid.dispatch.protocol.DispatchMetadata;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesRequest;
import io.microgrid.dispatch.protocol.common.Interval;
import io.microgrid.dispatch.protocol.UpdateMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.UpdateMicrogridDispatchRequest.DispatchUpdate.RecurrenceRuleUpdate;
import io.microgrid.dispatch.protocol.common.PaginationParams;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ProtoConversionTest {

  private static final long MICROGRID = 3;
  private static final long ID = 7;
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
  private static final Instant START = Instant.parse("2030-01-02T03:04:05.123456789Z");
  private static final Instant CREATED = Instant.parse("2029-12-31T23:00:00.5Z");
  private static final Instant MODIFIED = Instant.parse("2029-12-31T23:30:00.000000001Z");
  private static final Instant ENDS = Instant.parse("2031-06-01T12:00:00Z");
  private static final Instant UNTIL = Instant.parse("2030-12-31T23:59:59Z");

  /** uint32 4294967295 as it travels: the same 32 bits, negative as a Java int. */
  private static final long MAX_UINT32 = 4_294_967_295L;

  private static final List<String> RECURRENCE_PATHS =
      List.of(
          "recurrence.freq",
          "recurrence.interval",
          "recurrence.end_criteria",
          "recurrence.byminutes",
          "recurrence.byhours",
          "recurrence.byweekdays",
          "recurrence.bymonthdays",
          "recurrence.bymonths");

  // ---- helpers ------------------------------------------------------------------------------

  private static Timestamp ts(Instant t) {
    return Timestamp.newBuilder().setSeconds(t.getEpochSecond()).setNanos(t.getNano()).build();
  }

  private static DispatchMetadata.Builder metadata() {
    return DispatchMetadata.newBuilder()
        .setDispatchId(ID)
        .setCreateTime(ts(CREATED))
        .setUpdateTime(ts(MODIFIED));
  }

  /** A minimal valid DispatchData as the server could send it. */
  private static DispatchData.Builder data() {
    return DispatchData.newBuilder()
        .setType("charge")
        .setStartTime(ts(START))
        .setTarget(
            io.microgrid.dispatch.protocol.TargetComponents.newBuilder()
                .setComponentIds(
                    io.microgrid.dispatch.protocol.TargetComponents.IdSet.newBuilder()
                        .addIds(1)))
        .setIsActive(true);
  }

  private static io.microgrid.dispatch.protocol.Dispatch wrap(
      DispatchMetadata.Builder meta, DispatchData.Builder data) {
    return io.microgrid.dispatch.protocol.Dispatch.newBuilder()
        .setMetadata(meta)
        .setData(data)
        .build();
  }

  private static io.microgrid.dispatch.protocol.Dispatch wrap(DispatchData data) {
    return io.microgrid.dispatch.protocol.Dispatch.newBuilder()
        .setMetadata(metadata().setEndTime(ts(ENDS)))
        .setData(data)
        .build();
  }

  private static Dispatch read(io.microgrid.dispatch.protocol.Dispatch proto) {
    Converted c = ProtoConversion.fromProto(proto, MICROGRID);
    if (c instanceof Unreadable u) {
      throw new AssertionError("expected a readable dispatch, got: " + u.reason());
    }
    return ((Readable) c).dispatch();
  }

  private static Unreadable unreadable(io.microgrid.dispatch.protocol.Dispatch proto) {
    Converted c = assertDoesNotThrowConvert(proto, MICROGRID);
    return assertInstanceOf(Unreadable.class, c, () -> "expected Unreadable, got " + c);
  }

  private static Converted assertDoesNotThrowConvert(
      io.microgrid.dispatch.protocol.Dispatch proto, long microgridId) {
    try {
      Converted c = ProtoConversion.fromProto(proto, microgridId);
      assertNotNull(c, "fromProto returned null");
      return c;
    } catch (Throwable t) {
      throw new AssertionError("fromProto must never throw, but threw " + t, t);
    }
  }

  /** Asserts that the reason names the field as a whole path (not just a suffix of another). */
  private static void assertNames(String reason, String field) {
    assertNotNull(reason);
    Pattern word =
        Pattern.compile("(?<![A-Za-z0-9_.])" + Pattern.quote(field) + "(?![A-Za-z0-9_])");
    assertTrue(
        word.matcher(reason).find(),
        () -> "expected the reason to name '" + field + "', got: " + reason);
  }

  private static void assertUnreadableNaming(
      io.microgrid.dispatch.protocol.Dispatch proto, String field) {
    Unreadable u = unreadable(proto);
    assertNames(u.reason(), field);
  }

  /** Round trip: NewDispatch -> DispatchData -> stored Dispatch -> API Dispatch. */
  private static Dispatch roundTrip(NewDispatch nd) {
    return read(wrap(ProtoConversion.toProto(nd, NOW)));
  }

  private static NewDispatch.Builder newDispatch() {
    return NewDispatch.builder("charge", TargetComponents.ids(1)).startTime(START);
  }

  private static io.microgrid.dispatch.protocol.RecurrenceRule.Builder protoRule(
      int freq) {
    return io.microgrid.dispatch.protocol.RecurrenceRule.newBuilder()
        .setFreqValue(freq);
  }

  // ---- round trip -----------------------------------------------------------------------------

  @Nested
  class RoundTrip {

    @Test
    void everyFieldSurvivesTheRoundTrip() {
      Payload payload =
          Payload.of(
              Map.of("power", -1500.5, "mode", "peak", "enabled", true, "limits", List.of(1, 2)));
      RecurrenceRule rule =
          RecurrenceRule.builder(Frequency.MONTHLY)
              .interval(2)
              .count(10)
              .byMinutes(0, 30, 59)
              .byHours(0, 12, 23)
              .byWeekdays(DayOfWeek.MONDAY, DayOfWeek.SUNDAY)
              .byMonthDays(-31, -1, 1, 31)
              .byMonths(1, 6, 12)
              .build();
      NewDispatch nd =
          NewDispatch.builder("charge", TargetComponents.ids(4, 2, 9))
              .startTime(START)
              .duration(Duration.ofSeconds(900))
              .active(false)
              .dryRun(true)
              .payload(payload)
              .recurrence(rule)
              .build();

      DispatchData data = ProtoConversion.toProto(nd, NOW);
      Dispatch d = read(wrap(data));

      assertEquals(ID, d.id());
      assertEquals(MICROGRID, d.microgridId());
      assertEquals("charge", d.type());
      assertEquals(START, d.startTime());
      assertEquals(Optional.of(Duration.ofSeconds(900)), d.duration());
      assertEquals(TargetComponents.ids(2, 4, 9), d.target());
      assertFalse(d.active());
      assertTrue(d.dryRun());
      assertEquals(payload, d.payload());
      assertEquals(Optional.of(rule), d.recurrence());
      assertEquals(CREATED, d.createTime());
      assertEquals(MODIFIED, d.updateTime());
      assertEquals(Optional.of(ENDS), d.endTime());
    }

    @Test
    void wireFieldsOfANewDispatch() {
      NewDispatch nd =
          NewDispatch.builder("discharge", TargetComponents.ids(5))
              .startTime(START)
              .duration(Duration.ofSeconds(60))
              .active(true)
              .dryRun(false)
              .build();
      DispatchData data = ProtoConversion.toProto(nd, NOW);
      assertEquals("discharge", data.getType());
      assertEquals(ts(START), data.getStartTime());
      assertEquals(START.getNano(), data.getStartTime().getNanos());
      assertTrue(data.hasDuration());
      assertEquals(60, data.getDuration());
      assertTrue(data.getIsActive());
      assertFalse(data.getIsDryRun());
      assertEquals(List.of(5L), data.getTarget().getComponentIds().getIdsList());
      assertFalse(data.hasRecurrence());
      assertEquals(0, data.getPayload().getFieldsCount());
    }

    @Test
    void inactiveAndDryRunFlagsAreWrittenAndRead() {
      for (boolean active : new boolean[] {true, false}) {
        for (boolean dryRun : new boolean[] {true, false}) {
          NewDispatch nd = newDispatch().active(active).dryRun(dryRun).build();
          DispatchData data = ProtoConversion.toProto(nd, NOW);
          assertEquals(active, data.getIsActive());
          assertEquals(dryRun, data.getIsDryRun());
          Dispatch d = read(wrap(data));
          assertEquals(active, d.active());
          assertEquals(dryRun, d.dryRun());
        }
      }
    }

    @Test
    void startNowUsesTheGivenInstant() {
      NewDispatch nd = NewDispatch.builder("x", TargetComponents.ids(1)).startNow().build();
      DispatchData data = ProtoConversion.toProto(nd, NOW);
      assertEquals(ts(NOW), data.getStartTime());
      Instant other = Instant.parse("2040-05-05T05:05:05.5Z");
      assertEquals(ts(other), ProtoConversion.toProto(nd, other).getStartTime());
      assertEquals(NOW, read(wrap(data)).startTime());
    }

    @Test
    void anExplicitStartTimeIsNotReplacedByNow() {
      DispatchData data = ProtoConversion.toProto(newDispatch().build(), NOW);
      assertEquals(ts(START), data.getStartTime());
    }

    @Test
    void endTimeAbsentAndPresent() {
      DispatchData data = ProtoConversion.toProto(newDispatch().build(), NOW);
      Dispatch without = read(wrap(metadata(), data.toBuilder()));
      assertEquals(Optional.empty(), without.endTime());
      Dispatch with = read(wrap(metadata().setEndTime(ts(ENDS)), data.toBuilder()));
      assertEquals(Optional.of(ENDS), with.endTime());
    }

    @Test
    void timestampKeepsSecondsAndNanos() {
      Timestamp t = ProtoConversion.timestamp(START);
      assertEquals(START.getEpochSecond(), t.getSeconds());
      assertEquals(123_456_789, t.getNanos());
      Timestamp before1970 = ProtoConversion.timestamp(Instant.parse("1969-12-31T23:59:59.25Z"));
      assertEquals(-1, before1970.getSeconds());
      assertEquals(250_000_000, before1970.getNanos());
    }
  }

  // ---- duration -------------------------------------------------------------------------------

  @Nested
  class Durations {

    @Test
    void absentDurationIsInfinite() {
      DispatchData data = ProtoConversion.toProto(newDispatch().infiniteDuration().build(), NOW);
      assertFalse(data.hasDuration());
      assertEquals(Optional.empty(), read(wrap(data)).duration());
    }

    @Test
    void zeroDurationIsKeptDistinctFromAbsent() {
      DispatchData data =
          ProtoConversion.toProto(newDispatch().duration(Duration.ZERO).build(), NOW);
      assertTrue(data.hasDuration());
      assertEquals(0, data.getDuration());
      assertEquals(Optional.of(Duration.ZERO), read(wrap(data)).duration());
    }

    @Test
    void maxUint32DurationTravelsAsTheSameBitsAndReadsBackPositive() {
      DispatchData data =
          ProtoConversion.toProto(newDispatch().duration(Dispatch.MAX_DURATION).build(), NOW);
      assertTrue(data.hasDuration());
      assertEquals(-1, data.getDuration(), "4294967295 is -1 as a Java int on the wire");
      assertEquals(MAX_UINT32, Integer.toUnsignedLong(data.getDuration()));
      assertEquals(
          Optional.of(Duration.ofSeconds(MAX_UINT32)), read(wrap(data)).duration());
    }

    @Test
    void durationAboveIntMaxReadFromTheWire() {
      long secs = 3_000_000_000L; // > Integer.MAX_VALUE, < 2^32
      Dispatch d = read(wrap(metadata(), data().setDuration((int) secs)));
      assertEquals(Optional.of(Duration.ofSeconds(secs)), d.duration());
      DispatchData back =
          ProtoConversion.toProto(newDispatch().duration(Duration.ofSeconds(secs)).build(), NOW);
      assertEquals(secs, Integer.toUnsignedLong(back.getDuration()));
    }
  }

  // ---- target ---------------------------------------------------------------------------------

  @Nested
  class Targets {

    @Test
    void idsBothWays() {
      NewDispatch nd =
          NewDispatch.builder("x", TargetComponents.ids(Long.MAX_VALUE, 0, 42))
              .startTime(START)
              .build();
      DispatchData data = ProtoConversion.toProto(nd, NOW);
      assertEquals(
          io.microgrid.dispatch.protocol.TargetComponents.ComponentsCase
              .COMPONENT_IDS,
          data.getTarget().getComponentsCase());
      assertEquals(List.of(0L, 42L, Long.MAX_VALUE), data.getTarget().getComponentIds().getIdsList());
      assertEquals(TargetComponents.ids(0, 42, Long.MAX_VALUE), read(wrap(data)).target());
    }

    @Test
    void idAboveLongMaxFromTheWireIsUnreadableNamingTargetIds() {
      for (long raw : new long[] {-1L /* 2^64-1 */, Long.MIN_VALUE /* 2^63 */}) {
        var proto =
            wrap(
                metadata(),
                data()
                    .setTarget(
                        io.microgrid.dispatch.protocol.TargetComponents.newBuilder()
                            .setComponentIds(
                                io.microgrid.dispatch.protocol.TargetComponents.IdSet
                                    .newBuilder()
                                    .addIds(1)
                                    .addIds(raw))));
        Unreadable u = unreadable(proto);
        assertEquals(ID, u.dispatchId());
        assertNames(u.reason(), "target.ids");
      }
    }

    @Test
    void categoriesBothWaysIncludingAnUnknownNumber() {
      ComponentCategory unknown = new ComponentCategory(42);
      NewDispatch nd =
          NewDispatch.builder(
                  "x",
                  TargetComponents.categories(
                      ComponentCategory.EV_CHARGER, unknown, ComponentCategory.BATTERY))
              .startTime(START)
              .build();
      DispatchData data = ProtoConversion.toProto(nd, NOW);
      // Written in the v1.1 form only, whole categories as entries without a subtype.
      assertEquals(
          io.microgrid.dispatch.protocol.TargetComponents.ComponentsCase
              .COMPONENT_CATEGORIES_TYPES,
          data.getTarget().getComponentsCase());
      assertEquals(List.of("5", "6", "42"), written(data.getTarget()));

      TargetComponents back = read(wrap(data)).target();
      assertEquals(
          TargetComponents.categories(
              ComponentCategory.BATTERY, ComponentCategory.EV_CHARGER, unknown),
          back);
      TargetComponents.Categories cats = assertInstanceOf(TargetComponents.Categories.class, back);
      assertTrue(cats.categories().contains(unknown));
      assertFalse(cats.categories().last().isKnown());

      // And it goes out again unchanged.
      assertEquals(List.of("5", "6", "42"), written(ProtoConversion.toProto(back)));
    }

    @Test
    void everyKnownCategoryNumberReadFromTheWire() {
      int[] known = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19};
      var set = io.microgrid.dispatch.protocol.TargetComponents.CategorySet.newBuilder();
      List<ComponentCategory> expected = new ArrayList<>();
      for (int n : known) {
        set.addCategoriesValue(n);
        expected.add(new ComponentCategory(n));
      }
      Dispatch d =
          read(
              wrap(
                  metadata(),
                  data()
                      .setTarget(
                          io.microgrid.dispatch.protocol.TargetComponents.newBuilder()
                              .setComponentCategories(set))));
      assertEquals(new TargetComponents.Categories(expected), d.target());
    }

    @Test
    void unknownCategoryNumberFromTheWireIsKept() {
      Dispatch d =
          read(
              wrap(
                  metadata(),
                  data()
                      .setTarget(
                          io.microgrid.dispatch.protocol.TargetComponents.newBuilder()
                              .setComponentCategories(
                                  io.microgrid.dispatch.protocol.TargetComponents
                                      .CategorySet.newBuilder()
                                      .addCategoriesValue(42)
                                      .addCategoriesValue(1)))));
      assertEquals(
          TargetComponents.categories(
              ComponentCategory.GRID_CONNECTION_POINT, new ComponentCategory(42)),
          d.target());
    }

    @Test
    void emptyIdSetBothWays() {
      NewDispatch nd =
          NewDispatch.builder("x", new TargetComponents.Ids(List.of())).startTime(START).build();
      DispatchData data = ProtoConversion.toProto(nd, NOW);
      assertTrue(data.getTarget().hasComponentIds());
      assertEquals(0, data.getTarget().getComponentIds().getIdsCount());
      assertEquals(new TargetComponents.Ids(List.of()), read(wrap(data)).target());
    }
  }

  // ---- payload --------------------------------------------------------------------------------

  @Nested
  class Payloads {

    private Payload nested() {
      Map<String, Object> inner = new LinkedHashMap<>();
      inner.put("deep", "yes");
      inner.put("n", 2.5);
      Map<String, Object> elem = new LinkedHashMap<>();
      elem.put("inner", inner);
      List<Object> list = new ArrayList<>();
      list.add(elem);
      list.add(7);
      list.add(false);
      list.add(null);
      list.add("s");
      Map<String, Object> obj = new LinkedHashMap<>();
      obj.put("list", list);
      Map<String, Object> top = new LinkedHashMap<>();
      top.put("obj", obj);
      top.put("int", 42);
      top.put("neg", -3.25);
      top.put("big", 1e300);
      top.put("t", true);
      top.put("f", false);
      top.put("nothing", null);
      top.put("text", "héllo \"q\"");
      top.put("empty", "");
      return Payload.of(top);
    }

    @Test
    void nestedPayloadToTheWire() {
      Struct s = ProtoConversion.toProto(nested());
      assertEquals(Value.KindCase.STRUCT_VALUE, s.getFieldsOrThrow("obj").getKindCase());
      ListValue list =
          s.getFieldsOrThrow("obj").getStructValue().getFieldsOrThrow("list").getListValue();
      assertEquals(5, list.getValuesCount());
      Struct elem = list.getValues(0).getStructValue();
      Struct inner = elem.getFieldsOrThrow("inner").getStructValue();
      assertEquals("yes", inner.getFieldsOrThrow("deep").getStringValue());
      assertEquals(2.5, inner.getFieldsOrThrow("n").getNumberValue());
      assertEquals(7.0, list.getValues(1).getNumberValue());
      assertEquals(Value.KindCase.BOOL_VALUE, list.getValues(2).getKindCase());
      assertFalse(list.getValues(2).getBoolValue());
      assertEquals(Value.KindCase.NULL_VALUE, list.getValues(3).getKindCase());
      assertEquals("s", list.getValues(4).getStringValue());
      assertEquals(42.0, s.getFieldsOrThrow("int").getNumberValue());
      assertEquals(-3.25, s.getFieldsOrThrow("neg").getNumberValue());
      assertEquals(1e300, s.getFieldsOrThrow("big").getNumberValue());
      assertTrue(s.getFieldsOrThrow("t").getBoolValue());
      assertEquals(Value.KindCase.BOOL_VALUE, s.getFieldsOrThrow("f").getKindCase());
      assertFalse(s.getFieldsOrThrow("f").getBoolValue());
      assertEquals(Value.KindCase.NULL_VALUE, s.getFieldsOrThrow("nothing").getKindCase());
      assertEquals(NullValue.NULL_VALUE, s.getFieldsOrThrow("nothing").getNullValue());
      assertEquals("héllo \"q\"", s.getFieldsOrThrow("text").getStringValue());
      assertEquals(Value.KindCase.STRING_VALUE, s.getFieldsOrThrow("empty").getKindCase());
      assertEquals("", s.getFieldsOrThrow("empty").getStringValue());
    }

    @Test
    void nestedPayloadRoundTrip() {
      Payload p = nested();
      assertEquals(p, roundTrip(newDispatch().payload(p).build()).payload());
    }

    @Test
    void nestedPayloadFromTheWire() {
      Struct inner =
          Struct.newBuilder()
              .putFields("k", Value.newBuilder().setStringValue("v").build())
              .build();
      Struct s =
          Struct.newBuilder()
              .putFields(
                  "a",
                  Value.newBuilder()
                      .setListValue(
                          ListValue.newBuilder()
                              .addValues(Value.newBuilder().setStructValue(inner))
                              .addValues(Value.newBuilder().setNumberValue(1.5))
                              .addValues(Value.newBuilder().setBoolValue(true))
                              .addValues(Value.newBuilder().setNullValue(NullValue.NULL_VALUE))
                              .addValues(Value.newBuilder().setStringValue("x")))
                      .build())
              .build();
      Dispatch d = read(wrap(metadata(), data().setPayload(s)));
      JsonValue a = d.payload().get("a").orElseThrow();
      JsonValue.JsonArray arr = assertInstanceOf(JsonValue.JsonArray.class, a);
      assertEquals(
          new JsonValue.JsonObject(Map.of("k", new JsonValue.JsonString("v"))), arr.values().get(0));
      assertEquals(new JsonValue.JsonNumber(1.5), arr.values().get(1));
      assertEquals(new JsonValue.JsonBoolean(true), arr.values().get(2));
      assertEquals(JsonValue.JsonNull.INSTANCE, arr.values().get(3));
      assertEquals(new JsonValue.JsonString("x"), arr.values().get(4));
    }

    @Test
    void emptyAndAbsentPayloadAreEmpty() {
      assertEquals(Payload.EMPTY, read(wrap(metadata(), data())).payload());
      assertEquals(
          Payload.EMPTY, read(wrap(metadata(), data().setPayload(Struct.getDefaultInstance()))).payload());
      assertEquals(Payload.EMPTY, roundTrip(newDispatch().build()).payload());
    }

    @Test
    void valueWithNoKindIsUnreadableNamingTheFieldPath() {
      Struct top =
          Struct.newBuilder().putFields("top", Value.getDefaultInstance()).build();
      assertUnreadableNaming(wrap(metadata(), data().setPayload(top)), "payload.top");

      Struct nestedBad =
          Struct.newBuilder()
              .putFields(
                  "obj",
                  Value.newBuilder()
                      .setStructValue(
                          Struct.newBuilder()
                              .putFields(
                                  "list",
                                  Value.newBuilder()
                                      .setListValue(
                                          ListValue.newBuilder()
                                              .addValues(Value.newBuilder().setNumberValue(1))
                                              .addValues(Value.getDefaultInstance()))
                                      .build()))
                      .build())
              .build();
      assertUnreadableNaming(wrap(metadata(), data().setPayload(nestedBad)), "payload.obj.list[1]");
    }

    @Test
    void nonFiniteNumberIsUnreadableNamingTheFieldPath() {
      for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
        Struct s =
            Struct.newBuilder()
                .putFields("x", Value.newBuilder().setNumberValue(bad).build())
                .build();
        assertUnreadableNaming(wrap(metadata(), data().setPayload(s)), "payload.x");
      }
    }
  }

  // ---- recurrence -----------------------------------------------------------------------------

  @Nested
  class Recurrence {

    @Test
    void frequencyNumbersForAllSix() {
      Map<Frequency, Integer> expected = new LinkedHashMap<>();
      expected.put(Frequency.MINUTELY, 1);
      expected.put(Frequency.HOURLY, 2);
      expected.put(Frequency.DAILY, 3);
      expected.put(Frequency.WEEKLY, 4);
      expected.put(Frequency.MONTHLY, 5);
      expected.put(Frequency.YEARLY, 6);
      assertEquals(Frequency.values().length, expected.size());
      expected.forEach(
          (freq, number) -> {
            RecurrenceRule rule = RecurrenceRule.builder(freq).build();
            DispatchData data = ProtoConversion.toProto(newDispatch().recurrence(rule).build(), NOW);
            assertTrue(data.hasRecurrence());
            assertEquals((int) number, data.getRecurrence().getFreqValue(), freq.name());
            assertEquals(freq, ProtoConversion.frequency(number));
            assertEquals(Optional.of(rule), read(wrap(data)).recurrence(), freq.name());
            // and the update request uses the same numbers
            UpdateMicrogridDispatchRequest req =
                ProtoConversion.toProto(
                    MICROGRID, ID, DispatchUpdate.builder().recurrence(rule).build());
            assertEquals((int) number, req.getUpdate().getRecurrence().getFreqValue());
          });
    }

    @Test
    void frequencyZeroMeansNoRecurrence() {
      Dispatch d = read(wrap(metadata(), data().setRecurrence(protoRule(0).setInterval(3))));
      assertEquals(Optional.empty(), d.recurrence());
      assertFalse(d.isRecurring());
    }

    @Test
    void absentRecurrenceBothWays() {
      DispatchData data = ProtoConversion.toProto(newDispatch().build(), NOW);
      assertFalse(data.hasRecurrence());
      assertEquals(Optional.empty(), read(wrap(data)).recurrence());
    }

    @Test
    void unknownFrequencyIsUnreadableNamingFreq() {
      Unreadable u = unreadable(wrap(metadata(), data().setRecurrence(protoRule(99))));
      assertNames(u.reason(), "recurrence.freq");
      assertTrue(u.reason().contains("99"), u.reason());
      assertEquals(ID, u.dispatchId());
    }

    @Test
    void intervalZeroIsKept() {
      RecurrenceRule rule = RecurrenceRule.builder(Frequency.DAILY).interval(0).build();
      DispatchData data = ProtoConversion.toProto(newDispatch().recurrence(rule).build(), NOW);
      assertEquals(0, data.getRecurrence().getInterval());
      RecurrenceRule back = read(wrap(data)).recurrence().orElseThrow();
      assertEquals(0, back.interval());
      assertEquals(rule, back);
    }

    @Test
    void intervalIsWrittenAndRead() {
      RecurrenceRule rule = RecurrenceRule.builder(Frequency.HOURLY).interval(5).build();
      DispatchData data = ProtoConversion.toProto(newDispatch().recurrence(rule).build(), NOW);
      assertEquals(5, data.getRecurrence().getInterval());
      assertEquals(5, read(wrap(data)).recurrence().orElseThrow().interval());
    }

    @Test
    void intervalAboveIntMaxIsUnreadable() {
      Unreadable u =
          unreadable(wrap(metadata(), data().setRecurrence(protoRule(3).setInterval(-1))));
      assertNames(u.reason(), "recurrence.interval");
    }

    @Test
    void endByCount() {
      RecurrenceRule rule = RecurrenceRule.builder(Frequency.DAILY).count(12).build();
      DispatchData data = ProtoConversion.toProto(newDispatch().recurrence(rule).build(), NOW);
      var end = data.getRecurrence().getEndCriteria();
      assertTrue(data.getRecurrence().hasEndCriteria());
      assertEquals(
          io.microgrid.dispatch.protocol.RecurrenceRule.EndCriteria.CountOrUntilCase
              .COUNT,
          end.getCountOrUntilCase());
      assertEquals(12, end.getCount());
      RecurrenceRule back = read(wrap(data)).recurrence().orElseThrow();
      assertEquals(OptionalInt.of(12), back.count());
      assertEquals(Optional.empty(), back.until());
    }

    @Test
    void endByUntil() {
      RecurrenceRule rule = RecurrenceRule.builder(Frequency.WEEKLY).until(UNTIL).build();
      DispatchData data = ProtoConversion.toProto(newDispatch().recurrence(rule).build(), NOW);
      var end = data.getRecurrence().getEndCriteria();
      assertEquals(
          io.microgrid.dispatch.protocol.RecurrenceRule.EndCriteria.CountOrUntilCase
              .UNTIL_TIME,
          end.getCountOrUntilCase());
      assertEquals(ts(UNTIL), end.getUntilTime());
      RecurrenceRule back = read(wrap(data)).recurrence().orElseThrow();
      assertEquals(Optional.of(UNTIL), back.until());
      assertEquals(OptionalInt.empty(), back.count());
    }

    @Test
    void noEndCriteriaBothWays() {
      RecurrenceRule rule = RecurrenceRule.builder(Frequency.DAILY).build();
      DispatchData data = ProtoConversion.toProto(newDispatch().recurrence(rule).build(), NOW);
      assertFalse(data.getRecurrence().hasEndCriteria());
      RecurrenceRule back = read(wrap(data)).recurrence().orElseThrow();
      assertEquals(OptionalInt.empty(), back.count());
      assertEquals(Optional.empty(), back.until());
    }

    @Test
    void countAboveIntMaxFromTheWireIsUnreadable() {
      var rule =
          protoRule(3)
              .setEndCriteria(
                  io.microgrid.dispatch.protocol.RecurrenceRule.EndCriteria.newBuilder()
                      .setCount(-1));
      Unreadable u = unreadable(wrap(metadata(), data().setRecurrence(rule)));
      assertNames(u.reason(), "recurrence.end_criteria.count");
    }

    @Test
    void badUntilFromTheWireIsUnreadable() {
      var rule =
          protoRule(3)
              .setEndCriteria(
                  io.microgrid.dispatch.protocol.RecurrenceRule.EndCriteria.newBuilder()
                      .setUntilTime(Timestamp.newBuilder().setSeconds(1).setNanos(-1)));
      Unreadable u = unreadable(wrap(metadata(), data().setRecurrence(rule)));
      assertNames(u.reason(), "recurrence.end_criteria.until_time");
    }

    @Test
    void byListsBothWays() {
      RecurrenceRule rule =
          RecurrenceRule.builder(Frequency.MONTHLY)
              .byMinutes(0, 15, 59)
              .byHours(0, 7, 23)
              .byWeekdays(
                  DayOfWeek.MONDAY,
                  DayOfWeek.TUESDAY,
                  DayOfWeek.WEDNESDAY,
                  DayOfWeek.THURSDAY,
                  DayOfWeek.FRIDAY,
                  DayOfWeek.SATURDAY,
                  DayOfWeek.SUNDAY)
              .byMonthDays(1, 15, 31, -1, -31)
              .byMonths(1, 2, 12)
              .build();
      DispatchData data = ProtoConversion.toProto(newDispatch().recurrence(rule).build(), NOW);
      var r = data.getRecurrence();
      assertEquals(List.of(0, 15, 59), r.getByminutesList());
      assertEquals(List.of(0, 7, 23), r.getByhoursList());
      assertEquals(List.of(1, 2, 3, 4, 5, 6, 7), r.getByweekdaysValueList());
      assertEquals(
          List.of(
              io.microgrid.dispatch.protocol.RecurrenceRule.Weekday.WEEKDAY_MONDAY,
              io.microgrid.dispatch.protocol.RecurrenceRule.Weekday.WEEKDAY_TUESDAY,
              io.microgrid.dispatch.protocol.RecurrenceRule.Weekday.WEEKDAY_WEDNESDAY,
              io.microgrid.dispatch.protocol.RecurrenceRule.Weekday.WEEKDAY_THURSDAY,
              io.microgrid.dispatch.protocol.RecurrenceRule.Weekday.WEEKDAY_FRIDAY,
              io.microgrid.dispatch.protocol.RecurrenceRule.Weekday.WEEKDAY_SATURDAY,
              io.microgrid.dispatch.protocol.RecurrenceRule.Weekday.WEEKDAY_SUNDAY),
          r.getByweekdaysList());
      assertEquals(List.of(1, 15, 31, -1, -31), r.getBymonthdaysList());
      assertEquals(List.of(1, 2, 12), r.getBymonthsList());

      RecurrenceRule back = read(wrap(data)).recurrence().orElseThrow();
      assertEquals(rule, back);
      assertEquals(List.of(1, 15, 31, -1, -31), back.byMonthDays());
      assertEquals(DayOfWeek.MONDAY, back.byWeekdays().get(0));
      assertEquals(DayOfWeek.SUNDAY, back.byWeekdays().get(6));
    }

    @Test
    void weekdayNumbersFromTheWire() {
      var rule = protoRule(4);
      for (int w = 7; w >= 1; w--) {
        rule.addByweekdaysValue(w);
      }
      RecurrenceRule back =
          read(wrap(metadata(), data().setRecurrence(rule))).recurrence().orElseThrow();
      assertEquals(
          List.of(
              DayOfWeek.SUNDAY,
              DayOfWeek.SATURDAY,
              DayOfWeek.FRIDAY,
              DayOfWeek.THURSDAY,
              DayOfWeek.WEDNESDAY,
              DayOfWeek.TUESDAY,
              DayOfWeek.MONDAY),
          back.byWeekdays());
    }

    @Test
    void weekdayUnspecifiedIsUnreadable() {
      Unreadable u =
          unreadable(wrap(metadata(), data().setRecurrence(protoRule(4).addByweekdaysValue(0))));
      assertTrue(u.reason().contains("WEEKDAY_UNSPECIFIED"), u.reason());
      assertNames(u.reason(), "recurrence.byweekdays");
    }

    @Test
    void unknownWeekdayIsUnreadable() {
      Unreadable u =
          unreadable(wrap(metadata(), data().setRecurrence(protoRule(4).addByweekdaysValue(8))));
      assertNames(u.reason(), "recurrence.byweekdays");
      assertTrue(u.reason().contains("8"), u.reason());
    }

    @Test
    void outOfRangeByValuesAreUnreadableNamingTheField() {
      assertUnreadableNaming(
          wrap(metadata(), data().setRecurrence(protoRule(3).addByhours(24))), "recurrence.byHours");
      assertUnreadableNaming(
          wrap(metadata(), data().setRecurrence(protoRule(3).addByminutes(60))),
          "recurrence.byMinutes");
      assertUnreadableNaming(
          wrap(metadata(), data().setRecurrence(protoRule(5).addBymonths(13))),
          "recurrence.byMonths");
      assertUnreadableNaming(
          wrap(metadata(), data().setRecurrence(protoRule(5).addBymonths(0))),
          "recurrence.byMonths");
      assertUnreadableNaming(
          wrap(metadata(), data().setRecurrence(protoRule(5).addBymonthdays(32))),
          "recurrence.byMonthDays");
      assertUnreadableNaming(
          wrap(metadata(), data().setRecurrence(protoRule(5).addBymonthdays(-32))),
          "recurrence.byMonthDays");
      assertUnreadableNaming(
          wrap(metadata(), data().setRecurrence(protoRule(5).addBymonthdays(0))),
          "recurrence.byMonthDays");
      // uint32 values above Integer.MAX_VALUE arrive negative and must not be taken as valid.
      assertUnreadableNaming(
          wrap(metadata(), data().setRecurrence(protoRule(3).addByminutes(-1))),
          "recurrence.byminutes");
      assertUnreadableNaming(
          wrap(metadata(), data().setRecurrence(protoRule(3).addByhours(-5))),
          "recurrence.byhours");
      assertUnreadableNaming(
          wrap(metadata(), data().setRecurrence(protoRule(3).addBymonths(-7))),
          "recurrence.bymonths");
    }
  }

  // ---- unreadable dispatches ------------------------------------------------------------------

  @Nested
  class Unreadables {

    @Test
    void missingMetadata() {
      var proto =
          io.microgrid.dispatch.protocol.Dispatch.newBuilder().setData(data()).build();
      Unreadable u = unreadable(proto);
      assertNames(u.reason(), "metadata");
      assertEquals(0, u.dispatchId());
    }

    @Test
    void missingData() {
      var proto =
          io.microgrid.dispatch.protocol.Dispatch.newBuilder()
              .setMetadata(metadata())
              .build();
      Unreadable u = unreadable(proto);
      assertNames(u.reason(), "data");
      assertEquals(ID, u.dispatchId());
    }

    @Test
    void missingStartTime() {
      assertUnreadableNaming(wrap(metadata(), data().clearStartTime()), "data.start_time");
    }

    @Test
    void missingCreateTime() {
      assertUnreadableNaming(wrap(metadata().clearCreateTime(), data()), "metadata.create_time");
    }

    @Test
    void missingUpdateTime() {
      assertUnreadableNaming(
          wrap(metadata().clearUpdateTime(), data()), "metadata.update_time");
    }

    @Test
    void defaultInstance() {
      Unreadable u = unreadable(io.microgrid.dispatch.protocol.Dispatch.getDefaultInstance());
      assertEquals(0, u.dispatchId());
      assertNames(u.reason(), "metadata");
    }

    @Test
    void blankType() {
      for (String type : new String[] {"", " ", "\t\n"}) {
        assertUnreadableNaming(wrap(metadata(), data().setType(type)), "type");
      }
    }

    @Test
    void zeroDispatchId() {
      Unreadable u = unreadable(wrap(metadata().setDispatchId(0), data()));
      assertNames(u.reason(), "id");
    }

    @Test
    void garbageTimestamps() {
      Timestamp negNanos = Timestamp.newBuilder().setSeconds(100).setNanos(-1).build();
      Timestamp bigNanos = Timestamp.newBuilder().setSeconds(100).setNanos(1_000_000_000).build();
      Timestamp maxSecs = Timestamp.newBuilder().setSeconds(Long.MAX_VALUE).build();
      Timestamp minSecs = Timestamp.newBuilder().setSeconds(Long.MIN_VALUE).build();
      for (Timestamp bad : List.of(negNanos, bigNanos, maxSecs, minSecs)) {
        assertUnreadableNaming(wrap(metadata(), data().setStartTime(bad)), "data.start_time");
        assertUnreadableNaming(
            wrap(metadata().setCreateTime(bad), data()), "metadata.create_time");
        assertUnreadableNaming(
            wrap(metadata().setUpdateTime(bad), data()), "metadata.update_time");
        assertUnreadableNaming(wrap(metadata().setEndTime(bad), data()), "metadata.end_time");
      }
    }

    @Test
    void unreadableKeepsTheDispatchId() {
      Unreadable u = unreadable(wrap(metadata().setDispatchId(-2L), data().setType("")));
      assertEquals(-2L, u.dispatchId(), "the id as sent, uint64 bits kept");
    }

    @Test
    void readableDispatchForComparison() {
      Dispatch d = read(wrap(metadata(), data()));
      assertEquals(ID, d.id());
      assertEquals(MICROGRID, d.microgridId());
      assertEquals(Optional.empty(), d.duration());
      assertEquals(Optional.empty(), d.endTime());
      assertEquals(TargetComponents.ids(1), d.target());
    }

    @Test
    void randomBytesNeverMakeFromProtoThrow() {
      Random random = new Random(20240611L);
      byte[] valid = wrap(ProtoConversion.toProto(newDispatch().build(), NOW)).toByteArray();
      int parsed = 0;
      for (int i = 0; i < 5000; i++) {
        byte[] bytes;
        if (i % 2 == 0) {
          bytes = valid.clone();
          // flip a few bytes of a valid message
          for (int k = 0; k < 1 + random.nextInt(4); k++) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
          }
        } else {
          bytes = new byte[random.nextInt(80)];
          random.nextBytes(bytes);
        }
        io.microgrid.dispatch.protocol.Dispatch proto;
        try {
          proto = io.microgrid.dispatch.protocol.Dispatch.parseFrom(bytes);
        } catch (InvalidProtocolBufferException e) {
          continue;
        }
        parsed++;
        assertDoesNotThrowConvert(proto, MICROGRID);
      }
      assertTrue(parsed > 100, "too few parsable messages to mean anything: " + parsed);
    }
  }

  // ---- update request -------------------------------------------------------------------------

  @Nested
  class Update {

    private UpdateMicrogridDispatchRequest req(DispatchUpdate u) {
      return ProtoConversion.toProto(MICROGRID, ID, u);
    }

    private void assertOnly(UpdateMicrogridDispatchRequest r, String... fields) {
      var u = r.getUpdate();
      List<String> f = List.of(fields);
      assertEquals(f.contains("start_time"), u.hasStartTime(), "start_time presence");
      assertEquals(f.contains("duration"), u.hasDuration(), "duration presence");
      assertEquals(f.contains("target"), u.hasTarget(), "target presence");
      assertEquals(f.contains("is_active"), u.hasIsActive(), "is_active presence");
      assertEquals(f.contains("payload"), u.hasPayload(), "payload presence");
      assertEquals(f.contains("recurrence"), u.hasRecurrence(), "recurrence presence");
    }

    @Test
    void idsAreSent() {
      UpdateMicrogridDispatchRequest r =
          ProtoConversion.toProto(11, -1L, DispatchUpdate.builder().active(true).build());
      assertEquals(11, r.getMicrogridId());
      assertEquals(-1L, r.getDispatchId(), "uint64 dispatch ids keep their bits");
      assertTrue(r.hasUpdateMask());
      assertTrue(r.hasUpdate());
    }

    @Test
    void startTimeOnly() {
      var r = req(DispatchUpdate.builder().startTime(START).build());
      assertEquals(List.of("start_time"), r.getUpdateMask().getPathsList());
      assertEquals(ts(START), r.getUpdate().getStartTime());
      assertOnly(r, "start_time");
    }

    @Test
    void durationOnly() {
      var r = req(DispatchUpdate.builder().duration(Duration.ofSeconds(120)).build());
      assertEquals(List.of("duration"), r.getUpdateMask().getPathsList());
      assertTrue(r.getUpdate().hasDuration());
      assertEquals(120, r.getUpdate().getDuration());
      assertOnly(r, "duration");
    }

    @Test
    void zeroDurationIsPresent() {
      var r = req(DispatchUpdate.builder().duration(Duration.ZERO).build());
      assertEquals(List.of("duration"), r.getUpdateMask().getPathsList());
      assertTrue(r.getUpdate().hasDuration());
      assertEquals(0, r.getUpdate().getDuration());
    }

    @Test
    void maxDurationKeepsItsBits() {
      var r = req(DispatchUpdate.builder().duration(Dispatch.MAX_DURATION).build());
      assertTrue(r.getUpdate().hasDuration());
      assertEquals(MAX_UINT32, Integer.toUnsignedLong(r.getUpdate().getDuration()));
    }

    @Test
    void infiniteDurationNamesDurationWithDurationUnset() {
      var r = req(DispatchUpdate.builder().infiniteDuration().build());
      assertEquals(List.of("duration"), r.getUpdateMask().getPathsList());
      assertFalse(r.getUpdate().hasDuration());
      assertOnly(r);
    }

    @Test
    void targetOnly() {
      var r =
          req(
              DispatchUpdate.builder()
                  .target(TargetComponents.categories(new ComponentCategory(42)))
                  .build());
      assertEquals(List.of("target"), r.getUpdateMask().getPathsList());
      assertEquals(List.of("42"), written(r.getUpdate().getTarget()));
      assertOnly(r, "target");

      var ids = req(DispatchUpdate.builder().target(TargetComponents.ids(3, 1)).build());
      assertEquals(List.of(1L, 3L), ids.getUpdate().getTarget().getComponentIds().getIdsList());
    }

    @Test
    void activeFalseIsPresent() {
      var r = req(DispatchUpdate.builder().active(false).build());
      assertEquals(List.of("is_active"), r.getUpdateMask().getPathsList());
      assertTrue(r.getUpdate().hasIsActive());
      assertFalse(r.getUpdate().getIsActive());
      assertOnly(r, "is_active");

      var on = req(DispatchUpdate.builder().active(true).build());
      assertTrue(on.getUpdate().getIsActive());
    }

    @Test
    void payloadOnly() {
      Payload p = Payload.of(Map.of("a", List.of(Map.of("b", true))));
      var r = req(DispatchUpdate.builder().payload(p).build());
      assertEquals(List.of("payload"), r.getUpdateMask().getPathsList());
      assertEquals(ProtoConversion.toProto(p), r.getUpdate().getPayload());
      assertOnly(r, "payload");
    }

    @Test
    void emptyPayloadIsStillNamed() {
      var r = req(DispatchUpdate.builder().payload(Payload.EMPTY).build());
      assertEquals(List.of("payload"), r.getUpdateMask().getPathsList());
      assertTrue(r.getUpdate().hasPayload());
      assertEquals(0, r.getUpdate().getPayload().getFieldsCount());
    }

    @Test
    void recurrenceNamesAllEightPaths() {
      RecurrenceRule rule =
          RecurrenceRule.builder(Frequency.WEEKLY)
              .interval(2)
              .until(UNTIL)
              .byMinutes(5)
              .byHours(6, 18)
              .byWeekdays(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY)
              .byMonths(3)
              .build();
      var r = req(DispatchUpdate.builder().recurrence(rule).build());
      assertEquals(RECURRENCE_PATHS, r.getUpdateMask().getPathsList());
      assertOnly(r, "recurrence");
      RecurrenceRuleUpdate ru = r.getUpdate().getRecurrence();
      assertTrue(ru.hasFreq());
      assertEquals(4, ru.getFreqValue());
      assertTrue(ru.hasInterval());
      assertEquals(2, ru.getInterval());
      assertEquals(ts(UNTIL), ru.getEndCriteria().getUntilTime());
      assertEquals(List.of(5), ru.getByminutesList());
      assertEquals(List.of(6, 18), ru.getByhoursList());
      assertEquals(List.of(6, 7), ru.getByweekdaysValueList());
      assertEquals(List.of(), ru.getBymonthdaysList());
      assertEquals(List.of(3), ru.getBymonthsList());
    }

    @Test
    void recurrenceWithCountAndMonthDays() {
      RecurrenceRule rule =
          RecurrenceRule.builder(Frequency.MONTHLY).interval(0).count(4).byMonthDays(-1, 1).build();
      RecurrenceRuleUpdate ru = req(DispatchUpdate.builder().recurrence(rule).build()).getUpdate().getRecurrence();
      assertEquals(5, ru.getFreqValue());
      assertTrue(ru.hasInterval());
      assertEquals(0, ru.getInterval());
      assertEquals(4, ru.getEndCriteria().getCount());
      assertEquals(List.of(-1, 1), ru.getBymonthdaysList());
    }

    @Test
    void recurrenceWithoutEndLeavesEndCriteriaUnsetUnderItsPath() {
      var r = req(DispatchUpdate.builder().recurrence(RecurrenceRule.builder(Frequency.DAILY).build()).build());
      assertTrue(r.getUpdateMask().getPathsList().contains("recurrence.end_criteria"));
      assertFalse(r.getUpdate().getRecurrence().hasEndCriteria());
    }

    @Test
    void noRecurrenceSendsFreqZeroWithAllPaths() {
      var r = req(DispatchUpdate.builder().noRecurrence().build());
      assertEquals(RECURRENCE_PATHS, r.getUpdateMask().getPathsList());
      RecurrenceRuleUpdate ru = r.getUpdate().getRecurrence();
      assertTrue(r.getUpdate().hasRecurrence());
      assertTrue(ru.hasFreq(), "freq must be present (as 0), not absent");
      assertEquals(0, ru.getFreqValue());
      assertEquals(0, ru.getInterval());
      assertFalse(ru.hasEndCriteria());
      assertEquals(0, ru.getByminutesCount());
      assertEquals(0, ru.getByhoursCount());
      assertEquals(0, ru.getByweekdaysCount());
      assertEquals(0, ru.getBymonthdaysCount());
      assertEquals(0, ru.getBymonthsCount());
    }

    @Test
    void everythingAtOnceNamesExactlyTheseFields() {
      var r =
          req(
              DispatchUpdate.builder()
                  .recurrence(RecurrenceRule.builder(Frequency.HOURLY).build())
                  .payload(Payload.of(Map.of("x", 1)))
                  .active(true)
                  .target(TargetComponents.ids(1))
                  .duration(Duration.ofSeconds(1))
                  .startTime(START)
                  .build());
      List<String> expected = new ArrayList<>(List.of("start_time", "duration", "target", "is_active", "payload"));
      expected.addAll(RECURRENCE_PATHS);
      assertEquals(expected, r.getUpdateMask().getPathsList());
      assertOnly(r, "start_time", "duration", "target", "is_active", "payload", "recurrence");
    }

    @Test
    void twoFieldsNameOnlyThose() {
      var r = req(DispatchUpdate.builder().active(true).startTime(START).build());
      assertEquals(List.of("start_time", "is_active"), r.getUpdateMask().getPathsList());
      assertOnly(r, "start_time", "is_active");
    }

    @Test
    void typeCannotBeUpdated() {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> req(DispatchUpdate.builder().type("other").build()));
      assertTrue(e.getMessage().contains("type cannot be updated"), e.getMessage());
      IllegalArgumentException mixed =
          assertThrows(
              IllegalArgumentException.class,
              () -> req(DispatchUpdate.builder().active(true).type("other").build()));
      assertTrue(mixed.getMessage().contains("type cannot be updated"), mixed.getMessage());
    }

    @Test
    void dryRunCannotBeUpdated() {
      for (boolean flag : new boolean[] {true, false}) {
        IllegalArgumentException e =
            assertThrows(
                IllegalArgumentException.class,
                () -> req(DispatchUpdate.builder().dryRun(flag).build()));
        assertTrue(e.getMessage().contains("dryRun cannot be updated"), e.getMessage());
      }
      IllegalArgumentException mixed =
          assertThrows(
              IllegalArgumentException.class,
              () -> req(DispatchUpdate.builder().startTime(START).dryRun(true).build()));
      assertTrue(mixed.getMessage().contains("dryRun cannot be updated"), mixed.getMessage());
    }
  }

  // ---- list request ---------------------------------------------------------------------------

  @Nested
  class ListRequest {

    private ListMicrogridDispatchesRequest req(DispatchQuery q, String token) {
      return ProtoConversion.toProto(MICROGRID, q, token);
    }

    @Test
    void defaultQuerySendsNoSortAndNoPagination() {
      var r = req(DispatchQuery.ALL, null);
      assertEquals(MICROGRID, r.getMicrogridId());
      assertFalse(r.hasSortOptions());
      assertFalse(r.hasPaginationParams());
      DispatchFilter f = r.getFilter();
      assertEquals(0, f.getTargetsCount());
      assertFalse(f.hasIsActive());
      assertFalse(f.hasIsDryRun());
      assertEquals(DispatchFilter.RecurrenceCase.RECURRENCE_NOT_SET, f.getRecurrenceCase());
      assertFalse(f.hasStartTimeInterval());
      assertFalse(f.hasEndTimeInterval());
      assertFalse(f.hasUpdateTimeInterval());
      assertEquals(r, req(DispatchQuery.builder().build(), null));
    }

    @Test
    void targets() {
      var q =
          DispatchQuery.builder()
              .target(TargetComponents.ids(2, 1))
              .target(TargetComponents.categories(ComponentCategory.BATTERY, new ComponentCategory(42)))
              .build();
      DispatchFilter f = req(q, null).getFilter();
      assertEquals(2, f.getTargetsCount());
      assertEquals(List.of(1L, 2L), f.getTargets(0).getComponentIds().getIdsList());
      assertEquals(List.of("5", "42"), written(f.getTargets(1)));
    }

    @Test
    void activeWithPresence() {
      DispatchFilter on = req(DispatchQuery.builder().active(true).build(), null).getFilter();
      assertTrue(on.hasIsActive());
      assertTrue(on.getIsActive());
      DispatchFilter off = req(DispatchQuery.builder().active(false).build(), null).getFilter();
      assertTrue(off.hasIsActive(), "false must be sent, not left unset");
      assertFalse(off.getIsActive());
      assertFalse(off.hasIsDryRun());
    }

    @Test
    void dryRunWithPresence() {
      DispatchFilter on = req(DispatchQuery.builder().dryRun(true).build(), null).getFilter();
      assertTrue(on.hasIsDryRun());
      assertTrue(on.getIsDryRun());
      DispatchFilter off = req(DispatchQuery.builder().dryRun(false).build(), null).getFilter();
      assertTrue(off.hasIsDryRun(), "false must be sent, not left unset");
      assertFalse(off.getIsDryRun());
      assertFalse(off.hasIsActive());
    }

    @Test
    void recurringTrueAndFalse() {
      DispatchFilter yes = req(DispatchQuery.builder().recurring(true).build(), null).getFilter();
      assertEquals(DispatchFilter.RecurrenceCase.IS_RECURRING, yes.getRecurrenceCase());
      assertTrue(yes.getIsRecurring());
      DispatchFilter no = req(DispatchQuery.builder().recurring(false).build(), null).getFilter();
      assertEquals(
          DispatchFilter.RecurrenceCase.IS_RECURRING,
          no.getRecurrenceCase(),
          "false must be sent, not left unset");
      assertFalse(no.getIsRecurring());
    }

    @Test
    void timeIntervals() {
      Instant a = Instant.parse("2030-01-01T00:00:00Z");
      Instant b = Instant.parse("2030-02-01T00:00:00.5Z");
      Instant c = Instant.parse("2030-03-01T00:00:00Z");
      Instant d = Instant.parse("2030-04-01T00:00:00Z");
      Instant e = Instant.parse("2030-05-01T00:00:00Z");
      Instant f = Instant.parse("2030-06-01T00:00:00Z");
      var q =
          DispatchQuery.builder()
              .startFrom(a)
              .startTo(b)
              .endFrom(c)
              .endTo(d)
              .updateFrom(e)
              .updateTo(f)
              .build();
      DispatchFilter filter = req(q, null).getFilter();
      assertEquals(interval(a, b), filter.getStartTimeInterval());
      assertEquals(interval(c, d), filter.getEndTimeInterval());
      assertEquals(interval(e, f), filter.getUpdateTimeInterval());
    }

    private Interval interval(Instant from, Instant to) {
      Interval.Builder b = Interval.newBuilder();
      if (from != null) {
        b.setStartTime(ts(from));
      }
      if (to != null) {
        b.setEndTime(ts(to));
      }
      return b.build();
    }

    @Test
    void halfOpenIntervalsSetOnlyOneEndOfTheRightField() {
      Instant t = Instant.parse("2030-01-01T00:00:00Z");

      DispatchFilter sf = req(DispatchQuery.builder().startFrom(t).build(), null).getFilter();
      assertTrue(sf.hasStartTimeInterval());
      assertTrue(sf.getStartTimeInterval().hasStartTime());
      assertFalse(sf.getStartTimeInterval().hasEndTime());
      assertEquals(ts(t), sf.getStartTimeInterval().getStartTime());
      assertFalse(sf.hasEndTimeInterval());
      assertFalse(sf.hasUpdateTimeInterval());

      DispatchFilter st = req(DispatchQuery.builder().startTo(t).build(), null).getFilter();
      assertEquals(interval(null, t), st.getStartTimeInterval());
      assertFalse(st.getStartTimeInterval().hasStartTime());

      DispatchFilter ef = req(DispatchQuery.builder().endFrom(t).build(), null).getFilter();
      assertEquals(interval(t, null), ef.getEndTimeInterval());
      assertFalse(ef.hasStartTimeInterval());
      assertFalse(ef.hasUpdateTimeInterval());

      DispatchFilter et = req(DispatchQuery.builder().endTo(t).build(), null).getFilter();
      assertEquals(interval(null, t), et.getEndTimeInterval());

      DispatchFilter uf = req(DispatchQuery.builder().updateFrom(t).build(), null).getFilter();
      assertEquals(interval(t, null), uf.getUpdateTimeInterval());
      assertFalse(uf.hasStartTimeInterval());
      assertFalse(uf.hasEndTimeInterval());

      DispatchFilter ut = req(DispatchQuery.builder().updateTo(t).build(), null).getFilter();
      assertEquals(interval(null, t), ut.getUpdateTimeInterval());
    }

    @Test
    void sortFieldAndOrderNumbers() {
      Map<DispatchQuery.SortField, Integer> fields =
          Map.of(
              DispatchQuery.SortField.START_TIME, 1,
              DispatchQuery.SortField.CREATE_TIME, 2,
              DispatchQuery.SortField.LAST_UPDATE_TIME, 3);
      Map<DispatchQuery.SortOrder, Integer> orders =
          Map.of(DispatchQuery.SortOrder.ASCENDING, 1, DispatchQuery.SortOrder.DESCENDING, 2);
      assertEquals(DispatchQuery.SortField.values().length, fields.size());
      assertEquals(DispatchQuery.SortOrder.values().length, orders.size());
      fields.forEach(
          (field, fieldNumber) ->
              orders.forEach(
                  (order, orderNumber) -> {
                    var r = req(DispatchQuery.builder().sort(field, order).build(), null);
                    assertTrue(r.hasSortOptions());
                    assertEquals((int) fieldNumber, r.getSortOptions().getSortFieldValue(), field.name());
                    assertEquals((int) orderNumber, r.getSortOptions().getSortOrderValue(), order.name());
                    assertFalse(r.hasPaginationParams());
                  }));
      var r =
          req(
              DispatchQuery.builder()
                  .sort(DispatchQuery.SortField.LAST_UPDATE_TIME, DispatchQuery.SortOrder.DESCENDING)
                  .build(),
              null);
      assertEquals(
          io.microgrid.dispatch.protocol.SortField.SORT_FIELD_LAST_UPDATE_TIME,
          r.getSortOptions().getSortField());
      assertEquals(
          io.microgrid.dispatch.protocol.SortOrder.SORT_ORDER_DESCENDING,
          r.getSortOptions().getSortOrder());
    }

    @Test
    void pageSizeAndToken() {
      // v1.1: one or the other. A later page sends only its token, which carries the size.
      PaginationParams later =
          req(DispatchQuery.builder().pageSize(25).build(), "tok-2").getPaginationParams();
      assertFalse(later.hasPageSize());
      assertTrue(later.hasPageToken());
      assertEquals("tok-2", later.getPageToken());

      var sizeOnly = req(DispatchQuery.builder().pageSize(1).build(), null);
      assertTrue(sizeOnly.hasPaginationParams());
      assertTrue(sizeOnly.getPaginationParams().hasPageSize());
      assertEquals(1, sizeOnly.getPaginationParams().getPageSize());
      assertFalse(sizeOnly.getPaginationParams().hasPageToken());

      var tokenOnly = req(DispatchQuery.ALL, "abc");
      assertTrue(tokenOnly.hasPaginationParams());
      assertFalse(tokenOnly.getPaginationParams().hasPageSize());
      assertEquals("abc", tokenOnly.getPaginationParams().getPageToken());
      assertFalse(tokenOnly.hasSortOptions());
    }

    @Test
    void everyFilterAtOnce() {
      Instant t = Instant.parse("2030-01-01T00:00:00Z");
      var q =
          DispatchQuery.builder()
              .target(TargetComponents.ids(9))
              .active(true)
              .dryRun(false)
              .recurring(false)
              .startFrom(t)
              .endTo(t)
              .updateFrom(t)
              .sort(DispatchQuery.SortField.CREATE_TIME, DispatchQuery.SortOrder.ASCENDING)
              .pageSize(10)
              .build();
      var r = req(q, "next");
      DispatchFilter f = r.getFilter();
      assertEquals(List.of(9L), f.getTargets(0).getComponentIds().getIdsList());
      assertTrue(f.getIsActive());
      assertTrue(f.hasIsDryRun());
      assertFalse(f.getIsDryRun());
      assertEquals(DispatchFilter.RecurrenceCase.IS_RECURRING, f.getRecurrenceCase());
      assertFalse(f.getIsRecurring());
      assertEquals(interval(t, null), f.getStartTimeInterval());
      assertEquals(interval(null, t), f.getEndTimeInterval());
      assertEquals(interval(t, null), f.getUpdateTimeInterval());
      assertEquals(2, r.getSortOptions().getSortFieldValue());
      assertEquals(1, r.getSortOptions().getSortOrderValue());
      assertFalse(r.getPaginationParams().hasPageSize());
      assertEquals("next", r.getPaginationParams().getPageToken());
      assertEquals(10, req(q, null).getPaginationParams().getPageSize());
    }
  }

  /** What API v1.1 added: subtypes, id and text filters, starting on the server's clock. */
  @Nested
  class V1_1 {
    private io.microgrid.dispatch.protocol.TargetComponents.CategoryAndType.Builder entry(int c) {
      return io.microgrid.dispatch.protocol.TargetComponents.CategoryAndType.newBuilder()
          .setCategoryValue(c);
    }

    private io.microgrid.dispatch.protocol.Dispatch withEntries(
        io.microgrid.dispatch.protocol.TargetComponents.CategoryAndType.Builder... entries) {
      var set = io.microgrid.dispatch.protocol.TargetComponents.CategoryTypeSet.newBuilder();
      for (var e : entries) {
        set.addCategories(e);
      }
      return wrap(
          metadata(),
          data()
              .setTarget(
                  io.microgrid.dispatch.protocol.TargetComponents.newBuilder()
                      .setComponentCategoriesTypes(set)));
    }

    @Test
    void subtypesAndWholeCategoriesBothWays() {
      TargetComponents target =
          new TargetComponents.Categories(
              List.of(ComponentCategory.STEAM_BOILER),
              List.of(
                  ComponentType.BATTERY_LI_ION, ComponentType.INVERTER_PV, ComponentType.EV_CHARGER_DC));
      DispatchData data =
          ProtoConversion.toProto(NewDispatch.builder("x", target).startTime(START).build(), NOW);
      // Whole categories first, then the subtypes by category number (INVERTER 3, BATTERY 5,
      // EV_CHARGER 6), each in its own field of the oneof: inverter 3, battery 2, ev_charger 4.
      assertEquals(
          List.of("19", "3/inverter=2", "5/battery=1", "6/ev_charger=2"), written(data.getTarget()));
      assertEquals(target, read(wrap(data)).target());
    }

    @Test
    void unknownCategoryAndSubtypeNumbersAreKeptBothWays() {
      Dispatch d = read(withEntries(entry(77), entry(5).setBatteryValue(9), entry(3).setInverterValue(0)));
      TargetComponents.Categories cats =
          assertInstanceOf(TargetComponents.Categories.class, d.target());
      assertEquals(List.of(new ComponentCategory(77)), new ArrayList<>(cats.categories()));
      assertEquals(
          List.of(
              new ComponentType(ComponentCategory.INVERTER, 0),
              new ComponentType(ComponentCategory.BATTERY, 9)),
          new ArrayList<>(cats.types()));
      assertEquals(
          List.of("77", "3/inverter=0", "5/battery=9"), written(ProtoConversion.toProto(d.target())));
    }

    @Test
    void aSubtypeThatDoesNotFitItsCategoryMakesTheDispatchUnreadable() {
      Unreadable u = unreadable(withEntries(entry(2).setBatteryValue(1)));
      assertEquals(ID, u.dispatchId());
      assertNames(u.reason(), "target.component_categories_types");
    }

    @Test
    void allThreeTargetFormsAreRead() {
      assertEquals(
          TargetComponents.categories(ComponentCategory.BATTERY),
          read(withEntries(entry(5))).target());
      assertEquals(
          TargetComponents.categories(ComponentCategory.BATTERY),
          read(
                  wrap(
                      metadata(),
                      data()
                          .setTarget(
                              io.microgrid.dispatch.protocol.TargetComponents.newBuilder()
                                  .setComponentCategories(
                                      io.microgrid.dispatch.protocol.TargetComponents.CategorySet
                                          .newBuilder()
                                          .addCategoriesValue(5)))))
              .target());
      assertEquals(
          TargetComponents.ids(4),
          read(
                  wrap(
                      metadata(),
                      data()
                          .setTarget(
                              io.microgrid.dispatch.protocol.TargetComponents.newBuilder()
                                  .setComponentIds(
                                      io.microgrid.dispatch.protocol.TargetComponents.IdSet
                                          .newBuilder()
                                          .addIds(4)))))
              .target());
    }

    @Test
    void idsAndQueriesGoIntoTheFilter() {
      DispatchFilter f =
          ProtoConversion.toProto(
                  MICROGRID,
                  DispatchQuery.builder().dispatchIds(9, 4).query("#4").query("bar").build(),
                  null)
              .getFilter();
      assertEquals(List.of(4L, 9L), f.getDispatchIdsList());
      assertEquals(List.of("#4", "bar"), f.getQueriesList());
      DispatchFilter none = ProtoConversion.toProto(MICROGRID, DispatchQuery.ALL, null).getFilter();
      assertEquals(0, none.getDispatchIdsCount());
      assertEquals(0, none.getQueriesCount());
    }

    @Test
    void startingNowAsksTheServerToStartImmediately() {
      CreateMicrogridDispatchRequest now =
          ProtoConversion.createRequest(
              MICROGRID, NewDispatch.builder("x", TargetComponents.ids(1)).startNow().build());
      assertEquals(MICROGRID, now.getMicrogridId());
      assertTrue(now.hasStartImmediately());
      assertTrue(now.getStartImmediately());
      assertFalse(now.getDispatchData().hasStartTime());
      assertEquals("x", now.getDispatchData().getType());

      CreateMicrogridDispatchRequest later =
          ProtoConversion.createRequest(
              MICROGRID, NewDispatch.builder("x", TargetComponents.ids(1)).startTime(START).build());
      assertFalse(later.hasStartImmediately());
      assertEquals(ts(START), later.getDispatchData().getStartTime());
    }
  }

  /**
   * The entries of a v1.1 category target as text: the category number, and for an entry with a
   * subtype the kind and number ({@code 5/battery=1}).
   */
  static List<String> written(io.microgrid.dispatch.protocol.TargetComponents t) {
    assertEquals(
        io.microgrid.dispatch.protocol.TargetComponents.ComponentsCase.COMPONENT_CATEGORIES_TYPES,
        t.getComponentsCase());
    List<String> out = new ArrayList<>();
    for (var e : t.getComponentCategoriesTypes().getCategoriesList()) {
      String c = Integer.toString(e.getCategoryValue());
      out.add(
          switch (e.getTypeCase()) {
            case TYPE_NOT_SET -> c;
            case BATTERY -> c + "/battery=" + e.getBatteryValue();
            case INVERTER -> c + "/inverter=" + e.getInverterValue();
            case EV_CHARGER -> c + "/ev_charger=" + e.getEvChargerValue();
          });
    }
    return out;
  }
}
