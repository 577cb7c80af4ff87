package io.microgrid.dispatch.protocol.codec;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Struct;
import com.google.protobuf.Timestamp;
import io.microgrid.dispatch.api.ComponentCategory;
import io.microgrid.dispatch.api.ComponentType;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.JsonValue;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.protocol.CreateMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.DispatchData;
import io.microgrid.dispatch.protocol.DispatchFilter;
import io.microgrid.dispatch.protocol.DispatchMetadata;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesRequest;
import io.microgrid.dispatch.protocol.SortOptions;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import io.microgrid.dispatch.protocol.TargetComponents.CategoryAndType;
import io.microgrid.dispatch.protocol.UpdateMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.UpdateMicrogridDispatchRequest.DispatchUpdate.RecurrenceRuleUpdate;
import io.microgrid.dispatch.protocol.common.Interval;
import io.microgrid.dispatch.protocol.common.PaginationParams;
import io.microgrid.dispatch.protocol.types.JsonStructs;
import io.microgrid.dispatch.protocol.types.Timestamps;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Converts between the API's plain Java types and the wire's protobuf messages.
 *
 * <p>Towards the server it trusts the API types, which were checked on construction. From the
 * server it trusts nothing: {@link #fromProto} never throws, it returns either the dispatch or the
 * reason it could not be read, so that one bad dispatch never costs a whole page or stream.
 */
public final class ProtoConversion {

  private ProtoConversion() {}

  /** The outcome of reading a dispatch from the server. */
  public sealed interface Converted permits Readable, Unreadable {}

  /**
   * A dispatch that was read.
   *
   * @param dispatch the dispatch
   */
  public record Readable(Dispatch dispatch) implements Converted {}

  /**
   * A dispatch that could not be read.
   *
   * @param dispatchId the id as sent, 0 when absent
   * @param reason what was wrong, naming the field
   */
  public record Unreadable(long dispatchId, String reason) implements Converted, ConvertedEvent {}

  /** How the reason of a stream message with an event number outside the spec begins. */
  public static final String UNKNOWN_EVENT = "event has unknown value ";

  /** What one message of the stream says: an event, or why it cannot be read. */
  public sealed interface ConvertedEvent permits ReadableEvent, Unreadable {}

  /**
   * An event that was read.
   *
   * @param event the event
   */
  public record ReadableEvent(DispatchEvent event) implements ConvertedEvent {}

  // ---- from the server ----------------------------------------------------------------------

  /**
   * Reads one message of the stream: its dispatch and what happened to it.
   *
   * @param response the message
   * @param microgridId the microgrid the stream is for
   * @return the event, or why the message cannot be read
   */
  public static ConvertedEvent eventFromProto(
      StreamMicrogridDispatchesResponse response, long microgridId) {
    if (!response.hasDispatch()) {
      return new Unreadable(0, "dispatch is missing");
    }
    Converted converted = fromProto(response.getDispatch(), microgridId);
    if (converted instanceof Unreadable bad) {
      return bad;
    }
    Dispatch dispatch = ((Readable) converted).dispatch();
    return switch (response.getEventValue()) {
      case 1 -> new ReadableEvent(new DispatchEvent.Created(dispatch));
      case 2 -> new ReadableEvent(new DispatchEvent.Updated(dispatch));
      case 3 -> new ReadableEvent(new DispatchEvent.Deleted(dispatch));
      default -> new Unreadable(dispatch.id(), UNKNOWN_EVENT + response.getEventValue());
    };
  }

  /**
   * Reads a dispatch sent by the server. Never throws.
   *
   * @param proto the message
   * @param microgridId the microgrid it was asked for
   * @return the dispatch, or why it could not be read
   */
  public static Converted fromProto(
      io.microgrid.dispatch.protocol.Dispatch proto, long microgridId) {
    long id = proto.hasMetadata() ? proto.getMetadata().getDispatchId() : 0;
    try {
      return new Readable(read(proto, microgridId));
    } catch (RuntimeException e) {
      // Any failure (missing field, range check in an API constructor, a time out of range) is
      // the server's data, not our bug: report it and let the caller skip this dispatch.
      String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      return new Unreadable(id, reason);
    }
  }

  /**
   * Reads a dispatch, throwing where {@link #fromProto} reports: for a server that refuses a
   * request naming the bad field.
   *
   * @param proto the message
   * @param microgridId the microgrid it belongs to
   * @return the dispatch
   * @throws IllegalArgumentException or NullPointerException naming what is wrong
   */
  public static Dispatch read(
      io.microgrid.dispatch.protocol.Dispatch proto, long microgridId) {
    if (!proto.hasMetadata()) {
      throw new IllegalArgumentException("metadata is missing");
    }
    if (!proto.hasData()) {
      throw new IllegalArgumentException("data is missing");
    }
    DispatchMetadata meta = proto.getMetadata();
    DispatchData data = proto.getData();
    if (!meta.hasCreateTime()) {
      throw new IllegalArgumentException("metadata.create_time is missing");
    }
    if (!meta.hasUpdateTime()) {
      throw new IllegalArgumentException("metadata.update_time is missing");
    }
    if (!data.hasStartTime()) {
      throw new IllegalArgumentException("data.start_time is missing");
    }
    if (data.hasPayload() && DeepPayloads.isUnparseable(data.getPayload())) {
      throw new IllegalArgumentException(
          "payload is nested more than "
              + DeepPayloads.PARSED_JSON_DEPTH
              + " levels deep, too deep to parse; at most "
              + Payload.MAX_DEPTH
              + " are allowed");
    }
    return new Dispatch(
        meta.getDispatchId(),
        microgridId,
        data.getType(),
        instant("data.start_time", data.getStartTime()),
        data.hasDuration()
            ? Optional.of(Duration.ofSeconds(Integer.toUnsignedLong(data.getDuration())))
            : Optional.empty(),
        target(data.getTarget()),
        data.getIsActive(),
        data.getIsDryRun(),
        data.hasPayload() ? Payload.of(JsonStructs.toJson("payload", data.getPayload())) : Payload.EMPTY,
        data.hasRecurrence() ? recurrence(data.getRecurrence()) : Optional.empty(),
        instant("metadata.create_time", meta.getCreateTime()),
        instant("metadata.update_time", meta.getUpdateTime()),
        meta.hasEndTime()
            ? Optional.of(instant("metadata.end_time", meta.getEndTime()))
            : Optional.empty());
  }

  static Instant instant(String field, Timestamp ts) {
    return Timestamps.toInstant(field, ts);
  }

  static TargetComponents target(io.microgrid.dispatch.protocol.TargetComponents t) {
    return switch (t.getComponentsCase()) {
      case COMPONENT_IDS -> new TargetComponents.Ids(t.getComponentIds().getIdsList());
      case COMPONENT_CATEGORIES -> new TargetComponents.Categories(
          t.getComponentCategories().getCategoriesValueList().stream()
              .map(ComponentCategory::new)
              .toList());
      case COMPONENT_CATEGORIES_TYPES -> categoriesAndTypes(t.getComponentCategoriesTypes());
      // A target without components is kept as "no component ids": the dispatch still exists.
      case COMPONENTS_NOT_SET -> new TargetComponents.Ids(List.of());
    };
  }

  /**
   * Reads the v1.1 form of a category target: a category without a subtype is the whole category,
   * one with a subtype is that subtype. Numbers go through as they are, so unknown categories and
   * subtypes are kept; a subtype of a kind that does not fit its category (a battery type for a
   * meter) cannot be read.
   */
  private static TargetComponents.Categories categoriesAndTypes(
      io.microgrid.dispatch.protocol.TargetComponents.CategoryTypeSet set) {
    List<ComponentCategory> categories = new ArrayList<>();
    List<ComponentType> types = new ArrayList<>();
    for (var entry : set.getCategoriesList()) {
      ComponentCategory category = new ComponentCategory(entry.getCategoryValue());
      switch (entry.getTypeCase()) {
        case TYPE_NOT_SET -> categories.add(category);
        case BATTERY -> types.add(subtype(category, ComponentCategory.BATTERY, "battery",
            entry.getBatteryValue()));
        case INVERTER -> types.add(subtype(category, ComponentCategory.INVERTER, "inverter",
            entry.getInverterValue()));
        case EV_CHARGER -> types.add(subtype(category, ComponentCategory.EV_CHARGER, "ev_charger",
            entry.getEvChargerValue()));
      }
    }
    return new TargetComponents.Categories(categories, types);
  }

  private static ComponentType subtype(
      ComponentCategory category, ComponentCategory kind, String field, int number) {
    if (!category.equals(kind)) {
      throw new IllegalArgumentException(
          "target.component_categories_types: a " + field + " type for category " + category);
    }
    return new ComponentType(kind, number);
  }

  static Optional<RecurrenceRule> recurrence(
      io.microgrid.dispatch.protocol.RecurrenceRule r) {
    if (r.getFreqValue() == 0) {
      return Optional.empty();
    }
    Frequency frequency = frequency(r.getFreqValue());
    OptionalInt count = OptionalInt.empty();
    Optional<Instant> until = Optional.empty();
    if (r.hasEndCriteria()) {
      var end = r.getEndCriteria();
      switch (end.getCountOrUntilCase()) {
        case COUNT -> {
          long c = Integer.toUnsignedLong(end.getCount());
          if (c > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("recurrence.end_criteria.count is too large: " + c);
          }
          count = OptionalInt.of((int) c);
        }
        case UNTIL_TIME -> until =
            Optional.of(instant("recurrence.end_criteria.until_time", end.getUntilTime()));
        case COUNTORUNTIL_NOT_SET -> {}
      }
    }
    List<DayOfWeek> weekdays = new ArrayList<>();
    for (int w : r.getByweekdaysValueList()) {
      if (w < 1 || w > 7) {
        throw new IllegalArgumentException(
            "recurrence.byweekdays has " + (w == 0 ? "WEEKDAY_UNSPECIFIED" : "unknown value " + w));
      }
      weekdays.add(DayOfWeek.of(w));
    }
    return Optional.of(
        new RecurrenceRule(
            frequency,
            unsignedInt("recurrence.interval", r.getInterval()),
            count,
            until,
            unsignedList("recurrence.byminutes", r.getByminutesList()),
            unsignedList("recurrence.byhours", r.getByhoursList()),
            weekdays,
            r.getBymonthdaysList(),
            unsignedList("recurrence.bymonths", r.getBymonthsList())));
  }

  static Frequency frequency(int number) {
    return switch (number) {
      case 1 -> Frequency.MINUTELY;
      case 2 -> Frequency.HOURLY;
      case 3 -> Frequency.DAILY;
      case 4 -> Frequency.WEEKLY;
      case 5 -> Frequency.MONTHLY;
      case 6 -> Frequency.YEARLY;
      default -> throw new IllegalArgumentException("recurrence.freq has unknown value " + number);
    };
  }

  private static int unsignedInt(String field, int raw) {
    if (raw < 0) {
      throw new IllegalArgumentException(field + " is too large: " + Integer.toUnsignedString(raw));
    }
    return raw;
  }

  private static List<Integer> unsignedList(String field, List<Integer> raw) {
    return raw.stream().map(v -> unsignedInt(field, v)).toList();
  }

  // ---- towards the server -------------------------------------------------------------------

  /**
   * Writes the request that creates a dispatch. A dispatch that starts "now" is sent as the
   * Python client sends it: without a start time and with {@code start_immediately}, so that the
   * server takes its own clock's now (since API v1.1).
   *
   * @param microgridId the microgrid
   * @param d the dispatch
   * @return the request
   */
  public static CreateMicrogridDispatchRequest createRequest(long microgridId, NewDispatch d) {
    DispatchData.Builder data = data(d);
    CreateMicrogridDispatchRequest.Builder b =
        CreateMicrogridDispatchRequest.newBuilder().setMicrogridId(microgridId);
    d.startTime().ifPresentOrElse(
        start -> data.setStartTime(timestamp(start)), () -> b.setStartImmediately(true));
    return b.setDispatchData(data).build();
  }

  /**
   * Writes a new dispatch as data with a start time: for a server that stores it, or a test
   * that builds what a server would hold.
   *
   * @param d the dispatch
   * @param now the instant used when the dispatch starts "now"
   * @return the message
   */
  public static DispatchData toProto(NewDispatch d, Instant now) {
    return data(d).setStartTime(timestamp(d.startTime().orElse(now))).build();
  }

  private static DispatchData.Builder data(NewDispatch d) {
    DispatchData.Builder b =
        DispatchData.newBuilder()
            .setType(d.type())
            .setTarget(toProto(d.target()))
            .setIsActive(d.active())
            .setIsDryRun(d.dryRun())
            .setPayload(toProto(d.payload()));
    d.duration().ifPresent(x -> b.setDuration((int) x.getSeconds()));
    d.recurrence().ifPresent(r -> b.setRecurrence(toProto(r)));
    return b;
  }

  /**
   * Writes an instant.
   *
   * @param t the instant
   * @return the timestamp
   */
  public static Timestamp timestamp(Instant t) {
    return Timestamps.of(t);
  }

  static io.microgrid.dispatch.protocol.TargetComponents toProto(TargetComponents t) {
    var b = io.microgrid.dispatch.protocol.TargetComponents.newBuilder();
    if (t instanceof TargetComponents.Ids ids) {
      b.setComponentIds(
          io.microgrid.dispatch.protocol.TargetComponents.IdSet.newBuilder()
              .addAllIds(ids.ids()));
    } else if (t instanceof TargetComponents.Categories cats) {
      // Always the v1.1 form, as the Python client writes it; the deprecated CategorySet is only
      // read. A whole category is an entry without a subtype.
      var set = io.microgrid.dispatch.protocol.TargetComponents.CategoryTypeSet.newBuilder();
      for (ComponentCategory c : cats.categories()) {
        set.addCategories(CategoryAndType.newBuilder().setCategoryValue(c.number()));
      }
      for (ComponentType type : cats.types()) {
        CategoryAndType.Builder entry =
            CategoryAndType.newBuilder().setCategoryValue(type.category().number());
        // ComponentType admits only these three categories.
        if (type.category().equals(ComponentCategory.BATTERY)) {
          entry.setBatteryValue(type.number());
        } else if (type.category().equals(ComponentCategory.INVERTER)) {
          entry.setInverterValue(type.number());
        } else {
          entry.setEvChargerValue(type.number());
        }
        set.addCategories(entry);
      }
      b.setComponentCategoriesTypes(set);
    }
    return b.build();
  }

  static Struct toProto(Payload p) {
    return JsonStructs.toStruct(p.asJson());
  }

  static io.microgrid.dispatch.protocol.RecurrenceRule toProto(RecurrenceRule r) {
    var b =
        io.microgrid.dispatch.protocol.RecurrenceRule.newBuilder()
            .setFreqValue(r.frequency().ordinal() + 1)
            .setInterval(r.interval())
            .addAllByminutes(r.byMinutes())
            .addAllByhours(r.byHours())
            .addAllByweekdaysValue(r.byWeekdays().stream().map(DayOfWeek::getValue).toList())
            .addAllBymonthdays(r.byMonthDays())
            .addAllBymonths(r.byMonths());
    endCriteria(r).ifPresent(b::setEndCriteria);
    return b.build();
  }

  private static Optional<io.microgrid.dispatch.protocol.RecurrenceRule.EndCriteria>
      endCriteria(RecurrenceRule r) {
    var end = io.microgrid.dispatch.protocol.RecurrenceRule.EndCriteria.newBuilder();
    if (r.count().isPresent()) {
      return Optional.of(end.setCount(r.count().getAsInt()).build());
    }
    return r.until().map(u -> end.setUntilTime(timestamp(u)).build());
  }

  /**
   * Writes an update: only the fields it names, each as a path of the update mask.
   *
   * @param microgridId the microgrid
   * @param dispatchId the dispatch
   * @param u the update
   * @return the request
   * @throws IllegalArgumentException when the update names the type or the dry-run flag, which
   *     the Dispatch API cannot change
   */
  public static UpdateMicrogridDispatchRequest toProto(
      long microgridId, long dispatchId, DispatchUpdate u) {
    if (u.changes(DispatchUpdate.Field.TYPE)) {
      throw new IllegalArgumentException(
          "type cannot be updated; delete the dispatch and create a new one of the new type");
    }
    if (u.changes(DispatchUpdate.Field.DRY_RUN)) {
      throw new IllegalArgumentException(
          "dryRun cannot be updated; delete the dispatch and create a new one");
    }
    var update = UpdateMicrogridDispatchRequest.DispatchUpdate.newBuilder();
    FieldMask.Builder mask = FieldMask.newBuilder();
    if (u.changes(DispatchUpdate.Field.START_TIME)) {
      update.setStartTime(timestamp(u.startTime().orElseThrow()));
      mask.addPaths(UpdateMaskPaths.START_TIME);
    }
    if (u.changes(DispatchUpdate.Field.DURATION)) {
      // An unset duration under a named path clears it: the dispatch then runs for ever.
      u.duration().ifPresent(d -> update.setDuration((int) d.getSeconds()));
      mask.addPaths(UpdateMaskPaths.DURATION);
    }
    if (u.changes(DispatchUpdate.Field.TARGET)) {
      update.setTarget(toProto(u.target().orElseThrow()));
      mask.addPaths(UpdateMaskPaths.TARGET);
    }
    if (u.changes(DispatchUpdate.Field.ACTIVE)) {
      update.setIsActive(u.active());
      mask.addPaths(UpdateMaskPaths.IS_ACTIVE);
    }
    if (u.changes(DispatchUpdate.Field.PAYLOAD)) {
      update.setPayload(toProto(u.payload().orElseThrow()));
      mask.addPaths(UpdateMaskPaths.PAYLOAD);
    }
    if (u.changes(DispatchUpdate.Field.RECURRENCE)) {
      // The whole rule is replaced, so every recurrence path is named; "no recurrence" is the
      // rule with frequency UNSPECIFIED and nothing else.
      RecurrenceRuleUpdate.Builder r = RecurrenceRuleUpdate.newBuilder();
      u.recurrence()
          .ifPresentOrElse(
              rule -> {
                // The rule is written once, by toProto; the update message has the same fields.
                var p = toProto(rule);
                r.setFreqValue(p.getFreqValue())
                    .setInterval(p.getInterval())
                    .addAllByminutes(p.getByminutesList())
                    .addAllByhours(p.getByhoursList())
                    .addAllByweekdaysValue(p.getByweekdaysValueList())
                    .addAllBymonthdays(p.getBymonthdaysList())
                    .addAllBymonths(p.getBymonthsList());
                if (p.hasEndCriteria()) {
                  r.setEndCriteria(p.getEndCriteria());
                }
              },
              () -> r.setFreqValue(0).setInterval(0));
      update.setRecurrence(r);
      mask.addAllPaths(UpdateMaskPaths.RECURRENCE_FIELDS);
    }
    return UpdateMicrogridDispatchRequest.newBuilder()
        .setMicrogridId(microgridId)
        .setDispatchId(dispatchId)
        .setUpdateMask(mask)
        .setUpdate(update)
        .build();
  }

  /**
   * Writes a list request for one page.
   *
   * @param microgridId the microgrid
   * @param q the query
   * @param pageToken the token of the page, or null for the first
   * @return the request
   */
  public static ListMicrogridDispatchesRequest toProto(
      long microgridId, DispatchQuery q, String pageToken) {
    DispatchFilter.Builder filter = DispatchFilter.newBuilder();
    q.targets().forEach(t -> filter.addTargets(toProto(t)));
    q.active().ifPresent(filter::setIsActive);
    q.dryRun().ifPresent(filter::setIsDryRun);
    q.recurring().ifPresent(filter::setIsRecurring);
    interval(q.startFrom(), q.startTo()).ifPresent(filter::setStartTimeInterval);
    interval(q.endFrom(), q.endTo()).ifPresent(filter::setEndTimeInterval);
    interval(q.updateFrom(), q.updateTo()).ifPresent(filter::setUpdateTimeInterval);
    filter.addAllDispatchIds(q.dispatchIds());
    filter.addAllQueries(q.queries());
    ListMicrogridDispatchesRequest.Builder b =
        ListMicrogridDispatchesRequest.newBuilder().setMicrogridId(microgridId).setFilter(filter);
    if (q.sortField().isPresent() || q.sortOrder().isPresent()) {
      SortOptions.Builder sort = SortOptions.newBuilder();
      q.sortField().ifPresent(f -> sort.setSortFieldValue(f.ordinal() + 1));
      q.sortOrder().ifPresent(o -> sort.setSortOrderValue(o.ordinal() + 1));
      b.setSortOptions(sort);
    }
    // One or the other (a oneof since v1.1): the size on the first page; later pages only the
    // token, which carries the size the server was first asked for.
    if (pageToken != null) {
      b.setPaginationParams(PaginationParams.newBuilder().setPageToken(pageToken));
    } else if (q.pageSize().isPresent()) {
      b.setPaginationParams(PaginationParams.newBuilder().setPageSize(q.pageSize().getAsInt()));
    }
    return b.build();
  }

  private static Optional<Interval> interval(Optional<Instant> from, Optional<Instant> to) {
    if (from.isEmpty() && to.isEmpty()) {
      return Optional.empty();
    }
    Interval.Builder b = Interval.newBuilder();
    from.ifPresent(f -> b.setStartTime(timestamp(f)));
    to.ifPresent(t -> b.setEndTime(timestamp(t)));
    return Optional.of(b.build());
  }
}
