package io.microgrid.dispatch.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The proxy between a plain TCP client and an echo server on loopback. */
class FaultProxyTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private EchoServer echo;
  private FaultProxy proxy;

  @BeforeEach
  void start() throws IOException {
    echo = new EchoServer();
    proxy = FaultProxy.start(echo.port());
  }

  @AfterEach
  void stop() throws IOException {
    proxy.close();
    echo.close();
  }

  @Test
  void carriesBytesBothWaysUnchanged() throws Exception {
    byte[] data = new byte[1 << 20];
    new Random(7).nextBytes(data);
    try (Socket s = connect()) {
      assertArrayEquals(data, roundTrip(s, data));
    }
    // Counted just after each write, so the echo may be read a moment before the last count.
    Await.until(
        () -> proxy.forwardedBytes() == 2L * data.length,
        WAIT,
        () -> proxy.forwardedBytes() + " bytes counted, not " + 2L * data.length);
  }

  @Test
  void aCutResetsOpenConnectionsAndTheNextConnectionWorks() throws Exception {
    try (Socket s = connect()) {
      assertEquals("a", text(roundTrip(s, bytes("a"))));
      assertEquals(1, proxy.cut());
      assertTrue(ended(s), "the client's connection ended");
    }
    Await.until(() -> proxy.openConnections() == 0, WAIT, () -> "the link is gone");
    try (Socket s = connect()) {
      assertEquals("b", text(roundTrip(s, bytes("b"))));
    }
  }

  @Test
  void whileRefusingNewConnectionsFailAndOpenOnesKeepWorking() throws Exception {
    try (Socket open = connect()) {
      roundTrip(open, bytes("x"));
      proxy.refuse(true);
      try (Socket refused = connect()) {
        assertTrue(ended(refused), "a new connection is reset");
      }
      assertEquals("y", text(roundTrip(open, bytes("y"))), "an open connection is left alone");
      proxy.refuse(false);
      try (Socket again = connect()) {
        assertEquals("z", text(roundTrip(again, bytes("z"))));
      }
    }
  }

  @Test
  void aStallHoldsTheBytesWithTheSocketsOpenAndResumeDeliversThemInOrder() throws Exception {
    try (Socket s = connect()) {
      roundTrip(s, bytes("warm"));
      long before = echo.received();
      proxy.stall();
      s.getOutputStream().write(bytes("held"));
      s.getOutputStream().flush();
      Await.until(() -> proxy.heldBytes() > 0, WAIT, () -> "the proxy read the bytes");
      // The pump that read them is parked on the stall, before its write: none reached the server.
      assertEquals(before, echo.received(), "the server got nothing while stalled");
      assertEquals(1, proxy.openConnections(), "the sockets stay open");
      proxy.resume();
      assertEquals("held", text(readExactly(s, 4)));
    }
  }

  @Test
  void aCutDuringAStallDropsWhatWasHeld() throws Exception {
    try (Socket s = connect()) {
      roundTrip(s, bytes("warm"));
      long before = echo.received();
      proxy.stall();
      s.getOutputStream().write(bytes("lost"));
      Await.until(() -> proxy.heldBytes() > 0, WAIT, () -> "the proxy read the bytes");
      proxy.cut();
      assertTrue(ended(s));
      proxy.resume();
      Await.until(() -> proxy.heldBytes() == 0, WAIT, () -> "the pumps let go");
      assertEquals(before, echo.received(), "nothing held was delivered after the cut");
    }
  }

  @Test
  void aSlowLinkTakesAtLeastItsLatencyAndRateAndLosesNothing() throws Exception {
    byte[] data = new byte[64 * 1024];
    new Random(11).nextBytes(data);
    proxy.slow(Duration.ofMillis(20), 512 * 1024);
    try (Socket s = connect()) {
      long start = System.nanoTime();
      byte[] back = roundTrip(s, data);
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertArrayEquals(data, back);
      // Lower bounds only, which no load can break: 64 KB at 512 KB/s is 125 ms each way, and
      // each direction adds at least one chunk's 20 ms.
      assertTrue(tookMillis >= 125 + 2 * 20, "took only " + tookMillis + " ms");
    }
    proxy.fast();
    try (Socket s = connect()) {
      assertArrayEquals(data, roundTrip(s, data));
    }
  }

  @Test
  void newConnectionsGoToANewUpstreamAndFailWhileItIsDown() throws Exception {
    echo.close();
    // The server is down: its port is held bound but not listening, so a connection to it is
    // refused. A port merely closed could be taken by anything else listening meanwhile.
    try (Socket down = new Socket()) {
      down.setReuseAddress(false);
      down.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      proxy.upstream(down.getLocalPort());
      try (Socket s = connect()) {
        assertTrue(ended(s), "no server: the connection fails");
      }
    }
    try (EchoServer second = new EchoServer()) {
      proxy.upstream(second.port());
      try (Socket s = connect()) {
        assertEquals("moved", text(roundTrip(s, bytes("moved"))));
      }
      assertEquals(5, second.received());
    }
  }

  private Socket connect() throws IOException {
    Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
    s.setSoTimeout((int) WAIT.toMillis());
    return s;
  }

  /** Writes on one thread and reads the echo on this one, so large payloads do not deadlock. */
  private static byte[] roundTrip(Socket s, byte[] data) throws Exception {
    ExecutorService writer = Executors.newSingleThreadExecutor();
    try {
      Future<?> written =
          writer.submit(
              () -> {
                OutputStream out = s.getOutputStream();
                out.write(data);
                out.flush();
                return null;
              });
      byte[] back = readExactly(s, data.length);
      written.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      return back;
    } finally {
      writer.shutdownNow();
    }
  }

  private static byte[] readExactly(Socket s, int n) throws IOException {
    InputStream in = s.getInputStream();
    ByteArrayOutputStream got = new ByteArrayOutputStream(n);
    byte[] buffer = new byte[8192];
    while (got.size() < n) {
      int r = in.read(buffer, 0, Math.min(buffer.length, n - got.size()));
      if (r < 0) {
        throw new IOException("ended after " + got.size() + " of " + n + " bytes");
      }
      got.write(buffer, 0, r);
    }
    return got.toByteArray();
  }

  /** Whether the connection ends (EOF or reset) before the read timeout. */
  private static boolean ended(Socket s) throws IOException {
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketTimeoutException stillOpen) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.US_ASCII);
  }

  /** Sends back whatever it receives, and counts it. */
  static final class EchoServer implements AutoCloseable {
    private final ServerSocket socket;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicLong received = new AtomicLong();

    EchoServer() throws IOException {
      socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
      threads.execute(this::accept);
    }

    int port() {
      return socket.getLocalPort();
    }

    long received() {
      return received.get();
    }

    private void accept() {
      while (true) {
        Socket s;
        try {
          s = socket.accept();
        } catch (IOException closed) {
          return;
        }
        threads.execute(() -> echo(s));
      }
    }

    private void echo(Socket s) {
      byte[] buffer = new byte[8192];
      try (s) {
        InputStream in = s.getInputStream();
        OutputStream out = s.getOutputStream();
        int n;
        while ((n = in.read(buffer)) >= 0) {
          received.addAndGet(n);
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException ended) {
        // the connection ended
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
      threads.shutdownNow();
    }
  }
}
