package io.microgrid.dispatch.reliability;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 between a client and a server, for the faults a gateway meets in the
 * field: a link that drops every connection ({@link #cut()}), a server that is down ({@link
 * #refuse}), a half-dead link that keeps its sockets open but carries nothing ({@link #stall()}),
 * and a slow one ({@link #slow}). It knows nothing of gRPC: it moves bytes.
 *
 * <p>Each accepted connection gets a connection to the upstream port and two pump threads, one per
 * direction. A pump reads what arrives, waits while the proxy is stalled, waits out the latency
 * and the rate of a slow link, and writes it on.
 */
public final class FaultProxy implements AutoCloseable {
  private static final int CHUNK = 16 * 1024;

  private final ServerSocket listener;
  private final ExecutorService threads;
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private final AtomicLong heldBytes = new AtomicLong();
  private final AtomicLong forwardedBytes = new AtomicLong();
  private final AtomicInteger accepted = new AtomicInteger();

  private volatile int upstreamPort;
  private volatile boolean refusing;
  private volatile boolean closed;
  // A slow link: each chunk waits this long, and then as long as its size takes at this rate.
  private volatile Duration latency = Duration.ZERO;
  private volatile long bytesPerSecond;

  // Guarded by itself; signalled when the stall ends or a link is cut.
  private final Object gate = new Object();
  private boolean stalled;

  private FaultProxy(int upstreamPort) throws IOException {
    this.upstreamPort = upstreamPort;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    AtomicInteger n = new AtomicInteger();
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fault-proxy-" + listener.getLocalPort() + "-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    threads.execute(this::acceptLoop);
  }

  /**
   * Starts a proxy on an ephemeral port of 127.0.0.1 that forwards to {@code upstreamPort} there.
   *
   * @param upstreamPort the server's port on 127.0.0.1
   * @return the running proxy
   * @throws IOException when no port can be opened
   */
  public static FaultProxy start(int upstreamPort) throws IOException {
    return new FaultProxy(upstreamPort);
  }

  /** The port clients connect to, on 127.0.0.1. */
  public int port() {
    return listener.getLocalPort();
  }

  /** The server's port: new connections go there; open ones stay where they are. */
  public void upstream(int port) {
    this.upstreamPort = port;
  }

  /**
   * Drops every open connection at once, both sides reset as by a crashed host or a cut cable.
   * New connections are accepted as before (unless {@link #refuse refused}).
   *
   * @return how many connections were dropped
   */
  public int cut() {
    int n = 0;
    for (Link link : links) {
      link.reset();
      n++;
    }
    synchronized (gate) {
      gate.notifyAll();
    }
    return n;
  }

  /**
   * While on, every new connection is reset at once, as by a server that is down; open ones are
   * left alone (cut them for a full outage).
   */
  public void refuse(boolean on) {
    this.refusing = on;
  }

  /**
   * Stops carrying bytes in both directions; sockets stay open and what arrives is held, as on a
   * link that died without telling anyone. {@link #resume()} sends what was held, in order.
   */
  public void stall() {
    synchronized (gate) {
      stalled = true;
    }
  }

  /** Ends a stall. */
  public void resume() {
    synchronized (gate) {
      stalled = false;
      gate.notifyAll();
    }
  }

  /**
   * Makes the link slow in both directions: each chunk that arrives is held for {@code latency},
   * and the bytes go on at no more than {@code bytesPerSecond}.
   *
   * @param latency added to every chunk
   * @param bytesPerSecond the rate; 0 for no limit
   */
  public void slow(Duration latency, long bytesPerSecond) {
    if (latency.isNegative() || bytesPerSecond < 0) {
      throw new IllegalArgumentException("latency and rate must not be negative");
    }
    this.latency = latency;
    this.bytesPerSecond = bytesPerSecond;
  }

  /** Ends {@link #slow}. */
  public void fast() {
    slow(Duration.ZERO, 0);
  }

  /** Connections open right now. */
  public int openConnections() {
    return links.size();
  }

  /** Connections accepted since the start, refused ones included. */
  public int acceptedConnections() {
    return accepted.get();
  }

  /** Bytes that arrived and are not yet written on: what a stall holds back. */
  public long heldBytes() {
    return heldBytes.get();
  }

  /** Bytes carried so far, both directions. */
  public long forwardedBytes() {
    return forwardedBytes.get();
  }

  /** Stops accepting and drops every connection. */
  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException ignored) {
      // closing anyway
    }
    cut();
    threads.shutdownNow();
    try {
      threads.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket downstream;
      try {
        downstream = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      accepted.incrementAndGet();
      if (refusing) {
        reset(downstream);
        continue;
      }
      Socket upstream = new Socket();
      try {
        upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), upstreamPort), 5_000);
        if (upstream.getLocalPort() == upstreamPort) {
          // TCP "self-connect": with no server on the port, Linux may pick that same port as the
          // ephemeral source and connect the socket to itself. That is a server down, too.
          throw new IOException("connected to itself: nothing listens on " + upstreamPort);
        }
        downstream.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
      } catch (IOException serverDown) {
        // The client sees what it would see without the proxy: the connection fails.
        reset(upstream);
        reset(downstream);
        continue;
      }
      Link link = new Link(downstream, upstream);
      links.add(link);
      if (closed) {
        link.reset();
        return;
      }
      threads.execute(() -> pump(link, downstream, upstream));
      threads.execute(() -> pump(link, upstream, downstream));
    }
  }

  private void pump(Link link, Socket from, Socket to) {
    byte[] buffer = new byte[CHUNK];
    try (InputStream in = from.getInputStream()) {
      OutputStream out = to.getOutputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        heldBytes.addAndGet(n);
        try {
          if (!awaitFlowing(link)) {
            return;
          }
          delay(n);
          out.write(buffer, 0, n);
          out.flush();
          forwardedBytes.addAndGet(n);
        } finally {
          heldBytes.addAndGet(-n);
        }
      }
      // An orderly end on one side ends the other too.
      link.close();
    } catch (IOException | InterruptedException e) {
      link.reset();
    }
  }

  /** Waits while stalled; false when the link was cut meanwhile. */
  private boolean awaitFlowing(Link link) throws InterruptedException {
    synchronized (gate) {
      while (stalled && !link.isClosed()) {
        gate.wait();
      }
    }
    return !link.isClosed();
  }

  // Sleeping here is the point: this is the slow link.
  private void delay(int bytes) throws InterruptedException {
    long nanos = latency.toNanos();
    long rate = bytesPerSecond;
    if (rate > 0) {
      nanos += bytes * 1_000_000_000L / rate;
    }
    if (nanos > 0) {
      TimeUnit.NANOSECONDS.sleep(nanos);
    }
  }

  private static void reset(Socket socket) {
    try {
      if (!socket.isClosed()) {
        // Linger 0: the close sends RST, as a crash or a cut does, not an orderly FIN.
        socket.setSoLinger(true, 0);
      }
    } catch (SocketException ignored) {
      // not connected: nothing to reset
    }
    try {
      socket.close();
    } catch (IOException ignored) {
      // already gone
    }
  }

  /** One proxied connection: the client's socket and the server's. */
  private final class Link {
    private final Socket downstream;
    private final Socket upstream;
    private volatile boolean closed;

    Link(Socket downstream, Socket upstream) {
      this.downstream = downstream;
      this.upstream = upstream;
    }

    boolean isClosed() {
      return closed;
    }

    void reset() {
      end(true);
    }

    void close() {
      end(false);
    }

    private void end(boolean abrupt) {
      closed = true;
      links.remove(this);
      if (abrupt) {
        FaultProxy.reset(downstream);
        FaultProxy.reset(upstream);
      } else {
        closeQuietly(downstream);
        closeQuietly(upstream);
      }
      synchronized (gate) {
        gate.notifyAll();
      }
    }

    private void closeQuietly(Socket s) {
      try {
        s.close();
      } catch (IOException ignored) {
        // already gone
      }
    }
  }
}
