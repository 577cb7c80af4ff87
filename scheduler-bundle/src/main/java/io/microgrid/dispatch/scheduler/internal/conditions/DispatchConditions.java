package io.microgrid.dispatch.scheduler.internal.conditions;

import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RunningState;
import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.scheduler.internal.core.Notifications;
import io.microgrid.dispatch.scheduler.internal.runner.ScheduleReadiness;
import io.microgrid.dispatch.support.log.BundleLoggers;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.osgi.service.condition.Condition;

/**
 * The conditions of one scheduler: {@value #READY} with {@value #MICROGRID_ID} while the schedule
 * of that microgrid is loaded, and {@value #RUNNING} with {@value #MICROGRID_ID} and {@value
 * #DISPATCH_TYPE} while at least one dispatch of that type runs there.
 *
 * <p>It sits between the core and delivery: each running-state change passes through it on the
 * scheduler thread, which is where it decides what holds. The registrations themselves go to one
 * thread of their own, in the order decided: registering a service calls the framework's service
 * listeners, SCR's among them, which activate the gated components right there, and a component
 * that calls back into the scheduler would otherwise stall (or deadlock) the thread that keeps
 * time. One thread keeps a withdrawal from overtaking the registration before it.
 */
public final class DispatchConditions implements Notifications, ScheduleReadiness, AutoCloseable {
  /** The condition id of "the schedule of this microgrid is loaded". */
  public static final String READY = "io.microgrid.dispatch.ready";
  /** The condition id of "a dispatch of this type runs in this microgrid". */
  public static final String RUNNING = "io.microgrid.dispatch.running";
  /** The microgrid's id, a Long. */
  public static final String MICROGRID_ID = "microgrid.id";
  /** The dispatch type, a String; on {@value #RUNNING} only. */
  public static final String DISPATCH_TYPE = "dispatch.type";

  private static final System.Logger LOG = BundleLoggers.get(DispatchConditions.class);

  /** Registers a {@link Condition} service; the DS edge does it with its bundle context. */
  @FunctionalInterface
  public interface Registrar {
    /**
     * Registers a condition.
     *
     * @param properties its service properties
     * @return what unregisters it
     */
    Runnable register(Map<String, Object> properties);
  }

  /** One condition: its id, its microgrid and, for {@value #RUNNING}, the dispatch type. */
  private record Key(String conditionId, long microgridId, String type) {
    Map<String, Object> properties() {
      Map<String, Object> p = new LinkedHashMap<>();
      p.put(Condition.CONDITION_ID, conditionId);
      p.put(MICROGRID_ID, microgridId);
      if (type != null) {
        p.put(DISPATCH_TYPE, type);
      }
      return p;
    }
  }

  private final Notifications next;
  private final Registrar registrar;
  private final ExecutorService registering;

  // On the scheduler thread: which condition each running dispatch holds up, and how many hold each.
  private final Map<Long, Key> runningDispatches = new HashMap<>();
  private final Map<Key, Integer> holders = new HashMap<>();

  // On the registering thread.
  private final Map<Key, Runnable> registered = new HashMap<>();

  /**
   * @param next where the notifications go on to (delivery)
   * @param registrar registers the condition services
   * @param threadName the name of the registering thread
   */
  public DispatchConditions(Notifications next, Registrar registrar, String threadName) {
    this.next = Objects.requireNonNull(next, "next");
    this.registrar = Objects.requireNonNull(registrar, "registrar");
    this.threadName = threadName;
    this.registering =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, this.threadName);
              t.setDaemon(true);
              thread = t;
              return t;
            });
  }

  // The name of the registering thread, and the thread once started, so that a rename reaches it.
  private volatile String threadName;
  private volatile Thread thread;

  /**
   * Renames the thread, as when the scheduler moves to another microgrid: a thread dump then
   * names the microgrid served, not the one left.
   *
   * @param name the new name
   */
  public void rename(String name) {
    threadName = name;
    Thread t = thread;
    if (t != null) {
      t.setName(name);
    }
  }

  // ---- on the scheduler thread -----------------------------------------------------------------

  @Override
  public void runningStateChanged(RunningStateChange change) {
    if (change.state() == RunningState.RUNNING) {
      holdFor(change);
    } else {
      Key before = runningDispatches.remove(change.dispatch().id());
      if (before != null) {
        release(before);
      }
    }
    next.runningStateChanged(change);
  }

  @Override
  public void dispatchEvent(DispatchEvent event, Instant due) {
    next.dispatchEvent(event, due);
  }

  /**
   * Also takes what runs now as the truth: a run resumed from the persisted copy was notified
   * before the restart and is not notified again, yet its condition must hold.
   */
  @Override
  public void loaded(long microgridId, List<RunningStateChange> running) {
    running.forEach(this::holdFor);
    show(new Key(READY, microgridId, null));
  }

  @Override
  public void left(long microgridId) {
    withdraw(new Key(READY, microgridId, null));
  }

  /**
   * A running dispatch holds up the condition of its type; told RUNNING again (a change while it
   * runs) it keeps holding it without a gap, or moves to its new type's.
   */
  private void holdFor(RunningStateChange change) {
    Key now = new Key(RUNNING, change.dispatch().microgridId(), change.dispatch().type());
    Key before = runningDispatches.put(change.dispatch().id(), now);
    if (!now.equals(before)) {
      hold(now);
      if (before != null) {
        release(before);
      }
    }
  }

  private void hold(Key key) {
    if (holders.merge(key, 1, Integer::sum) == 1) {
      show(key);
    }
  }

  private void release(Key key) {
    if (holders.merge(key, -1, Integer::sum) == 0) {
      holders.remove(key);
      withdraw(key);
    }
  }

  // ---- handed to the registering thread, in order -------------------------------------------

  private void show(Key key) {
    submit(
        () -> {
          if (!registered.containsKey(key)) {
            registered.put(key, registrar.register(key.properties()));
          }
        });
  }

  private void withdraw(Key key) {
    submit(
        () -> {
          Runnable unregister = registered.remove(key);
          if (unregister != null) {
            unregister.run();
          }
        });
  }

  private void submit(Runnable task) {
    try {
      registering.execute(
          () -> {
            try {
              task.run();
            } catch (RuntimeException e) {
              LOG.log(Level.ERROR, "registering a dispatch condition failed", e);
            }
          });
    } catch (RejectedExecutionException closed) {
      // After close: the scheduler is stopped and every condition is withdrawn.
    }
  }

  /**
   * Withdraws every condition and stops the registering thread; call it after the scheduler has
   * stopped, so that nothing registers one again.
   */
  @Override
  public void close() {
    submit(
        () -> {
          registered.values().forEach(Runnable::run);
          registered.clear();
        });
    registering.shutdown();
    try {
      if (!registering.awaitTermination(10, TimeUnit.SECONDS)) {
        LOG.log(Level.WARNING, "dispatch conditions were not all withdrawn within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
