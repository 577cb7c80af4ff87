package io.microgrid.dispatch.scheduler.internal.runner;

import io.microgrid.dispatch.scheduler.internal.core.DispatchSchedule.HeldChanges;
import io.microgrid.dispatch.scheduler.internal.core.DispatchSchedule.HeldState;
import io.microgrid.dispatch.scheduler.internal.persist.ScheduleFile;
import io.microgrid.dispatch.scheduler.internal.persist.ScheduleStore;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Writes the persisted schedule on a thread of its own, so that the scheduler thread never encodes
 * or writes a file: with 100 000 dispatches held, encoding one took it for hundreds of
 * milliseconds, and every transition due meanwhile was that late. The scheduler thread hands over
 * only what changed since its last save ({@link HeldChanges}); this thread keeps a copy of every
 * held state with its encoding, brings it up to date (encoding only what changed) and has the
 * store write it. Saves are written in the order
 * given; one that a later save already queued would overwrite is not written (coalescing, as the
 * runner's save delay does on its side).
 */
final class ScheduleSaver {
  private static final System.Logger LOG = BundleLoggers.get(ScheduleSaver.class);

  private final ScheduleStore store;
  private final ExecutorService thread;
  private final AtomicInteger queuedSaves = new AtomicInteger();

  // Owned by the save thread: every held state of the microgrid last saved, by id, with its bytes
  // in the file.
  private final TreeMap<Long, Encoded> copy = new TreeMap<>();

  private record Encoded(HeldState state, byte[] bytes) {}

  ScheduleSaver(ScheduleStore store, ThreadFactory threads) {
    this.store = store;
    this.thread = Executors.newSingleThreadExecutor(threads);
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
          if (changes.replacesAll()) {
            copy.clear();
          }
          for (HeldState s : changes.changed()) {
            copy.put(s.dispatch().id(), new Encoded(s, ScheduleFile.encodeHeld(s)));
          }
          changes.removed().forEach(copy::remove);
          if (queuedSaves.decrementAndGet() > 0) {
            return;
          }
          List<HeldState> states = new ArrayList<>(copy.size());
          List<byte[]> bytes = new ArrayList<>(copy.size());
          for (Encoded e : copy.values()) {
            states.add(e.state());
            bytes.add(e.bytes());
          }
          store.save(
              microgridId,
              new ScheduleFile.Content(rest.lastSync(), states, rest.listeners(), rest.unclaimedSince()),
              bytes);
        });
  }

  /** As {@link ScheduleStore#saveLeft}, in order with the saves. */
  void saveLeft(long microgridId, List<HeldState> states, Optional<Instant> lastSync) {
    thread.execute(() -> store.saveLeft(microgridId, states, lastSync));
  }

  /** Waits until everything handed over is written, so that the files can be read. */
  void flush() {
    try {
      thread.submit(() -> {}).get(60, TimeUnit.SECONDS);
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
