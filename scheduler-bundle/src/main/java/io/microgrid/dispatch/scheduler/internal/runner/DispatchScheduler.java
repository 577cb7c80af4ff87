package io.microgrid.dispatch.scheduler.internal.runner;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchClient;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchStreamListener;
import io.microgrid.dispatch.api.DispatchSubscription;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.scheduler.internal.core.DispatchSchedule;
import io.microgrid.dispatch.scheduler.internal.core.Interner;
import io.microgrid.dispatch.scheduler.internal.core.Notifications;
import io.microgrid.dispatch.scheduler.internal.delivery.ListenerMemories;
import io.microgrid.dispatch.scheduler.internal.persist.ScheduleFile;
import io.microgrid.dispatch.scheduler.internal.persist.ScheduleStore;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Keeps a microgrid's {@link DispatchSchedule} in step with the Dispatch API and runs it on time:
 * one scheduler thread applies every change and every due transition, in order; a second thread
 * reads the full list from the server, so that a slow list never delays a transition.
 *
 * <p>Sync (semantics §5): the stream is opened first; each time it (re)connects, everything is
 * listed again and compared with the local copy. Events that arrive while the list is read are
 * applied at once and win over the list. While the server is away the local schedule keeps
 * running.
 *
 * <p>Persisted schedule (optional, a {@link ScheduleStore}): before anything else the scheduler
 * resumes from the copy on disk and runs it at once, before the server answers; the first sync
 * then diffs as on a reconnect. After each change a save is due within {@link #SAVE_DELAY}, so a
 * burst of changes costs one write, not one per change; closing saves at once. Each save hands
 * the store an immutable snapshot taken on the scheduler thread: the held dispatches and what the
 * listeners were told ({@link ListenerMemories}), which a restart gives back to them.
 */
public final class DispatchScheduler implements AutoCloseable {
  private static final System.Logger LOG = BundleLoggers.get(DispatchScheduler.class);
  // The first retry of a failed list comes soon: at a gateway's start the server (its own
  // simulator, or a proxy) is often a few milliseconds from listening, and a 1 s first retry was
  // most of the launcher's 1.9 s to its first notification. It doubles from there.
  private static final Duration FIRST_LIST_RETRY = Duration.ofMillis(100);
  private static final Duration MAX_LIST_RETRY = Duration.ofSeconds(60);
  /** How much earlier than a transition the thread wakes, to spin the rest (see awaitDue). */
  private static final long WAKE_EARLY_NANOS = TimeUnit.MICROSECONDS.toNanos(200);
  /**
   * The full list asks for pages of 1 000: a server's default page (100 in the simulator) makes a
   * sync of 100 000 dispatches a thousand round trips. A server that allows fewer per page sends
   * fewer, and the client follows the page tokens either way.
   */
  static final DispatchQuery SYNC_QUERY = DispatchQuery.builder().pageSize(1000).build();

  /**
   * How long a change waits for others before the copy on disk is rewritten: bounds both the writes
   * (at most one per delay, whatever the rate of stream events) and what a crash can lose.
   */
  static final Duration SAVE_DELAY = Duration.ofMillis(200);

  private final Clock clock;
  private final DispatchSchedule schedule;
  private final ScheduledThreadPoolExecutor thread;
  private final ExecutorService lister;
  private final ScheduleStore store;
  // Writes what the store keeps, off the scheduler thread; null without a store.
  private final ScheduleSaver saver;
  private final ListenerMemories memories;
  private final ScheduleReadiness readiness;

  // Owned by the scheduler thread.
  private long microgridId;
  // The microgrid the threads are named after; read by the thread factories on any thread.
  private volatile long namesFor;
  // The list thread once started, so that a change of microgrid renames it at once.
  private volatile Thread listerThread;
  private DispatchClient client;
  // Written on the scheduler thread, read by health checks.
  private volatile DispatchSubscription subscription;
  private int syncGeneration;
  private Set<Long> touchedDuringList;
  private Duration listRetry = FIRST_LIST_RETRY;
  private Optional<Instant> lastSync = Optional.empty();
  private ScheduledFuture<?> pendingSave;
  private ScheduledFuture<?> wakeUp;
  private Instant wakeUpAt;
  private boolean closed;
  // Whether readiness was told that the schedule of the microgrid followed is loaded.
  private boolean loaded;

  // Completed syncs, for health reporting and for callers that wait until the copy is in step.
  private final Object syncMonitor = new Object();
  private int completedSyncs;

  /**
   * @param microgridId the microgrid to follow
   * @param clock where "now" comes from
   * @param out where notifications go (called on the scheduler thread)
   */
  public DispatchScheduler(long microgridId, Clock clock, Notifications out) {
    this(microgridId, clock, out, null, ListenerMemories.NONE);
  }

  /**
   * Makes a scheduler that keeps its copy on disk, without listener memories.
   *
   * @param microgridId the microgrid to follow
   * @param clock where "now" comes from
   * @param out where notifications go (called on the scheduler thread)
   * @param store where the copy is kept; null for none
   */
  public DispatchScheduler(long microgridId, Clock clock, Notifications out, ScheduleStore store) {
    this(microgridId, clock, out, store, ListenerMemories.NONE);
  }

  /**
   * Makes a scheduler that keeps its copy on disk and resumes from it first, on its thread, before
   * any other task.
   *
   * @param microgridId the microgrid to follow
   * @param clock where "now" comes from
   * @param out where notifications go (called on the scheduler thread)
   * @param store where the copy is kept; null for none
   * @param memories what the listeners were told, kept with the copy (called on the scheduler
   *     thread)
   */
  public DispatchScheduler(
      long microgridId,
      Clock clock,
      Notifications out,
      ScheduleStore store,
      ListenerMemories memories) {
    this(microgridId, clock, out, store, memories, ScheduleReadiness.NONE);
  }

  /**
   * As {@link #DispatchScheduler(long, Clock, Notifications, ScheduleStore, ListenerMemories)},
   * telling {@code readiness} when the schedule is loaded and when a microgrid is left.
   *
   * @param microgridId the microgrid to follow
   * @param clock where "now" comes from
   * @param out where notifications go (called on the scheduler thread)
   * @param store where the copy is kept; null for none
   * @param memories what the listeners were told, kept with the copy (called on the scheduler
   *     thread)
   * @param readiness told when the schedule is loaded (called on the scheduler thread)
   */
  public DispatchScheduler(
      long microgridId,
      Clock clock,
      Notifications out,
      ScheduleStore store,
      ListenerMemories memories,
      ScheduleReadiness readiness) {
    this.readiness = java.util.Objects.requireNonNull(readiness, "readiness");
    this.microgridId = microgridId;
    this.clock = clock;
    this.schedule = new DispatchSchedule(microgridId, out);
    this.store = store;
    this.saver = store == null ? null : new ScheduleSaver(store, named("dispatch-save-"));
    this.memories = java.util.Objects.requireNonNull(memories, "memories");
    this.namesFor = microgridId;
    this.thread = new ScheduledThreadPoolExecutor(1, named("dispatch-scheduler-"));
    this.thread.setRemoveOnCancelPolicy(true);
    java.util.concurrent.ThreadFactory sync = named("dispatch-sync-");
    this.lister =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = sync.newThread(r);
              listerThread = t;
              return t;
            });
    if (store != null) {
      execute(this::resume);
    }
  }

  /** Names a thread after the microgrid followed when it starts (see {@link #namesFor}). */
  private java.util.concurrent.ThreadFactory named(String prefix) {
    return r -> {
      Thread t = new Thread(r, prefix + namesFor);
      t.setDaemon(true);
      return t;
    };
  }

  /**
   * Runs a task on the scheduler thread, after everything queued before it; then re-arms the
   * wake-up for the next transition. Tasks that change listeners go through here so that a new
   * listener's catch-up and the notifications after it are in one order.
   *
   * @param task the task, which may use {@link #schedule()}
   */
  public void execute(Runnable task) {
    thread.execute(
        () -> {
          if (closed) {
            return;
          }
          try {
            task.run();
          } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "dispatch scheduler task of microgrid " + microgridId + " failed", e);
          }
          tick();
          saveSoon();
        });
  }

  /**
   * Runs a query on the scheduler thread and waits for its answer.
   *
   * @param query the query
   * @param <T> the answer's type
   * @return the answer
   */
  public <T> T query(Callable<T> query) {
    try {
      return thread.submit(query).get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("scheduler query failed", e);
    }
  }

  /**
   * Returns the schedule; use it only from the scheduler thread ({@link #execute}, {@link
   * #query}).
   *
   * @return the schedule
   */
  public DispatchSchedule schedule() {
    return schedule;
  }

  /**
   * Returns the dispatches running now, as the RUNNING snapshots a listener registered now is told
   * of; use it only from the scheduler thread, where it is in step with the notifications around
   * it.
   *
   * @return the snapshots
   */
  public List<RunningStateChange> running() {
    return schedule.running(clock.instant());
  }

  /**
   * Returns the current instant of the scheduler's clock.
   *
   * @return now
   */
  public Instant now() {
    return clock.instant();
  }

  /**
   * Follows the dispatches of this microgrid through a client (or stops following, with null),
   * keeping the local schedule running in between.
   *
   * @param newClient the client, or null when none is available
   */
  public void useClient(DispatchClient newClient) {
    execute(
        () -> {
          closeSubscription();
          client = newClient;
          openSubscription();
        });
  }

  /**
   * Moves to another microgrid: the running dispatches of the old one are stopped and the new
   * one's are loaded from the server.
   *
   * @param newMicrogridId the microgrid to follow
   */
  public void changeMicrogrid(long newMicrogridId) {
    execute(
        () -> {
          if (newMicrogridId == microgridId) {
            return;
          }
          LOG.log(Level.INFO, "dispatch scheduler moves from microgrid {0} to {1}", microgridId, newMicrogridId);
          closeSubscription();
          List<DispatchSchedule.HeldState> left = schedule.heldStates();
          schedule.clear(clock.instant());
          if (store != null) {
            cancelSave();
            saver.saveLeft(microgridId, left, lastSync);
          }
          if (loaded) {
            loaded = false;
            readiness.left(microgridId);
          }
          microgridId = newMicrogridId;
          // A thread dump names the microgrid followed, not the one left.
          namesFor = newMicrogridId;
          Thread.currentThread().setName("dispatch-scheduler-" + newMicrogridId);
          Thread listing = listerThread;
          if (listing != null) {
            listing.setName("dispatch-sync-" + newMicrogridId);
          }
          schedule.moveTo(newMicrogridId);
          lastSync = Optional.empty();
          if (store != null) {
            resume();
          }
          openSubscription();
        });
  }

  /**
   * Returns whether the stream of changes from the server is open right now.
   *
   * @return false while the server or the client is away (the local schedule still runs)
   */
  public boolean isConnected() {
    DispatchSubscription s = subscription;
    return s != null && s.isConnected();
  }

  /**
   * Returns how many times the local copy has been brought in step with a full list.
   *
   * @return the count since start
   */
  public int completedSyncs() {
    synchronized (syncMonitor) {
      return completedSyncs;
    }
  }

  /**
   * Waits until the local copy has been brought in step with a full list {@code n} times.
   *
   * @param n the number of completed syncs to wait for
   * @param timeout how long to wait at most
   * @return whether that many syncs completed in time
   * @throws InterruptedException when interrupted while waiting
   */
  public boolean awaitSyncs(int n, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (syncMonitor) {
      while (completedSyncs < n) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(syncMonitor, left);
      }
      return true;
    }
  }

  /**
   * Writes the persisted schedule as it is now, without waiting for the save delay, and waits
   * until it is on disk. The gateway never needs this (its saves follow its changes); a
   * measurement does, to keep the first write of a large schedule out of what it times.
   */
  public void awaitSaved() {
    if (store == null) {
      return;
    }
    query(
        () -> {
          if (!closed) {
            cancelSave();
            save();
          }
          return null;
        });
    saver.flush();
  }

  /**
   * Returns the microgrid followed.
   *
   * @return its id
   */
  public long microgridId() {
    return query(() -> microgridId);
  }

  /**
   * Tells STOPPED for everything running and empties the schedule, on disk too, then stops
   * following the server; waits until done. For a scheduler whose configuration was deleted
   * (semantics §9): nothing would ever stop what its listeners were told runs, and a later
   * configuration of the same microgrid must start afresh rather than resume runs told stopped.
   * Call {@link #close()} afterwards.
   */
  public void stopRunning() {
    query(
        () -> {
          if (closed) {
            return null;
          }
          closeSubscription();
          schedule.clear(clock.instant());
          lastSync = Optional.empty();
          if (store != null) {
            cancelSave();
            save();
            saver.flush();
          }
          return null;
        });
  }

  /** Stops following and stops the threads; nothing is notified afterwards. */
  @Override
  public void close() {
    try {
      thread.submit(
              () -> {
                closeSubscription();
                if (store != null && !closed) {
                  cancelSave();
                  save();
                }
                closed = true;
              })
          .get(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException | java.util.concurrent.RejectedExecutionException e) {
      LOG.log(Level.WARNING, "dispatch scheduler of microgrid " + microgridId + " did not stop cleanly", e);
    }
    thread.shutdownNow();
    lister.shutdownNow();
    if (saver != null) {
      saver.close();
    }
  }

  // ---- on the scheduler thread ---------------------------------------------------------------

  private void tick() {
    if (closed) {
      return;
    }
    schedule.advance(clock.instant());
    Optional<Instant> next = schedule.nextDue();
    if (next.equals(Optional.ofNullable(wakeUpAt)) && wakeUp != null && !wakeUp.isDone()) {
      return;
    }
    if (wakeUp != null) {
      wakeUp.cancel(false);
      wakeUp = null;
      wakeUpAt = null;
    }
    next.ifPresent(
        at -> {
          long delayNanos =
              Math.max(0, Duration.between(clock.instant(), at).toNanos() - WAKE_EARLY_NANOS);
          wakeUpAt = at;
          wakeUp = thread.schedule(this::wokeUp, delayNanos, TimeUnit.NANOSECONDS);
        });
  }

  /**
   * The armed wake-up fired. It is no longer pending, so that {@link #tick()} arms it again when it
   * fired before the transition was due (the wall clock stepped back since it was armed): while it
   * runs, its own future is not done yet and would pass for a pending wake-up.
   */
  private void wokeUp() {
    awaitDue(wakeUpAt);
    wakeUp = null;
    wakeUpAt = null;
    tick();
    saveSoon();
  }

  /**
   * Spins the last moment before a transition is due. The wake-up is armed {@link
   * #WAKE_EARLY_NANOS} early, because a thread woken from a timed wait runs tens to hundreds of
   * microseconds late; spinning the rest applies the transition at its instant instead of after
   * that latency. Bounded by {@link System#nanoTime()}, so a clock that does not move (a test's)
   * or steps back never holds the thread: then the tick finds nothing due and arms again.
   */
  private void awaitDue(Instant at) {
    if (at == null) {
      return;
    }
    long spinUntil = System.nanoTime() + 2 * WAKE_EARLY_NANOS;
    while (clock.instant().isBefore(at) && System.nanoTime() - spinUntil < 0) {
      Thread.onSpinWait();
    }
  }

  /**
   * Resumes the schedule, and the listeners' memories, from the copy on disk of the microgrid
   * followed. Never fails: without a readable copy the schedule starts empty.
   */
  private void resume() {
    long mg = schedule.microgridId();
    // A save handed over before (of this microgrid, when the scheduler came back to it) must be
    // on disk before the file is read.
    saver.flush();
    Optional<ScheduleFile.Content> content = store.load(mg);
    lastSync = content.isEmpty() ? Optional.empty() : restore(mg, content.get());
    // After the restore: what ended while the gateway was down is still owed to the listeners
    // that come back, so the restore's STOPPED must not prune their memories (semantics §9).
    memories.remember(
        content.map(ScheduleFile.Content::listeners).orElse(Map.of()),
        content.map(ScheduleFile.Content::unclaimedSince).orElse(Map.of()));
    // A copy on disk is what an offline gateway runs, so it counts as loaded; without a readable
    // copy the schedule is empty, and only the first full list from the server loads it.
    if (content.isPresent()) {
      markLoaded();
    }
  }

  /** Tells readiness, once per microgrid followed, that its schedule is loaded. */
  private void markLoaded() {
    if (!loaded) {
      loaded = true;
      readiness.loaded(schedule.microgridId(), running());
    }
  }

  private Optional<Instant> restore(long mg, ScheduleFile.Content content) {
    Instant now = clock.instant();
    try {
      schedule.restore(content.dispatches(), now);
    } catch (RuntimeException e) {
      // Never expected (the file was checked when read); still, a start must not fail on it.
      LOG.log(
          Level.WARNING,
          "dispatch scheduler of microgrid " + mg + ": cannot resume from " + store.fileOf(mg)
              + "; starting empty and waiting for the server",
          e);
      schedule.restore(List.of(), now);
      return Optional.empty();
    }
    LOG.log(
        Level.INFO,
        "dispatch scheduler of microgrid {0} resumed {1} dispatches from {2} (last in step with the"
            + " server at {3})",
        mg,
        content.dispatches().size(),
        store.fileOf(mg),
        content.lastSync().map(Instant::toString).orElse("never"));
    return content.lastSync();
  }

  /**
   * Hands the saver what changed in the schedule and the listeners' memories as they are now: the
   * cost on this thread is that of the changes, not of every dispatch held.
   */
  private void save() {
    saver.save(
        schedule.microgridId(),
        schedule.takeHeldChanges(),
        new ScheduleFile.Content(lastSync, List.of(), memories.memories(), memories.unclaimedSince()));
  }

  /** Arms one save within {@link #SAVE_DELAY}, unless one is armed already (coalescing). */
  private void saveSoon() {
    if (store == null || closed || pendingSave != null) {
      return;
    }
    pendingSave =
        thread.schedule(
            () -> {
              pendingSave = null;
              if (!closed) {
                save();
              }
            },
            SAVE_DELAY.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  private void cancelSave() {
    if (pendingSave != null) {
      pendingSave.cancel(false);
      pendingSave = null;
    }
  }

  private void openSubscription() {
    if (client == null) {
      LOG.log(Level.INFO, "no DispatchClient for microgrid {0} yet: running the local schedule only", microgridId);
      return;
    }
    DispatchClient c = client;
    long mg = microgridId;
    subscription = c.stream(mg, new StreamToScheduler(c, mg));
  }

  private void closeSubscription() {
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
    syncGeneration++;
    touchedDuringList = null;
  }

  private boolean stillCurrent(DispatchClient c, long mg) {
    return !closed && c == client && mg == microgridId && subscription != null;
  }

  private void startSync(DispatchClient c, long mg) {
    int generation = ++syncGeneration;
    touchedDuringList = new HashSet<>();
    lister.execute(
        () -> {
          try {
            Interner parts = new Interner();
            List<Dispatch> listed = c.list(mg, SYNC_QUERY).map(parts::dispatch).toList();
            execute(() -> finishSync(c, mg, generation, listed));
          } catch (DispatchApiException | IllegalStateException e) {
            execute(() -> retrySync(c, mg, generation, e));
          }
        });
  }

  private void finishSync(DispatchClient c, long mg, int generation, List<Dispatch> listed) {
    if (generation != syncGeneration || !stillCurrent(c, mg)) {
      return;
    }
    Set<Long> touched = touchedDuringList;
    touchedDuringList = null;
    listRetry = FIRST_LIST_RETRY;
    schedule.sync(listed, touched, clock.instant());
    lastSync = Optional.of(clock.instant());
    markLoaded();
    synchronized (syncMonitor) {
      completedSyncs++;
      syncMonitor.notifyAll();
    }
    LOG.log(Level.INFO, "dispatch scheduler of microgrid {0} in sync: {1} dispatches", mg, listed.size());
  }

  private void retrySync(DispatchClient c, long mg, int generation, RuntimeException e) {
    if (generation != syncGeneration || !stillCurrent(c, mg)) {
      return;
    }
    Duration delay = listRetry;
    listRetry = listRetry.multipliedBy(2).compareTo(MAX_LIST_RETRY) > 0 ? MAX_LIST_RETRY : listRetry.multipliedBy(2);
    LOG.log(
        Level.WARNING,
        "listing the dispatches of microgrid {0} failed ({1}); trying again in {2} ms",
        mg,
        e.getMessage(),
        delay.toMillis());
    thread.schedule(
        () -> execute(
            () -> {
              if (generation == syncGeneration && stillCurrent(c, mg)) {
                startSync(c, mg);
              }
            }),
        delay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Hands what the stream reports to the scheduler thread. */
  private final class StreamToScheduler implements DispatchStreamListener {
    private final DispatchClient c;
    private final long mg;

    StreamToScheduler(DispatchClient c, long mg) {
      this.c = c;
      this.mg = mg;
    }

    @Override
    public void onConnected(boolean reconnect) {
      execute(
          () -> {
            if (stillCurrent(c, mg)) {
              startSync(c, mg);
            }
          });
    }

    @Override
    public void onEvent(DispatchEvent event) {
      execute(
          () -> {
            if (stillCurrent(c, mg)) {
              boolean changed = schedule.apply(event, clock.instant());
              // A deletion is a tombstone even for a dispatch not held yet (the list may predate
              // it); an ignored update of an unknown id must not keep the list from adding it.
              if (touchedDuringList != null && (changed || event instanceof DispatchEvent.Deleted)) {
                touchedDuringList.add(event.dispatch().id());
              }
            }
          });
    }

    @Override
    public void onUnreadable(long dispatchId, String reason) {
      execute(
          () -> {
            if (stillCurrent(c, mg)) {
              // The list being read must not replace what the stream said last about this id.
              if (touchedDuringList != null) {
                touchedDuringList.add(dispatchId);
              }
              // §9: the last readable version keeps running; the client's warning has named the
              // field already, and the next readable update applies as any update does.
              if (schedule.holds(dispatchId)) {
                LOG.log(
                    Level.INFO,
                    "dispatch {0} of microgrid {1}: keeping the last readable version until a readable"
                        + " update arrives",
                    Long.toUnsignedString(dispatchId),
                    mg);
              }
            }
          });
    }

    @Override
    public void onDisconnected(DispatchApiException cause) {
      LOG.log(
          Level.INFO,
          "dispatch stream of microgrid {0} is down ({1}); the local schedule keeps running",
          mg,
          cause.getMessage());
    }
  }
}
