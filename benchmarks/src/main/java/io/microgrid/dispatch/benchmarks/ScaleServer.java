package io.microgrid.dispatch.benchmarks;

import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.protocol.UpdateMicrogridDispatchRequest;
import io.microgrid.dispatch.protocol.codec.ProtoConversion;
import io.microgrid.dispatch.server.DispatchApi;
import io.microgrid.dispatch.server.DispatchStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The server of the scale benchmark, run in a process of its own so that the gateway's heap
 * figure holds only the gateway: server-core's {@link DispatchApi} on loopback, in memory, holding
 * n dispatches of {@link Workload#later} (half recurring). Driven by lines on stdin:
 *
 * <pre>
 * window START_MILLIS WINDOW_MILLIS MEASURED RATE SEED CREATED_MILLIS
 * </pre>
 *
 * puts the measured dispatches of {@link Workload#inWindow} (ids after the n held) and, until the
 * window has ended, updates held dispatches other than those at RATE per second through the
 * store, as an operator's client would, so that each update reaches the gateway on its stream.
 * Answers {@code port P} once listening and {@code updated K MILLIS} after each window.
 */
final class ScaleServer {
  private ScaleServer() {}

  public static void main(String[] args) throws Exception {
    java.util.logging.Logger.getLogger("").setLevel(java.util.logging.Level.WARNING);
    int n = Integer.parseInt(args[0]);
    long seed = Long.parseLong(args[1]);
    Instant from = Instant.ofEpochMilli(Long.parseLong(args[2]));
    long[] startSeconds = new long[n + 1];
    List<io.microgrid.dispatch.protocol.Dispatch> held = new ArrayList<>(n);
    Workload.later(n, from, from.minusSeconds(60), seed, d -> {
      startSeconds[(int) d.id()] = d.startTime().getEpochSecond();
      held.add(SyncBenchmark.stored(d));
    });
    DispatchApi api =
        new DispatchApi(Clock.systemUTC(), new DispatchStore.Contents(n, Map.of(Workload.MICROGRID, held)), null, null, null);
    Server server = api.listen(SyncBenchmark.loopback(), InsecureServerCredentials.create());
    System.out.println("port " + server.getPort());
    System.out.flush();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    SplittableRandom random = new SplittableRandom(seed);
    int moves = 0;
    while ((line = in.readLine()) != null) {
      String[] w = line.trim().split(" ");
      if (!w[0].equals("window")) {
        continue;
      }
      Instant windowStart = Instant.ofEpochMilli(Long.parseLong(w[1]));
      Duration window = Duration.ofMillis(Long.parseLong(w[2]));
      int measured = Integer.parseInt(w[3]);
      int rate = Integer.parseInt(w[4]);
      Instant created = Instant.ofEpochMilli(Long.parseLong(w[6]));
      for (Dispatch d : Workload.inWindow(measured, n + 1, windowStart, window, created, Long.parseLong(w[5]))) {
        // Put as given: millisecond starts, as the lateness benchmark uses (the real service
        // rounds a start to whole seconds, which would bunch the transitions).
        api.store().putUnchecked(Workload.MICROGRID, SyncBenchmark.stored(d));
      }
      moves++;
      long until = windowStart.plus(window).plusSeconds(1).toEpochMilli();
      long t0 = System.nanoTime();
      long sent = 0;
      while (rate > 0 && System.currentTimeMillis() < until) {
        long due = t0 + sent * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
          continue;
        }
        int id = 1 + random.nextInt(n);
        UpdateMicrogridDispatchRequest r =
            ProtoConversion.toProto(
                Workload.MICROGRID,
                id,
                DispatchUpdate.builder().startTime(Instant.ofEpochSecond(startSeconds[id] + moves)).build());
        api.store().update(Workload.MICROGRID, id, r.getUpdateMask(), r.getUpdate());
        sent++;
      }
      System.out.println("updated " + sent + " " + (System.nanoTime() - t0) / 1_000_000);
      System.out.flush();
    }
    api.stop(server, "benchmark done");
    System.exit(0);
  }
}
