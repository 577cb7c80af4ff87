package io.microgrid.dispatch.server;

import com.google.protobuf.Timestamp;
import io.grpc.Status;
import io.microgrid.dispatch.protocol.Dispatch;
import io.microgrid.dispatch.protocol.DispatchData;
import io.microgrid.dispatch.protocol.DispatchFilter;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesRequest;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesResponse;
import io.microgrid.dispatch.protocol.SortOptions;
import io.microgrid.dispatch.protocol.TargetComponents;
import io.microgrid.dispatch.protocol.common.Interval;
import io.microgrid.dispatch.protocol.common.PaginationInfo;
import io.microgrid.dispatch.protocol.common.PaginationParams;
import io.microgrid.dispatch.protocol.types.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Filtering, sorting and paging of ListMicrogridDispatches: pure functions over a snapshot of one
 * microgrid's dispatches.
 *
 * <p>Every field of DispatchFilter is applied (all given criteria must hold); the order is the
 * sort field, then the dispatch id, so that pages are stable; a page token is the offset of the
 * page's first dispatch in that order and the page size, since a v1.1 client sends the size only
 * with the first page. Tokens are opaque to clients and refused when malformed.
 */
public final class ListQuery {

  /** Page size when the request sets none (or 0); the public API does not document its own. */
  public static final int DEFAULT_PAGE_SIZE = 100;

  // Tokens carry an offset and a page size; the prefix only lets a foreign or stale-format token
  // be refused.
  private static final String TOKEN_PREFIX = "page:";

  private ListQuery() {}

  public static ListMicrogridDispatchesResponse list(
      List<Dispatch> dispatches, ListMicrogridDispatchesRequest request) {
    return page(matching(dispatches, request), request);
  }

  /** The dispatches that the request's filter selects, in the request's order. */
  public static List<Dispatch> matching(List<Dispatch> dispatches, ListMicrogridDispatchesRequest request) {
    return dispatches.stream()
        .filter(d -> matches(d, request.getFilter()))
        .sorted(order(request.getSortOptions()))
        .toList();
  }

  /** The page of {@code matching} that the request's page token and size ask for. */
  public static ListMicrogridDispatchesResponse page(
      List<Dispatch> matching, ListMicrogridDispatchesRequest request) {
    PaginationParams paging = request.getPaginationParams();
    long pageSize =
        paging.getPageSize() == 0 ? DEFAULT_PAGE_SIZE : Integer.toUnsignedLong(paging.getPageSize());
    int from = 0;
    // An empty token is the same as none: the first page.
    if (!paging.getPageToken().isEmpty()) {
      long[] token = decodeToken(paging.getPageToken());
      from = (int) token[0];
      pageSize = token[1];
    }
    int to = (int) Math.min(matching.size(), from + pageSize);
    List<Dispatch> page = from >= matching.size() ? List.of() : matching.subList(from, to);

    PaginationInfo.Builder info = PaginationInfo.newBuilder().setTotalItems(matching.size());
    if (to < matching.size()) {
      info.setNextPageToken(encodeToken(to, pageSize));
    }
    return ListMicrogridDispatchesResponse.newBuilder()
        .addAllDispatches(page)
        .setPaginationInfo(info)
        .build();
  }

  public static boolean matches(Dispatch dispatch, DispatchFilter filter) {
    DispatchData data = dispatch.getData();
    if (filter.getDispatchIdsCount() > 0
        && !filter.getDispatchIdsList().contains(dispatch.getMetadata().getDispatchId())) {
      return false;
    }
    if (filter.getQueriesCount() > 0
        && filter.getQueriesList().stream().noneMatch(q -> matchesQuery(dispatch, q))) {
      return false;
    }
    if (filter.getTargetsCount() > 0
        && filter.getTargetsList().stream().noneMatch(t -> overlaps(t, data.getTarget()))) {
      return false;
    }
    if (filter.hasIsActive() && filter.getIsActive() != data.getIsActive()) {
      return false;
    }
    if (filter.hasIsDryRun() && filter.getIsDryRun() != data.getIsDryRun()) {
      return false;
    }
    // RecurrenceFilter (the other case of the oneof) is an empty placeholder: it restricts nothing.
    if (filter.getRecurrenceCase() == DispatchFilter.RecurrenceCase.IS_RECURRING
        && filter.getIsRecurring() != DispatchRules.isRecurring(data)) {
      return false;
    }
    if (filter.hasStartTimeInterval() && !within(data.getStartTime(), filter.getStartTimeInterval())) {
      return false;
    }
    if (filter.hasEndTimeInterval()) {
      // No end time means the dispatch never ends: later than any bound.
      Timestamp end = dispatch.getMetadata().hasEndTime() ? dispatch.getMetadata().getEndTime() : null;
      if (!within(end, filter.getEndTimeInterval())) {
        return false;
      }
    }
    return !filter.hasUpdateTimeInterval()
        || within(dispatch.getMetadata().getUpdateTime(), filter.getUpdateTimeInterval());
  }

  /**
   * One text query of a v1.1 filter: {@code #4} is the dispatch with id 4; any other text (also
   * {@code #not_an_id}) matches a type that contains it, as the wire spec states it (by
   * substring, case as given).
   */
  static boolean matchesQuery(Dispatch dispatch, String query) {
    if (query.startsWith("#")) {
      try {
        return Long.parseUnsignedLong(query.substring(1)) == dispatch.getMetadata().getDispatchId();
      } catch (NumberFormatException notAnId) {
        // Falls through: the query is text.
      }
    }
    return dispatch.getData().getType().contains(query);
  }

  /**
   * A filter target matches a dispatch target that shares at least one component id, or at least
   * one category entry: the same category with the same subtype or both without (compared by
   * number, so unknown ones still match). The deprecated and the v1.1 form of a category target
   * are compared alike.
   */
  private static boolean overlaps(TargetComponents wanted, TargetComponents actual) {
    if (wanted.getComponentsCase() == TargetComponents.ComponentsCase.COMPONENTS_NOT_SET
        && actual.getComponentsCase() == TargetComponents.ComponentsCase.COMPONENTS_NOT_SET) {
      return true;
    }
    if (wanted.getComponentsCase() == TargetComponents.ComponentsCase.COMPONENT_IDS
        || actual.getComponentsCase() == TargetComponents.ComponentsCase.COMPONENT_IDS) {
      return wanted.getComponentsCase() == actual.getComponentsCase()
          && !Collections.disjoint(
              wanted.getComponentIds().getIdsList(), actual.getComponentIds().getIdsList());
    }
    return !Collections.disjoint(categoryEntries(wanted), categoryEntries(actual));
  }

  /** A category target's entries as "category" or "category/kind=subtype". */
  private static Set<String> categoryEntries(TargetComponents target) {
    return switch (target.getComponentsCase()) {
      case COMPONENT_CATEGORIES -> target.getComponentCategories().getCategoriesValueList().stream()
          .map(String::valueOf)
          .collect(Collectors.toSet());
      case COMPONENT_CATEGORIES_TYPES ->
          target.getComponentCategoriesTypes().getCategoriesList().stream()
              .map(
                  e ->
                      e.getCategoryValue()
                          + switch (e.getTypeCase()) {
                            case TYPE_NOT_SET -> "";
                            case BATTERY -> "/battery=" + e.getBatteryValue();
                            case INVERTER -> "/inverter=" + e.getInverterValue();
                            case EV_CHARGER -> "/ev_charger=" + e.getEvChargerValue();
                          })
              .collect(Collectors.toSet());
      default -> Set.of();
    };
  }

  /**
   * {@code start_time <= time < end_time}: the common v1alpha8 Interval of API v1.1 has its start
   * inclusive and its end exclusive. A null time stands for "never" (infinitely late).
   */
  private static boolean within(Timestamp time, Interval interval) {
    if (interval.hasStartTime()
        && time != null
        && Timestamps.compare(time, interval.getStartTime()) < 0) {
      return false;
    }
    return !interval.hasEndTime()
        || (time != null && Timestamps.compare(time, interval.getEndTime()) < 0);
  }

  private static Comparator<Dispatch> order(SortOptions options) {
    Comparator<Dispatch> byId =
        (a, b) -> Long.compareUnsigned(a.getMetadata().getDispatchId(), b.getMetadata().getDispatchId());
    Comparator<Dispatch> comparator =
        switch (options.getSortField()) {
          case SORT_FIELD_UNSPECIFIED -> byId;
          case SORT_FIELD_START_TIME -> byTime(d -> d.getData().getStartTime()).thenComparing(byId);
          case SORT_FIELD_CREATE_TIME ->
              byTime(d -> d.getMetadata().getCreateTime()).thenComparing(byId);
          case SORT_FIELD_LAST_UPDATE_TIME ->
              byTime(d -> d.getMetadata().getUpdateTime()).thenComparing(byId);
          case UNRECOGNIZED -> throw invalid("unknown sort_field " + options.getSortFieldValue());
        };
    return switch (options.getSortOrder()) {
      case SORT_ORDER_UNSPECIFIED, SORT_ORDER_ASCENDING -> comparator;
      case SORT_ORDER_DESCENDING -> comparator.reversed();
      case UNRECOGNIZED -> throw invalid("unknown sort_order " + options.getSortOrderValue());
    };
  }

  private static Comparator<Dispatch> byTime(Function<Dispatch, Timestamp> time) {
    return (a, b) -> Timestamps.compare(time.apply(a), time.apply(b));
  }

  private static String encodeToken(int offset, long pageSize) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((TOKEN_PREFIX + offset + ":" + pageSize).getBytes(StandardCharsets.UTF_8));
  }

  /** Returns the offset and the page size a token carries. */
  private static long[] decodeToken(String token) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (decoded.startsWith(TOKEN_PREFIX)) {
        String[] parts = decoded.substring(TOKEN_PREFIX.length()).split(":", -1);
        if (parts.length == 2) {
          int offset = Integer.parseInt(parts[0]);
          long size = Long.parseLong(parts[1]);
          if (offset >= 0 && size > 0 && size <= 0xFFFF_FFFFL) {
            return new long[] {offset, size};
          }
        }
      }
    } catch (IllegalArgumentException e) {
      // Falls through to the refusal below; NumberFormatException is one of these too.
    }
    throw invalid("invalid page_token");
  }

  private static RuntimeException invalid(String description) {
    return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
  }
}
