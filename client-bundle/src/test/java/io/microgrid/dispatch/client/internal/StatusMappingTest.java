package io.microgrid.dispatch.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.microgrid.dispatch.api.AuthenticationException;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchNotFoundException;
import io.microgrid.dispatch.api.InvalidArgumentException;
import io.microgrid.dispatch.api.ServiceUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StatusMappingTest {

  private static final String KEY = "s3cr3t-key";
  private static final String OP = "get dispatch 7";

  private static Map<Status.Code, Class<? extends DispatchApiException>> expectedClasses() {
    Map<Status.Code, Class<? extends DispatchApiException>> m = new LinkedHashMap<>();
    m.put(Status.Code.NOT_FOUND, DispatchNotFoundException.class);
    m.put(Status.Code.UNAUTHENTICATED, AuthenticationException.class);
    m.put(Status.Code.PERMISSION_DENIED, AuthenticationException.class);
    m.put(Status.Code.INVALID_ARGUMENT, InvalidArgumentException.class);
    m.put(Status.Code.UNAVAILABLE, ServiceUnavailableException.class);
    m.put(Status.Code.DEADLINE_EXCEEDED, ServiceUnavailableException.class);
    m.put(Status.Code.INTERNAL, DispatchApiException.class);
    m.put(Status.Code.UNKNOWN, DispatchApiException.class);
    return m;
  }

  /** Asserts the key appears nowhere: message, toString, stack trace, or any cause. */
  private static void assertNoKey(Throwable e) {
    StringWriter trace = new StringWriter();
    e.printStackTrace(new PrintWriter(trace));
    assertFalse(trace.toString().contains(KEY), () -> "the key leaked:\n" + trace);
    Set<Throwable> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = e; t != null && seen.add(t); t = t.getCause()) {
      assertFalse(String.valueOf(t.getMessage()).contains(KEY), "message of " + t.getClass());
      assertFalse(String.valueOf(t).contains(KEY), "toString of " + t.getClass());
      for (Throwable s : t.getSuppressed()) {
        assertFalse(String.valueOf(s).contains(KEY), "suppressed " + s.getClass());
      }
    }
  }

  @Test
  void eachStatusMapsToItsExceptionClassKeepingCodeAndDescription() {
    expectedClasses()
        .forEach(
            (code, type) -> {
              String description = "server says " + code.name().toLowerCase();
              DispatchApiException e =
                  StatusMapping.map(OP, Status.fromCode(code).withDescription(description), KEY);
              assertSame(type, e.getClass(), code.name());
              assertEquals(code.name(), e.status());
              assertTrue(e.getMessage().contains(description), e.getMessage());
              assertTrue(e.getMessage().contains(code.name()), e.getMessage());
              assertTrue(e.getMessage().contains(OP), e.getMessage());
            });
  }

  @Test
  void eachStatusRuntimeExceptionMapsTheSame() {
    expectedClasses()
        .forEach(
            (code, type) -> {
              String description = "desc " + code.name();
              StatusRuntimeException sre =
                  Status.fromCode(code).withDescription(description).asRuntimeException();
              DispatchApiException e = StatusMapping.map(OP, sre, KEY);
              assertSame(type, e.getClass(), code.name());
              assertEquals(code.name(), e.status());
              assertTrue(e.getMessage().contains(description), e.getMessage());
              // The gRPC exception itself is not kept as the cause.
              assertFalse(e.getCause() instanceof StatusRuntimeException);
            });
  }

  @Test
  void checkedStatusExceptionMapsTheSame() {
    StatusException se = Status.PERMISSION_DENIED.withDescription("no").asException();
    DispatchApiException e = StatusMapping.map(OP, (Throwable) se, KEY);
    assertSame(AuthenticationException.class, e.getClass());
    assertEquals("PERMISSION_DENIED", e.status());
    assertFalse(e.getCause() instanceof StatusException);
  }

  @Test
  void statusWithoutDescription() {
    DispatchApiException e = StatusMapping.map(OP, Status.UNAVAILABLE, KEY);
    assertSame(ServiceUnavailableException.class, e.getClass());
    assertEquals("UNAVAILABLE", e.status());
    assertTrue(e.getMessage().contains("UNAVAILABLE"), e.getMessage());
    assertFalse(e.getMessage().contains("null"), e.getMessage());
  }

  @Test
  void nonStatusFailureIsUnknownAndKeepsItsCause() {
    IOException io = new IOException("connection reset");
    DispatchApiException e = StatusMapping.map(OP, io, KEY);
    assertSame(DispatchApiException.class, e.getClass());
    assertEquals("UNKNOWN", e.status());
    assertSame(io, e.getCause());
  }

  @Test
  void statusCauseIsKeptWhenItHoldsNoKey() {
    IOException io = new IOException("connection refused");
    DispatchApiException e =
        StatusMapping.map(OP, Status.UNAVAILABLE.withDescription("io").withCause(io), KEY);
    assertSame(io, e.getCause());
  }

  @Test
  void keyInTheDescriptionIsReplaced() {
    for (Status.Code code : expectedClasses().keySet()) {
      Status status =
          Status.fromCode(code).withDescription("bad key '" + KEY + "' (again: " + KEY + ")");
      DispatchApiException e = StatusMapping.map(OP, status, KEY);
      assertFalse(e.getMessage().contains(KEY), e.getMessage());
      assertTrue(e.getMessage().contains("bad key"), e.getMessage());
      assertNoKey(e);

      DispatchApiException viaException = StatusMapping.map(OP, status.asRuntimeException(), KEY);
      assertNoKey(viaException);

      Metadata trailers = new Metadata();
      trailers.put(Metadata.Key.of("key", Metadata.ASCII_STRING_MARSHALLER), KEY);
      assertNoKey(StatusMapping.map(OP, status.asRuntimeException(trailers), KEY));
    }
  }

  @Test
  void causeWithTheKeyIsNotKept() {
    Status status =
        Status.UNAUTHENTICATED
            .withDescription("denied")
            .withCause(new IllegalStateException("key " + KEY + " revoked"));
    DispatchApiException e = StatusMapping.map(OP, status, KEY);
    assertSame(AuthenticationException.class, e.getClass());
    assertTrue(e.getMessage().contains("denied"));
    assertNoKey(e);
  }

  @Test
  void keyDeepInTheCauseChainIsNotKept() {
    Throwable deep =
        new IOException("handshake failed", new IllegalStateException("header key=" + KEY));
    DispatchApiException e =
        StatusMapping.map(OP, Status.UNAVAILABLE.withDescription("io").withCause(deep), KEY);
    assertSame(ServiceUnavailableException.class, e.getClass());
    assertNoKey(e);
  }

  @Test
  void keyInASuppressedExceptionIsNotKept() {
    IOException io = new IOException("closing failed");
    io.addSuppressed(new IllegalStateException("while sending " + KEY));
    DispatchApiException e =
        StatusMapping.map(OP, Status.INTERNAL.withDescription("x").withCause(io), KEY);
    assertNoKey(e);
  }

  @Test
  void nonStatusFailureHoldingTheKeyIsNotKept() {
    DispatchApiException direct =
        StatusMapping.map(OP, new IllegalStateException("bad " + KEY), KEY);
    assertEquals("UNKNOWN", direct.status());
    assertNoKey(direct);

    DispatchApiException nested =
        StatusMapping.map(
            OP, new RuntimeException("wrapper", new IOException("sent key " + KEY)), KEY);
    assertNoKey(nested);
  }

  @Test
  void noKeyConfiguredRedactsNothing() {
    DispatchApiException none =
        StatusMapping.map(OP, Status.NOT_FOUND.withDescription("dispatch 7 not found"), null);
    assertTrue(none.getMessage().contains("dispatch 7 not found"));
    DispatchApiException empty =
        StatusMapping.map(OP, Status.NOT_FOUND.withDescription("dispatch 7 not found"), "");
    assertTrue(empty.getMessage().contains("dispatch 7 not found"));
    assertNull(StatusMapping.redact(null, KEY));
    assertEquals("a *** b", StatusMapping.redact("a " + KEY + " b", KEY));
  }
}
