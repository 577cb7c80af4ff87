package io.microgrid.dispatch.server;

import io.microgrid.dispatch.protocol.Dispatch;
import io.microgrid.dispatch.protocol.DispatchFilter;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesRequest;
import io.microgrid.dispatch.protocol.SortOptions;
import java.util.List;

/**
 * Remembers which dispatches the last list query matched, so that the following pages of the same
 * query cost one page each. Without it every page filtered and sorted all of the microgrid's
 * dispatches again, and listing n dispatches page by page took time in n squared (a minute for
 * 100 000 in pages of 100).
 *
 * <p>A remembered answer is used only for the very same store contents (the store hands out the
 * same list instance until a change) and the same filter and order; the page size and token may
 * differ. Thread-safe.
 */
public final class ListPages {
  private List<Dispatch> snapshot;
  private DispatchFilter filter;
  private SortOptions sort;
  private List<Dispatch> matching;

  /**
   * Returns the dispatches of {@code snapshot} that the request selects, in its order.
   *
   * @param snapshot the microgrid's dispatches as the store holds them now
   * @param request the list request
   * @return the matches, shared between the pages of one query
   */
  public synchronized List<Dispatch> matching(List<Dispatch> snapshot, ListMicrogridDispatchesRequest request) {
    if (snapshot != this.snapshot
        || !request.getFilter().equals(filter)
        || !request.getSortOptions().equals(sort)) {
      this.matching = ListQuery.matching(snapshot, request);
      this.snapshot = snapshot;
      this.filter = request.getFilter();
      this.sort = request.getSortOptions();
    }
    return matching;
  }
}
