package io.microgrid.dispatch.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Timestamp;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.protocol.DispatchData;
import io.microgrid.dispatch.protocol.DispatchMetadata;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesResponse;
import io.microgrid.dispatch.protocol.TargetComponents;
import io.microgrid.dispatch.protocol.common.PaginationInfo;
import io.microgrid.dispatch.protocol.codec.ProtoConversion;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** PagedDispatches over fake fetches: no gRPC involved. */
class PagedDispatchesTest {
  private static final long MICROGRID = 1;

  private static io.microgrid.dispatch.protocol.Dispatch dispatch(long id) {
    Timestamp t = Timestamp.newBuilder().setSeconds(1_900_000_000L).build();
    return io.microgrid.dispatch.protocol.Dispatch.newBuilder()
        .setMetadata(
            DispatchMetadata.newBuilder()
                .setDispatchId(id)
                .setCreateTime(t)
                .setUpdateTime(t))
        .setData(
            DispatchData.newBuilder()
                .setType("t")
                .setStartTime(t)
                .setTarget(
                    TargetComponents.newBuilder()
                        .setComponentIds(TargetComponents.IdSet.newBuilder().addIds(1))))
        .build();
  }

  private static io.microgrid.dispatch.protocol.Dispatch unreadable(long id) {
    return dispatch(id).toBuilder()
        .setData(dispatch(id).getData().toBuilder().setType(""))
        .build();
  }

  private static ListMicrogridDispatchesResponse page(String nextToken, long... ids) {
    ListMicrogridDispatchesResponse.Builder b = ListMicrogridDispatchesResponse.newBuilder();
    for (long id : ids) {
      b.addDispatches(dispatch(id));
    }
    if (nextToken != null) {
      b.setPaginationInfo(PaginationInfo.newBuilder().setTotalItems(99).setNextPageToken(nextToken));
    }
    return b.build();
  }

  /** The real reading: every readable dispatch of a page, unreadable ones left out. */
  private static List<Dispatch> read(ListMicrogridDispatchesResponse r) {
    List<Dispatch> out = new ArrayList<>();
    for (var proto : r.getDispatchesList()) {
      if (ProtoConversion.fromProto(proto, MICROGRID) instanceof ProtoConversion.Readable ok) {
        out.add(ok.dispatch());
      }
    }
    return out;
  }

  /**
   * Starts fetches over fixed pages: records the tokens asked for when asked, and counts the
   * answers waited for.
   */
  private static final class FakeFetch
      implements Function<String, Supplier<ListMicrogridDispatchesResponse>> {
    final Map<String, ListMicrogridDispatchesResponse> pages = new HashMap<>();
    final List<String> requested = new ArrayList<>();
    int awaited;

    @Override
    public Supplier<ListMicrogridDispatchesResponse> apply(String token) {
      requested.add(token);
      ListMicrogridDispatchesResponse p = pages.get(token);
      if (p == null) {
        throw new AssertionError("fetched an unknown token: " + token);
      }
      return () -> {
        awaited++;
        return p;
      };
    }
  }

  @Test
  void threePagesEachAskedForOnePageAheadSkippingAnEmptyMiddlePage() {
    FakeFetch fetch = new FakeFetch();
    fetch.pages.put("p2", page("p3")); // empty middle page
    fetch.pages.put("p3", page("", 3, 4)); // empty token: last page
    PagedDispatches it = new PagedDispatches(page("p2", 1, 2), fetch, PagedDispatchesTest::read);

    assertEquals(List.of("p2"), fetch.requested, "the second page is asked for with the first");
    assertEquals(1, it.next().id());
    assertEquals(2, it.next().id());
    assertEquals(0, fetch.awaited, "the first page is read while the second is on its way");
    assertEquals(List.of("p2"), fetch.requested, "one page ahead, not more");

    assertTrue(it.hasNext());
    assertEquals(List.of("p2", "p3"), fetch.requested, "empty page skipped to the third");
    assertEquals(2, fetch.awaited);
    assertEquals(3, it.next().id());
    assertEquals(4, it.next().id());
    assertFalse(it.hasNext());
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
    assertEquals(List.of("p2", "p3"), fetch.requested, "no fetch after the last page");
  }

  @Test
  void collectsEverythingInOrder() {
    FakeFetch fetch = new FakeFetch();
    fetch.pages.put("b", page("c", 3));
    fetch.pages.put("c", page("", 4, 5, 6));
    PagedDispatches it = new PagedDispatches(page("b", 1, 2), fetch, PagedDispatchesTest::read);
    List<Long> ids = new ArrayList<>();
    it.forEachRemaining(d -> ids.add(d.id()));
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), ids);
    assertEquals(List.of("b", "c"), fetch.requested);
  }

  @Test
  void pageOfOnlyUnreadableDispatchesIsSkipped() {
    FakeFetch fetch = new FakeFetch();
    fetch.pages.put(
        "p2",
        ListMicrogridDispatchesResponse.newBuilder()
            .addDispatches(unreadable(10))
            .addDispatches(unreadable(11))
            .setPaginationInfo(PaginationInfo.newBuilder().setNextPageToken("p3"))
            .build());
    fetch.pages.put("p3", page("", 12));
    PagedDispatches it = new PagedDispatches(page("p2", 1), fetch, PagedDispatchesTest::read);
    assertEquals(1, it.next().id());
    assertEquals(12, it.next().id());
    assertFalse(it.hasNext());
  }

  @Test
  void emptyFirstPageWithATokenFollowsIt() {
    FakeFetch fetch = new FakeFetch();
    fetch.pages.put("p2", page(null, 5));
    PagedDispatches it = new PagedDispatches(page("p2"), fetch, PagedDispatchesTest::read);
    assertEquals(0, fetch.awaited, "the constructor does not wait for the page ahead");
    assertTrue(it.hasNext());
    assertEquals(5, it.next().id());
    assertFalse(it.hasNext());
    assertEquals(List.of("p2"), fetch.requested);
  }

  @Test
  void emptyTokenEnds() {
    FakeFetch fetch = new FakeFetch();
    PagedDispatches it = new PagedDispatches(page("", 1), fetch, PagedDispatchesTest::read);
    assertEquals(1, it.next().id());
    assertFalse(it.hasNext());
    assertTrue(fetch.requested.isEmpty());
  }

  @Test
  void absentTokenEnds() {
    FakeFetch fetch = new FakeFetch();
    ListMicrogridDispatchesResponse noToken =
        ListMicrogridDispatchesResponse.newBuilder()
            .addDispatches(dispatch(1))
            .setPaginationInfo(PaginationInfo.newBuilder().setTotalItems(1))
            .build();
    PagedDispatches it = new PagedDispatches(noToken, fetch, PagedDispatchesTest::read);
    assertEquals(1, it.next().id());
    assertFalse(it.hasNext());
    assertTrue(fetch.requested.isEmpty());
  }

  @Test
  void absentPaginationInfoEnds() {
    FakeFetch fetch = new FakeFetch();
    PagedDispatches it = new PagedDispatches(page(null, 1, 2), fetch, PagedDispatchesTest::read);
    assertEquals(1, it.next().id());
    assertEquals(2, it.next().id());
    assertFalse(it.hasNext());
    assertTrue(fetch.requested.isEmpty());
  }

  @Test
  void completelyEmptyList() {
    FakeFetch fetch = new FakeFetch();
    PagedDispatches it =
        new PagedDispatches(
            ListMicrogridDispatchesResponse.getDefaultInstance(), fetch, PagedDispatchesTest::read);
    assertFalse(it.hasNext());
    assertThrows(NoSuchElementException.class, it::next);
    assertTrue(fetch.requested.isEmpty());
  }

  @Test
  void aFailingFetchSurfacesWhenThatPageIsNeeded() {
    RuntimeException boom = new IllegalStateException("page 2 failed");
    int[] waits = {0};
    PagedDispatches it =
        new PagedDispatches(
            page("p2", 1),
            token ->
                () -> {
                  waits[0]++;
                  throw boom;
                },
            PagedDispatchesTest::read);
    assertEquals(1, it.next().id());
    assertEquals(0, waits[0], "the first page is read whole before the failure shows");
    RuntimeException thrown = assertThrows(IllegalStateException.class, it::hasNext);
    assertEquals(boom, thrown);
    assertEquals(1, waits[0]);
  }
}
