package io.microgrid.dispatch.gateway.internal;

import io.microgrid.dispatch.api.ComponentCategory;
import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchClient;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Creates one sample dispatch through the {@link DispatchClient} service, so that someone who just
 * started the gateway sees dispatches start and stop: type {@value #TYPE} in microgrid 1, starting
 * about {@link #START_DELAY} from now, running {@link #DURATION}, every minute, {@value #COUNT}
 * times.
 *
 * <p>The client and the simulator come up from the same fresh configuration at about the same
 * time, so the first calls may find no server yet; the call is repeated after {@link
 * #FIRST_RETRY}, each wait twice the last up to {@link #RETRY},
 * until it succeeds or {@link #GIVE_UP} has passed.
 */
final class DemoDispatch implements AutoCloseable {
  private static final Logger LOG = BundleLoggers.get(DemoDispatch.class);

  /** The type of the sample dispatch. */
  static final String TYPE = "DEMO";

  /** How long after its creation the sample dispatch starts (at least; rounded up to a second). */
  static final Duration START_DELAY = Duration.ofSeconds(5);

  /** How long each occurrence runs. */
  static final Duration DURATION = Duration.ofSeconds(10);

  /** How many occurrences, one a minute. */
  static final int COUNT = 3;

  // The simulator usually listens a few hundred milliseconds after the client appears, and the
  // sample is the launcher's first notification: a short, even retry creates it within 100 ms of
  // the simulator listening. The calls go to the gateway's own simulator on loopback (the sample
  // is only made with the default configuration), so retrying this often costs nothing.
  static final Duration RETRY = Duration.ofMillis(100);
  static final Duration GIVE_UP = Duration.ofMinutes(2);

  private final Supplier<DispatchClient> client;
  private final Clock clock;
  private final ScheduledExecutorService executor;
  private final Instant giveUpAt;
  private boolean started;
  private boolean done;

  /**
   * Prepares the sample; nothing is sent before {@link #clientAvailable()}.
   *
   * @param client the current client service, or null while there is none
   * @param clock the wall clock
   */
  DemoDispatch(Supplier<DispatchClient> client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.giveUpAt = clock.instant().plus(GIVE_UP);
    this.executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "dispatch-gateway-sample");
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * What is sent: the sample dispatch, starting {@link #START_DELAY} after {@code now}, rounded up
   * to the next whole second.
   *
   * @param now the current instant
   * @return the dispatch to create
   */
  static NewDispatch sample(Instant now) {
    Instant start = now.plus(START_DELAY).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    return NewDispatch.builder(TYPE, TargetComponents.categories(ComponentCategory.BATTERY))
        .startTime(start)
        .duration(DURATION)
        .payload(
            Payload.of(
                Map.of(
                    "note",
                    "sample dispatch created by dispatch-gateway.jar on its first start")))
        .recurrence(RecurrenceRule.builder(Frequency.MINUTELY).interval(1).count(COUNT).build())
        .build();
  }

  /** Called when a client service appears: sends the sample once, from a thread of its own. */
  synchronized void clientAvailable() {
    if (started) {
      return;
    }
    started = true;
    executor.execute(this::attempt);
  }

  private void attempt() {
    DispatchClient current = client.get();
    RuntimeException failure = null;
    if (current != null) {
      try {
        Dispatch created = current.create(EtcDefaults.MICROGRID_ID, sample(clock.instant()));
        synchronized (this) {
          done = true;
        }
        LOG.log(
            Level.INFO,
            "created sample dispatch {0} of type {1} in microgrid {2}: starts {3}, runs {4} s,"
                + " every minute, {5} times",
            created.id(),
            TYPE,
            EtcDefaults.MICROGRID_ID,
            created.startTime(),
            DURATION.toSeconds(),
            COUNT);
        return;
      } catch (RuntimeException e) {
        failure = e;
      }
    }
    if (clock.instant().isBefore(giveUpAt)) {
      try {
        executor.schedule(this::attempt, RETRY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.RejectedExecutionException closed) {
        // the bundle stopped meanwhile
      }
      return;
    }
    LOG.log(
        Level.WARNING,
        "could not create the sample dispatch within {0} s: {1}",
        GIVE_UP.toSeconds(),
        failure == null ? "no DispatchClient service" : failure.toString());
  }

  /**
   * Returns whether the sample was created.
   *
   * @return true once created
   */
  synchronized boolean done() {
    return done;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
