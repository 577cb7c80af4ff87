package io.microgrid.dispatch.client;

import io.microgrid.dispatch.client.testing.DispatchTestServer;
import io.microgrid.dispatch.client.testing.RecordedCall;
import io.microgrid.dispatch.client.testing.TestCertificates;
import io.microgrid.dispatch.testing.VirtualClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.FieldMask;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.grpc.okhttp.OkHttpChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.microgrid.dispatch.protocol.CreateMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.Dispatch;
import io.microgrid.dispatch.protocol.DispatchData;
import io.microgrid.dispatch.protocol.GetMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesRequest;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesResponse;
import io.microgrid.dispatch.protocol.MicrogridDispatchServiceGrpc;
import io.microgrid.dispatch.protocol.MicrogridDispatchServiceGrpc.MicrogridDispatchServiceBlockingStub;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesRequest;
import io.microgrid.dispatch.protocol.StreamMicrogridDispatchesResponse;
import io.microgrid.dispatch.protocol.TargetComponents;
import io.microgrid.dispatch.protocol.UpdateMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.UpdateMicrogridDispatchRequest.DispatchUpdate;
import io.microgrid.dispatch.protocol.common.PaginationParams;
import io.microgrid.dispatch.protocol.types.Timestamps;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the test server through plain generated stubs, as the client will. */
class DispatchTestServerTest {

  private static final long MICROGRID = 7;
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void closeAll() throws Exception {
    // Channels first (added last), then servers.
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  @Test
  void createThenGet() throws Exception {
    DispatchTestServer server = started(DispatchTestServer.start());
    MicrogridDispatchServiceBlockingStub stub = stub(plaintext(server));
    Instant start = Instant.now().plus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);

    Dispatch created = create(stub, data(start).setDuration(60).build());

    assertEquals(1, created.getMetadata().getDispatchId());
    assertEquals(start.plusSeconds(60), Timestamps.toInstant("time", created.getMetadata().getEndTime()));
    Dispatch fetched =
        stub.getMicrogridDispatch(
                GetMicrogridDispatchRequest.newBuilder()
                    .setMicrogridId(MICROGRID)
                    .setDispatchId(1)
                    .build())
            .getDispatch();
    assertEquals(created, fetched);
    assertEquals(List.of(created), server.store(MICROGRID));

    StatusRuntimeException missing =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                stub.getMicrogridDispatch(
                    GetMicrogridDispatchRequest.newBuilder()
                        .setMicrogridId(MICROGRID)
                        .setDispatchId(99)
                        .build()));
    assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());

    StatusRuntimeException past =
        assertThrows(
            StatusRuntimeException.class,
            () -> create(stub, data(Instant.now().minusSeconds(60)).build()));
    assertEquals(Status.Code.INVALID_ARGUMENT, past.getStatus().getCode());
  }

  @Test
  void keyIsRequiredOnEveryCall() throws Exception {
    DispatchTestServer server = started(DispatchTestServer.start("test-key-1"));
    ManagedChannel channel = plaintext(server);
    MicrogridDispatchServiceBlockingStub withoutKey = stub(channel);
    MicrogridDispatchServiceBlockingStub withKey = withKey(stub(channel), "test-key-1");
    MicrogridDispatchServiceBlockingStub wrongKey = withKey(stub(channel), "other-key");
    ListMicrogridDispatchesRequest list =
        ListMicrogridDispatchesRequest.newBuilder().setMicrogridId(MICROGRID).build();

    assertEquals(
        Status.Code.UNAUTHENTICATED,
        assertThrows(StatusRuntimeException.class, () -> withoutKey.listMicrogridDispatches(list))
            .getStatus()
            .getCode());
    assertEquals(
        Status.Code.UNAUTHENTICATED,
        assertThrows(StatusRuntimeException.class, () -> wrongKey.listMicrogridDispatches(list))
            .getStatus()
            .getCode());
    Iterator<StreamMicrogridDispatchesResponse> stream =
        withoutKey.streamMicrogridDispatches(
            StreamMicrogridDispatchesRequest.newBuilder().setMicrogridId(MICROGRID).build());
    assertEquals(
        Status.Code.UNAUTHENTICATED,
        assertThrows(StatusRuntimeException.class, stream::hasNext).getStatus().getCode());
    assertEquals(0, withKey.listMicrogridDispatches(list).getDispatchesCount());

    String listMethod =
        MicrogridDispatchServiceGrpc.getListMicrogridDispatchesMethod().getFullMethodName();
    String streamMethod =
        MicrogridDispatchServiceGrpc.getStreamMicrogridDispatchesMethod().getFullMethodName();
    assertEquals(
        List.of(
            new RecordedCall(listMethod, null),
            new RecordedCall(listMethod, "other-key"),
            new RecordedCall(streamMethod, null),
            new RecordedCall(listMethod, "test-key-1")),
        server.calls());
    assertEquals(0, server.openStreams(MICROGRID));
  }

  @Test
  void pagingReturnsEveryItemAcrossThreePages() throws Exception {
    DispatchTestServer server = started(DispatchTestServer.start());
    MicrogridDispatchServiceBlockingStub stub = stub(plaintext(server));
    Instant start = Instant.now().plus(Duration.ofHours(1));
    for (int i = 0; i < 25; i++) {
      create(stub, data(start.plusSeconds(i)).build());
    }

    List<Long> ids = new ArrayList<>();
    List<Integer> pageSizes = new ArrayList<>();
    String token = null;
    do {
      PaginationParams.Builder paging = PaginationParams.newBuilder().setPageSize(10);
      if (token != null) {
        paging.setPageToken(token);
      }
      ListMicrogridDispatchesResponse page =
          stub.listMicrogridDispatches(
              ListMicrogridDispatchesRequest.newBuilder()
                  .setMicrogridId(MICROGRID)
                  .setPaginationParams(paging)
                  .build());
      assertEquals(25, page.getPaginationInfo().getTotalItems());
      pageSizes.add(page.getDispatchesCount());
      page.getDispatchesList().forEach(d -> ids.add(d.getMetadata().getDispatchId()));
      token =
          page.getPaginationInfo().hasNextPageToken()
              ? page.getPaginationInfo().getNextPageToken()
              : null;
    } while (token != null);

    assertEquals(List.of(10, 10, 5), pageSizes);
    assertEquals(25, ids.size());
    for (int i = 0; i < 25; i++) {
      assertEquals(i + 1, ids.get(i));
    }
  }

  @Test
  void updateChangesOnlyMaskedPaths() throws Exception {
    VirtualClock clock = new VirtualClock(Instant.parse("2030-01-01T00:00:00Z"));
    DispatchTestServer server = started(DispatchTestServer.start(null, clock));
    MicrogridDispatchServiceBlockingStub stub = stub(plaintext(server));
    Struct payload =
        Struct.newBuilder().putFields("power", Value.newBuilder().setNumberValue(5).build()).build();
    Dispatch created =
        create(
            stub,
            data(Instant.parse("2030-01-01T01:00:00Z"))
                .setDuration(600)
                .setIsActive(true)
                .setPayload(payload)
                .build());
    clock.set(Instant.parse("2030-01-01T00:05:00Z"));

    // Named and unset duration: back to infinite. is_active is in the update but not the mask.
    Dispatch updated =
        update(
            stub,
            created.getMetadata().getDispatchId(),
            List.of("duration"),
            DispatchUpdate.newBuilder().setIsActive(false).build());

    assertFalse(updated.getData().hasDuration());
    assertFalse(updated.getMetadata().hasEndTime());
    assertTrue(updated.getData().getIsActive());
    assertEquals(payload, updated.getData().getPayload());
    assertEquals(created.getData().getTarget(), updated.getData().getTarget());
    assertEquals(created.getMetadata().getCreateTime(), updated.getMetadata().getCreateTime());
    assertEquals(clock.instant(), Timestamps.toInstant("time", updated.getMetadata().getUpdateTime()));

    Dispatch deactivated =
        update(
            stub,
            created.getMetadata().getDispatchId(),
            List.of("is_active", "recurrence.interval"),
            DispatchUpdate.newBuilder()
                .setIsActive(false)
                .setRecurrence(DispatchUpdate.RecurrenceRuleUpdate.newBuilder().setInterval(3))
                .build());
    assertFalse(deactivated.getData().getIsActive());
    assertEquals(3, deactivated.getData().getRecurrence().getInterval());
    assertFalse(deactivated.getData().hasDuration());

    for (String refused : List.of("type", "is_dry_run", "no_such_field", "recurrence.nope")) {
      StatusRuntimeException e =
          assertThrows(
              StatusRuntimeException.class,
              () -> update(stub, created.getMetadata().getDispatchId(), List.of(refused),
                  DispatchUpdate.getDefaultInstance()));
      assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), refused);
    }
    assertEquals(
        Status.Code.NOT_FOUND,
        assertThrows(
                StatusRuntimeException.class,
                () -> update(stub, 42, List.of("is_active"), DispatchUpdate.getDefaultInstance()))
            .getStatus()
            .getCode());

    server.failNextCall(Status.RESOURCE_EXHAUSTED);
    assertEquals(
        Status.Code.RESOURCE_EXHAUSTED,
        assertThrows(
                StatusRuntimeException.class,
                () -> update(stub, 1, List.of("is_active"), DispatchUpdate.getDefaultInstance()))
            .getStatus()
            .getCode());
    assertEquals(deactivated, server.store(MICROGRID).get(0));
  }

  @Test
  void streamGetsCreatedThenEndsWithUnavailable() throws Exception {
    DispatchTestServer server = started(DispatchTestServer.start());
    ManagedChannel channel = plaintext(server);
    Iterator<StreamMicrogridDispatchesResponse> stream =
        stub(channel)
            .withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS)
            .streamMicrogridDispatches(
                StreamMicrogridDispatchesRequest.newBuilder().setMicrogridId(MICROGRID).build());
    server.awaitOpenStreams(MICROGRID, 1, WAIT);

    Dispatch created = create(stub(channel), data(Instant.now().plus(Duration.ofHours(1))).build());

    StreamMicrogridDispatchesResponse event = stream.next();
    assertEquals(io.microgrid.dispatch.protocol.common.Event.EVENT_CREATED, event.getEvent());
    assertEquals(created, event.getDispatch());

    assertEquals(1, server.breakStreams());
    StatusRuntimeException ended = assertThrows(StatusRuntimeException.class, stream::hasNext);
    assertEquals(Status.Code.UNAVAILABLE, ended.getStatus().getCode());
    assertEquals(0, server.openStreams(MICROGRID));

    // Closing the server ends open streams with UNAVAILABLE too, not with a bare CANCELLED.
    Iterator<StreamMicrogridDispatchesResponse> second =
        stub(channel)
            .withDeadlineAfter(WAIT.toMillis(), TimeUnit.MILLISECONDS)
            .streamMicrogridDispatches(
                StreamMicrogridDispatchesRequest.newBuilder().setMicrogridId(MICROGRID).build());
    server.awaitOpenStreams(MICROGRID, 1, WAIT);
    server.close();
    assertEquals(
        Status.Code.UNAVAILABLE,
        assertThrows(StatusRuntimeException.class, second::hasNext).getStatus().getCode());
  }

  @Test
  void tlsWithTheTestCa(@TempDir Path dir) throws Exception {
    TestCertificates.PemFiles pem = TestCertificates.write(dir);
    DispatchTestServer server =
        started(DispatchTestServer.startTls(pem.serverChain(), pem.serverKey(), "tls-key"));

    MicrogridDispatchServiceBlockingStub trusted = withKey(stub(tls(server, pem.ca())), "tls-key");
    assertEquals(
        0,
        trusted
            .listMicrogridDispatches(
                ListMicrogridDispatchesRequest.newBuilder().setMicrogridId(MICROGRID).build())
            .getPaginationInfo()
            .getTotalItems());

    // A client that trusts only the unrelated CA must refuse the server's certificate.
    MicrogridDispatchServiceBlockingStub untrusted =
        withKey(stub(tls(server, pem.otherCa())), "tls-key");
    StatusRuntimeException refused =
        assertThrows(
            StatusRuntimeException.class,
            () ->
                untrusted.listMicrogridDispatches(
                    ListMicrogridDispatchesRequest.newBuilder().setMicrogridId(MICROGRID).build()));
    assertEquals(Status.Code.UNAVAILABLE, refused.getStatus().getCode());
  }

  // ---- helpers ----

  private DispatchTestServer started(DispatchTestServer server) {
    cleanup.add(server);
    return server;
  }

  private ManagedChannel plaintext(DispatchTestServer server) {
    return channel(server, InsecureChannelCredentials.create());
  }

  private ManagedChannel tls(DispatchTestServer server, Path trustedCaPem) throws IOException {
    return channel(
        server, TlsChannelCredentials.newBuilder().trustManager(trustedCaPem.toFile()).build());
  }

  private ManagedChannel channel(DispatchTestServer server, ChannelCredentials credentials) {
    ManagedChannel channel =
        OkHttpChannelBuilder.forAddress(DispatchTestServer.HOST, server.port(), credentials).build();
    cleanup.add(
        () -> {
          channel.shutdownNow();
          channel.awaitTermination(10, TimeUnit.SECONDS);
        });
    return channel;
  }

  private static MicrogridDispatchServiceBlockingStub stub(ManagedChannel channel) {
    return MicrogridDispatchServiceGrpc.newBlockingStub(channel);
  }

  private static MicrogridDispatchServiceBlockingStub withKey(
      MicrogridDispatchServiceBlockingStub stub, String key) {
    Metadata headers = new Metadata();
    headers.put(Metadata.Key.of("key", Metadata.ASCII_STRING_MARSHALLER), key);
    return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  private static DispatchData.Builder data(Instant start) {
    return DispatchData.newBuilder()
        .setType("test")
        .setStartTime(Timestamps.of(start))
        .setIsActive(true)
        .setTarget(
            TargetComponents.newBuilder()
                .setComponentIds(TargetComponents.IdSet.newBuilder().addIds(4).addIds(5)));
  }

  private static Dispatch create(MicrogridDispatchServiceBlockingStub stub, DispatchData data) {
    return stub.createMicrogridDispatch(
            CreateMicrogridDispatchRequest.newBuilder()
                .setMicrogridId(MICROGRID)
                .setDispatchData(data)
                .build())
        .getDispatch();
  }

  private static Dispatch update(
      MicrogridDispatchServiceBlockingStub stub, long id, List<String> paths, DispatchUpdate update) {
    return stub.updateMicrogridDispatch(
            UpdateMicrogridDispatchRequest.newBuilder()
                .setMicrogridId(MICROGRID)
                .setDispatchId(id)
                .setUpdateMask(FieldMask.newBuilder().addAllPaths(paths))
                .setUpdate(update)
                .build())
        .getDispatch();
  }
}
