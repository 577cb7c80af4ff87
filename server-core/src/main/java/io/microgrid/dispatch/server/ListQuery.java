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
import io.microgrid.dispatch.protocol.TimeIntervalFilter;
import io.microgrid.dispatch.protocol.common.PaginationInfo;
import io.microgrid.dispatch.protocol.common.PaginationParams;
import io.microgrid.dispatch.protocol.types.Timestamps;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Filtering, sorting and paging of ListMicrogridDispatches: pure functions over a snapshot of one
 * microgrid's dispatches.
 *
 * <p>Every field of DispatchFilter is applied (all given criteria must hold); the order is the
 * sort field, then the dispatch id, so that pages are stable; a page token is the offset of the
 * page's first dispatch in that order. Tokens are opaque to clients and refused when malformed.
 */
public final class ListQuery {

  /** Page size when the request sets none (or 0); the public API does not document its own. */
  public static final int DEFAULT_PAGE_SIZE = 100;

  // Tokens carry an offset; the prefix only lets a foreign or stale-format token be refused.
  private static final String TOKEN_PREFIX = "offset:";

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
    // An empty token is the same as none: the first page.
    int from = paging.getPageToken().isEmpty() ? 0 : decodeToken(paging.getPageToken());
    int to = (int) Math.min(matching.size(), from + pageSize);
    List<Dispatch> page = from >= matching.size() ? List.of() : matching.subList(from, to);

    PaginationInfo.Builder info = PaginationInfo.newBuilder().setTotalItems(matching.size());
    if (to < matching.size()) {
      info.setNextPageToken(encodeToken(to));
    }
    return ListMicrogridDispatchesResponse.newBuilder()
        .addAllDispatches(page)
        .setPaginationInfo(info)
        .build();
  }

  public static boolean matches(Dispatch dispatch, DispatchFilter filter) {
    DispatchData data = dispatch.getData();
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
        || within(dispatch.getMetadata().getModificationTime(), filter.getUpdateTimeInterval());
  }

  /**
   * A filter target matches a dispatch target of the same kind that shares at least one component
   * id, or at least one category (compared by number, so unknown categories still match).
   */
  private static boolean overlaps(TargetComponents wanted, TargetComponents actual) {
    if (wanted.getComponentsCase() != actual.getComponentsCase()) {
      return false;
    }
    return switch (wanted.getComponentsCase()) {
      case COMPONENT_IDS -> !Collections.disjoint(
          wanted.getComponentIds().getIdsList(), actual.getComponentIds().getIdsList());
      case COMPONENT_CATEGORIES -> !Collections.disjoint(
          wanted.getComponentCategories().getCategoriesValueList(),
          actual.getComponentCategories().getCategoriesValueList());
      case COMPONENTS_NOT_SET -> true;
    };
  }

  /**
   * {@code from <= time <= to}, both ends inclusive as the project's wire spec states (the Python
   * client documents {@code to} as exclusive). A null time stands for "never" (infinitely late).
   */
  private static boolean within(Timestamp time, TimeIntervalFilter interval) {
    if (interval.hasFrom() && time != null && Timestamps.compare(time, interval.getFrom()) < 0) {
      return false;
    }
    return !interval.hasTo() || (time != null && Timestamps.compare(time, interval.getTo()) <= 0);
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
              byTime(d -> d.getMetadata().getModificationTime()).thenComparing(byId);
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

  private static String encodeToken(int offset) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((TOKEN_PREFIX + offset).getBytes(StandardCharsets.UTF_8));
  }

  private static int decodeToken(String token) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
      if (decoded.startsWith(TOKEN_PREFIX)) {
        int offset = Integer.parseInt(decoded.substring(TOKEN_PREFIX.length()));
        if (offset >= 0) {
          return offset;
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
