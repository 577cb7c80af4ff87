package io.microgrid.dispatch.client.internal;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesResponse;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * Walks the pages of a list call lazily: the next page is requested only when the caller has
 * consumed the current one, following {@code next_page_token} until the server sends none.
 */
final class PagedDispatches implements Iterator<Dispatch> {
  private final Function<String, ListMicrogridDispatchesResponse> fetch;
  private final Function<ListMicrogridDispatchesResponse, java.util.List<Dispatch>> read;
  private Iterator<Dispatch> page;
  private String nextToken;

  /**
   * @param first the first page, already fetched so that a failure shows at the call
   * @param fetch fetches the page of a token
   * @param read turns a page into the dispatches it holds, leaving out unreadable ones
   */
  PagedDispatches(
      ListMicrogridDispatchesResponse first,
      Function<String, ListMicrogridDispatchesResponse> fetch,
      Function<ListMicrogridDispatchesResponse, java.util.List<Dispatch>> read) {
    this.fetch = fetch;
    this.read = read;
    accept(first);
  }

  private void accept(ListMicrogridDispatchesResponse response) {
    page = read.apply(response).iterator();
    nextToken =
        response.hasPaginationInfo()
                && response.getPaginationInfo().hasNextPageToken()
                && !response.getPaginationInfo().getNextPageToken().isEmpty()
            ? response.getPaginationInfo().getNextPageToken()
            : null;
  }

  @Override
  public boolean hasNext() {
    // A page may be empty (every dispatch on it unreadable) while later pages are not.
    while (!page.hasNext() && nextToken != null) {
      accept(fetch.apply(nextToken));
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
