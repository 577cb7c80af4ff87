package io.microgrid.dispatch.client;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback that can turn the connections it carries into black holes: after
 * {@link #stall()} their bytes are read and dropped in both directions while the sockets stay
 * open, as on a network path that died without a reset (NAT entry gone, cable pulled). New
 * connections are carried normally, so a client that notices the dead one can reconnect. While
 * {@link #refuse(boolean) refusing}, new connections are closed at once instead, as by a server
 * that is away, and the switch back is instant (a restarted server would need time to listen).
 */
final class StallingProxy implements AutoCloseable {
  private final ServerSocket listener;
  private final int targetPort;
  private final List<Link> links = new CopyOnWriteArrayList<>();
  private final Thread acceptor;
  private volatile boolean refusing;

  StallingProxy(int targetPort) throws IOException {
    this.targetPort = targetPort;
    this.listener = new ServerSocket();
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.acceptor = new Thread(this::accept, "stalling-proxy-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return listener.getLocalPort();
  }

  /** Makes every connection open now a black hole; later connections are carried. */
  void stall() {
    links.forEach(l -> l.stalled = true);
  }

  /** From now on, closes new connections at once (true) or carries them (false). */
  void refuse(boolean on) {
    refusing = on;
  }

  /** How many connections the proxy has accepted so far. */
  int connections() {
    return links.size();
  }

  private void accept() {
    while (!listener.isClosed()) {
      try {
        Socket client = listener.accept();
        if (refusing) {
          client.close();
          continue;
        }
        Socket server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        Link link = new Link(client, server);
        links.add(link);
        pump(link, client, server, "up");
        pump(link, server, client, "down");
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void pump(Link link, Socket from, Socket to, String direction) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[16 * 1024];
              try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  if (!link.stalled) {
                    out.write(buffer, 0, n);
                    out.flush();
                  }
                }
              } catch (IOException e) {
                // One side went away: the link is over.
              } finally {
                link.close();
              }
            },
            "stalling-proxy-" + direction);
    t.setDaemon(true);
    t.start();
  }

  @Override
  public void close() throws IOException {
    listener.close();
    links.forEach(Link::close);
  }

  private static final class Link {
    final Socket client;
    final Socket server;
    volatile boolean stalled;

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    void close() {
      try {
        client.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      try {
        server.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
