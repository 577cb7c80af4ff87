package io.microgrid.dispatch.scheduler.internal.runner;

import io.microgrid.dispatch.scheduler.internal.core.DispatchSchedule.HeldChanges;
import io.microgrid.dispatch.scheduler.internal.core.DispatchSchedule.HeldState;
import io.microgrid.dispatch.scheduler.internal.persist.ScheduleFile;
import io.microgrid.dispatch.scheduler.internal.persist.ScheduleStore;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes the persisted schedule on a thread of its own, so that the scheduler thread never encodes
 * or writes a file: with 100 000 dispatches held, encoding one took it for hundreds of
 * milliseconds, and every transition due meanwhile was that late. The scheduler thread hands over
 * only what changed since its last save ({@link HeldChanges}); this thread keeps the encoding of
 * every held state, brings it up to date (encoding only what changed) and has the store stream it
 * to the file. Saves are written in the order given; one that a later save already queued would
 * overwrite is not written (coalescing, as the runner's save delay does on its side).
 *
 * <p>A write costs in proportion to what is held (a million dispatches are 120 MB to digest and
 * write, about a second here), so the next write waits {@link #QUIET} times as long as the last
 * took: the thread then takes at most a fifth of a core, and the flash is not rewritten five times
 * a second. Writing every 200 ms at a million made this thread a core's full load, and its
 * garbage (an array of the whole file at each save) paused the scheduler thread for up to 140 ms
 * (benchmarks, Scale). With a few thousand dispatches a write takes milliseconds and the runner's
 * save delay alone spaces them.
 */
final class ScheduleSaver {
  private static final System.Logger LOG = BundleLoggers.get(ScheduleSaver.class);

  /** How many times its own duration the thread rests after a write before the next. */
  static final int QUIET = 4;

  private final ScheduleStore store;
  private final ScheduledExecutorService thread;
  private final AtomicInteger queuedSaves = new AtomicInteger();

  // Owned by the save thread: the encoding of every held state of the microgrid last handed
  // over, by id (the file's order), and what is not written yet.
  private final TreeMap<Long, byte[]> copy = new TreeMap<>();
  private boolean unwritten;
  private long unwrittenMicrogrid;
  private ScheduleFile.Content unwrittenRest;
  private long nextWriteAt = System.nanoTime();
  private ScheduledFuture<?> delayedWrite;

  ScheduleSaver(ScheduleStore store, ThreadFactory threads) {
    this.store = store;
    this.thread = Executors.newSingleThreadScheduledExecutor(threads);
  }

  /**
   * Saves a microgrid's copy: the held states as {@code changes} leave them, with the memories
   * and last sync of {@code rest}.
   *
   * @param microgridId the microgrid
   * @param changes what changed since the previous save (everything when the schedule was replaced)
   * @param rest the last sync and the listeners' memories, as taken with the changes (its
   *     dispatches are ignored)
   */
  void save(long microgridId, HeldChanges changes, ScheduleFile.Content rest) {
    queuedSaves.incrementAndGet();
    thread.execute(
        () -> {
          if (unwritten && unwrittenMicrogrid != microgridId) {
            writeNow(); // the copy is about to become another microgrid's
          }
          if (changes.replacesAll()) {
            copy.clear();
          }
          for (HeldState s : changes.changed()) {
            copy.put(s.dispatch().id(), ScheduleFile.encodeHeld(s));
          }
          changes.removed().forEach(copy::remove);
          unwritten = true;
          unwrittenMicrogrid = microgridId;
          unwrittenRest = rest;
          if (queuedSaves.decrementAndGet() == 0) {
            writeWhenRested();
          }
        });
  }

  /**
   * As {@link ScheduleStore#saveLeft}, in order with the saves: what is unwritten of another
   * microgrid goes first, what is unwritten of this one is superseded.
   */
  void saveLeft(long microgridId, List<HeldState> states, Optional<Instant> lastSync) {
    thread.execute(
        () -> {
          if (unwrittenMicrogrid == microgridId) {
            unwritten = false; // the file it would write is written whole below
          }
          writeNow();
          store.saveLeft(microgridId, states, lastSync);
        });
  }

  private void writeWhenRested() {
    long wait = nextWriteAt - System.nanoTime();
    if (wait <= 0) {
      writeNow();
    } else if (delayedWrite == null) {
      delayedWrite =
          thread.schedule(
              () -> {
                delayedWrite = null;
                writeNow();
              },
              wait,
              TimeUnit.NANOSECONDS);
    }
  }

  private void writeNow() {
    if (delayedWrite != null) {
      delayedWrite.cancel(false);
      delayedWrite = null;
    }
    if (!unwritten) {
      return;
    }
    unwritten = false;
    long started = System.nanoTime();
    store.save(unwrittenMicrogrid, unwrittenRest, copy.values(), copy::containsKey);
    long ended = System.nanoTime();
    nextWriteAt = ended + (ended - started) * QUIET;
  }

  /** Writes everything handed over, at once, and waits until it is written. */
  void flush() {
    try {
      thread.submit(this::writeNow).get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
      LOG.log(Level.WARNING, "the persisted dispatch schedule was not written in time", e);
    }
  }

  /** Writes what was handed over, then stops the thread. */
  void close() {
    flush();
    thread.shutdownNow();
  }
}
