package io.microgrid.dispatch.simulator.internal;

import io.microgrid.dispatch.server.SignatureCheck;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import io.microgrid.dispatch.api.AuthenticationException;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.protocol.ListMicrogridDispatchesRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulator with a signing secret: it checks every call as a signing server would. */
class SimulatorSigningTest {
  private static final String KEY = "sim-sign-key";
  private static final String SECRET = "sim-sign-secret";
  private static final long MICROGRID = 4;

  private DispatchSimulator simulator;

  @BeforeEach
  void start() throws Exception {
    simulator =
        DispatchSimulator.start(SimulatorOptions.builder().port(0).key(KEY).signSecret(SECRET).build());
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  private DispatchConnection client(String secret) {
    return DispatchConnection.open(
        ClientOptions.builder("grpc://127.0.0.1:" + simulator.port() + "?ssl=false")
            .key(KEY)
            .signSecret(secret)
            .callTimeout(Duration.ofSeconds(10))
            .build());
  }

  @Test
  void theClientsSignedCallsAreAcceptedAndOthersRefused() {
    try (DispatchConnection signed = client(SECRET)) {
      Dispatch d = signed.create(MICROGRID, Loopback.newDispatch("SIGNED").build());
      assertEquals(d, signed.get(MICROGRID, d.id()));
      assertEquals(1, signed.list(MICROGRID, DispatchQuery.ALL).count());
    }
    try (DispatchConnection wrong = client("another-secret")) {
      AuthenticationException e =
          assertThrows(AuthenticationException.class, () -> wrong.list(MICROGRID, DispatchQuery.ALL));
      assertTrue(e.getMessage().contains("sig does not match"), e.getMessage());
      assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }
    try (DispatchConnection unsigned = client("")) {
      AuthenticationException e =
          assertThrows(AuthenticationException.class, () -> unsigned.list(MICROGRID, DispatchQuery.ALL));
      assertTrue(e.getMessage().contains("required"), e.getMessage());
    }
  }

  @Test
  void aReplayedSignatureIsRefused() throws Exception {
    // Signed here independently of the client, as the wire protocol writes the scheme.
    String ts = Long.toString(Instant.now().getEpochSecond());
    byte[] nonceBytes = new byte[16];
    nonceBytes[0] = 42;
    String nonce = Base64.getUrlEncoder().encodeToString(nonceBytes);
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    mac.update((KEY + ts + nonce + "ListMicrogridDispatches").getBytes(StandardCharsets.UTF_8));
    Metadata headers = new Metadata();
    headers.put(SignatureCheck.TS, ts);
    headers.put(SignatureCheck.NONCE, nonce);
    headers.put(
        SignatureCheck.SIG, Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal()));
    ManagedChannel channel = Loopback.channel(simulator.port());
    try {
      var stub =
          Loopback.stub(channel, KEY)
              .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
      var request = ListMicrogridDispatchesRequest.newBuilder().setMicrogridId(MICROGRID).build();
      stub.listMicrogridDispatches(request);
      StatusRuntimeException replay =
          assertThrows(StatusRuntimeException.class, () -> stub.listMicrogridDispatches(request));
      assertEquals(io.grpc.Status.Code.UNAUTHENTICATED, replay.getStatus().getCode());
      assertTrue(replay.getStatus().getDescription().contains("used before"), replay.getMessage());
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void theSecretIsReadFromTheConfigurationAndNeverShown() throws Exception {
    SimulatorOptions o =
        SimulatorOptions.fromConfiguration(
            Map.of(SimulatorOptions.SIGN_SECRET, SECRET.toCharArray(), SimulatorOptions.PORT, 0), null);
    assertEquals(SECRET, o.signSecret().orElseThrow());
    assertFalse(o.toString().contains(SECRET), o.toString());
    // Removing it from a running simulator lets unsigned calls in again.
    simulator.reconfigure(
        SimulatorOptions.builder().port(simulator.options().port()).key(KEY).build());
    try (DispatchConnection unsigned = client("")) {
      assertEquals(0, unsigned.list(MICROGRID, DispatchQuery.ALL).count());
    }
  }
}
