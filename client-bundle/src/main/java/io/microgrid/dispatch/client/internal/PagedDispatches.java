package io.microgrid.dispatch.client.internal;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesResponse;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Walks the pages of a list call, one page ahead: as soon as a page is taken, the next one (by
 * {@code next_page_token}) is asked for, so that the server answers it while the caller reads this
 * one. Fetching only when a page was used up made a sync of a million dispatches wait for the
 * server and read its answers by turns (16 s, of which the server was busy half). A failure of
 * the page ahead surfaces when that page is needed; nothing is asked for after the last page.
 */
final class PagedDispatches implements Iterator<Dispatch> {
  private final Function<String, Supplier<ListMicrogridDispatchesResponse>> start;
  private final Function<ListMicrogridDispatchesResponse, List<Dispatch>> read;
  private Iterator<Dispatch> page;
  private Supplier<ListMicrogridDispatchesResponse> ahead;

  /**
   * @param first the first page, already fetched so that a failure shows at the call
   * @param start starts fetching the page of a token, returning what waits for it (and throws
   *     the call's failure)
   * @param read turns a page into the dispatches it holds, leaving out unreadable ones
   */
  PagedDispatches(
      ListMicrogridDispatchesResponse first,
      Function<String, Supplier<ListMicrogridDispatchesResponse>> start,
      Function<ListMicrogridDispatchesResponse, List<Dispatch>> read) {
    this.start = start;
    this.read = read;
    accept(first);
  }

  private void accept(ListMicrogridDispatchesResponse response) {
    String nextToken =
        response.hasPaginationInfo()
                && response.getPaginationInfo().hasNextPageToken()
                && !response.getPaginationInfo().getNextPageToken().isEmpty()
            ? response.getPaginationInfo().getNextPageToken()
            : null;
    ahead = nextToken == null ? null : start.apply(nextToken);
    page = read.apply(response).iterator();
  }

  @Override
  public boolean hasNext() {
    // A page may be empty (every dispatch on it unreadable) while later pages are not.
    while (!page.hasNext() && ahead != null) {
      Supplier<ListMicrogridDispatchesResponse> next = ahead;
      ahead = null;
      accept(next.get());
    }
    return page.hasNext();
  }

  @Override
  public Dispatch next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return page.next();
  }
}
