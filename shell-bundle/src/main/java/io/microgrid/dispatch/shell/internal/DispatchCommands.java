package io.microgrid.dispatch.shell.internal;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchApiException;
import io.microgrid.dispatch.api.DispatchClient;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.shell.text.DispatchInputs;
import io.microgrid.dispatch.shell.text.DispatchText;
import io.microgrid.dispatch.shell.text.LocalFilter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The Gogo commands of scope {@code dispatch}: the Dispatch API of the configured {@link
 * DispatchClient} from the Felix or Karaf shell. Output goes to the session (System.out of the
 * command's thread, which Gogo redirects); a failure is one line starting with {@code dispatch:}
 * on the session's error stream.
 */
@Component(
    service = DispatchCommands.class,
    property = {
      "osgi.command.scope=dispatch",
      "osgi.command.function=list",
      "osgi.command.function=get",
      "osgi.command.function=create",
      "osgi.command.function=update",
      "osgi.command.function=delete",
      "osgi.command.function=watch"
    })
public final class DispatchCommands {
  /** Registers a listener for the duration of {@code watch}. */
  interface ListenerRegistry {
    /**
     * Registers the listener with the given service properties.
     *
     * @return closes the registration
     */
    Runnable register(RunningStateListener listener, Map<String, Object> properties);
  }

  private static final String ABSENT = "";

  private final DispatchClient client;
  private final ListenerRegistry listeners;
  private final Supplier<PrintStream> out;
  private final Supplier<PrintStream> err;

  /**
   * Created by DS.
   *
   * @param client the Dispatch API
   * @param context where {@code watch} registers its listener
   */
  @Activate
  public DispatchCommands(@Reference DispatchClient client, BundleContext context) {
    this(client, registry(context), () -> System.out, () -> System.err);
  }

  DispatchCommands(
      DispatchClient client,
      ListenerRegistry listeners,
      Supplier<PrintStream> out,
      Supplier<PrintStream> err) {
    this.client = client;
    this.listeners = listeners;
    this.out = out;
    this.err = err;
  }

  private static ListenerRegistry registry(BundleContext context) {
    return (listener, properties) -> {
      ServiceRegistration<RunningStateListener> r =
          context.registerService(
              RunningStateListener.class, listener, new Hashtable<>(properties));
      return () -> {
        try {
          r.unregister();
        } catch (IllegalStateException alreadyGone) {
          // the bundle stopped meanwhile
        }
      };
    };
  }

  /** What a command does; a thrown exception becomes one error line. */
  private interface Body {
    void run(PrintWriter out);
  }

  /** Runs a command: prints its output, or one line for its failure. Never throws. */
  private void run(String command, Body body) {
    PrintWriter o = new PrintWriter(out.get(), false);
    try {
      body.run(o);
      o.flush();
    } catch (DispatchApiException e) {
      o.flush();
      fail(command, e.getMessage());
    } catch (IllegalArgumentException | NullPointerException | IllegalStateException e) {
      o.flush();
      fail(command, e.getMessage());
    } catch (RuntimeException e) {
      o.flush();
      fail(command, "unexpected error: " + e);
    }
  }

  private void fail(String command, String message) {
    PrintStream e = err.get();
    e.println("dispatch:" + command + ": " + firstLine(message));
    e.flush();
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "failed";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static long microgrid(String text) {
    return DispatchInputs.parsePositiveId(text, "microgrid id");
  }

  private static long dispatchId(String text) {
    return DispatchInputs.parsePositiveId(text, "dispatch id");
  }

  private static Boolean bool(String option, String text) {
    if (text == null || text.equals(ABSENT)) {
      return null;
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw new IllegalArgumentException(
          option + " must be true or false, got '" + text + "'");
    };
  }

  /**
   * {@code dispatch:list MICROGRID [--active true|false] [--type T] [--id IDS] [--query TEXT]
   * [--running]}.
   *
   * @param active only active (true) or inactive (false) dispatches
   * @param type only dispatches of exactly this type
   * @param ids only these dispatches (ids and ranges)
   * @param query only dispatches matching this text on the server (#4: id 4; else part of the type)
   * @param running only dispatches that run now
   * @param microgrid the microgrid
   */
  @Descriptor("Lists the dispatches of a microgrid as a table")
  public void list(
      @Descriptor("only active (true) or inactive (false) dispatches")
          @Parameter(names = "--active", absentValue = ABSENT)
          String active,
      @Descriptor("only dispatches of exactly this type")
          @Parameter(names = "--type", absentValue = ABSENT)
          String type,
      @Descriptor("only these dispatches, like 5, 1,2 or 4-6")
          @Parameter(names = "--id", absentValue = ABSENT)
          String ids,
      @Descriptor("only dispatches matching this text: #4 is dispatch 4, other text a part of the type")
          @Parameter(names = "--query", absentValue = ABSENT)
          String query,
      @Descriptor("only dispatches that run now")
          @Parameter(names = "--running", absentValue = "false", presentValue = "true")
          boolean running,
      @Descriptor("the microgrid id") String microgrid) {
    run(
        "list",
        o -> {
          long mg = microgrid(microgrid);
          DispatchQuery.Builder q = DispatchQuery.builder();
          Boolean a = bool("--active", active);
          if (a != null) {
            q.active(a);
          }
          if (!ids.equals(ABSENT)) {
            q.dispatchIds(
                DispatchInputs.parseIdArguments(List.of(ids)).stream()
                    .mapToLong(Long::longValue)
                    .toArray());
          }
          if (!query.equals(ABSENT)) {
            q.query(query);
          }
          Set<String> types = type.equals(ABSENT) ? Set.of() : Set.of(type);
          List<Dispatch> all;
          try (Stream<Dispatch> s = client.list(mg, q.build())) {
            all = s.filter(LocalFilter.of(types, running, Instant.now())).toList();
          }
          if (!all.isEmpty()) {
            DispatchText.table(o, all);
          }
          o.println(all.size() == 1 ? "1 dispatch." : all.size() + " dispatches.");
        });
  }

  /**
   * {@code dispatch:get MICROGRID ID}.
   *
   * @param microgrid the microgrid
   * @param id the dispatch
   */
  @Descriptor("Shows one dispatch")
  public void get(
      @Descriptor("the microgrid id") String microgrid,
      @Descriptor("the dispatch id") String id) {
    run(
        "get",
        o -> DispatchText.block(o, client.get(microgrid(microgrid), dispatchId(id))));
  }

  /**
   * {@code dispatch:create MICROGRID TYPE TARGET START [DURATION]}.
   *
   * @param microgrid the microgrid
   * @param type the dispatch type
   * @param target component ids or categories
   * @param start when it starts
   * @param duration how long it runs
   */
  @Descriptor("Creates a dispatch that runs for DURATION (infinite without)")
  public void create(
      @Descriptor("the microgrid id") String microgrid,
      @Descriptor("the dispatch type, e.g. DEMO") String type,
      @Descriptor("component ids (1,2,3) or categories (BATTERY,INVERTER)") String target,
      @Descriptor("when it starts: " + DispatchInputs.TIME_HELP) String start,
      @Descriptor("how long it runs: " + DispatchInputs.DURATION_HELP) String duration) {
    doCreate(microgrid, type, target, start, duration);
  }

  /**
   * {@code dispatch:create MICROGRID TYPE TARGET START}: an infinite dispatch.
   *
   * @param microgrid the microgrid
   * @param type the dispatch type
   * @param target component ids or categories
   * @param start when it starts
   */
  @Descriptor("Creates a dispatch that runs until it is stopped")
  public void create(
      @Descriptor("the microgrid id") String microgrid,
      @Descriptor("the dispatch type, e.g. DEMO") String type,
      @Descriptor("component ids (1,2,3) or categories (BATTERY,INVERTER)") String target,
      @Descriptor("when it starts: " + DispatchInputs.TIME_HELP) String start) {
    doCreate(microgrid, type, target, start, null);
  }

  private void doCreate(
      String microgrid, String type, String target, String start, String duration) {
    run(
        "create",
        o -> {
          long mg = microgrid(microgrid);
          NewDispatch.Builder b =
              NewDispatch.builder(type, DispatchInputs.parseTarget(target));
          DispatchInputs.Time t = DispatchInputs.parseTime(start, Instant.now());
          if (t.now()) {
            b.startNow();
          } else {
            b.startTime(t.instant());
          }
          if (duration != null) {
            b.duration(DispatchInputs.parseDuration(duration));
          }
          Dispatch created = client.create(mg, b.build());
          DispatchText.block(o, created);
          o.println("Dispatch " + created.id() + " created.");
        });
  }

  /**
   * {@code dispatch:update MICROGRID ID [options]}.
   *
   * @param start new start time
   * @param duration new duration
   * @param noDuration make it run until stopped
   * @param active make it active or inactive
   * @param target new target
   * @param payload new payload
   * @param microgrid the microgrid
   * @param id the dispatch
   */
  @Descriptor("Changes the given fields of a dispatch")
  public void update(
      @Descriptor("new start time: " + DispatchInputs.TIME_HELP)
          @Parameter(names = "--start", absentValue = ABSENT)
          String start,
      @Descriptor("new duration: " + DispatchInputs.DURATION_HELP)
          @Parameter(names = "--duration", absentValue = ABSENT)
          String duration,
      @Descriptor("make it run until it is stopped")
          @Parameter(names = "--no-duration", absentValue = "false", presentValue = "true")
          boolean noDuration,
      @Descriptor("true: it runs when due; false: kept, but it does not run")
          @Parameter(names = "--active", absentValue = ABSENT)
          String active,
      @Descriptor("new target: component ids (1,2,3) or categories (BATTERY,INVERTER)")
          @Parameter(names = "--target", absentValue = ABSENT)
          String target,
      @Descriptor("new payload, a JSON object (replaces the whole object)")
          @Parameter(names = "--payload", absentValue = ABSENT)
          String payload,
      @Descriptor("the microgrid id") String microgrid,
      @Descriptor("the dispatch id") String id) {
    run(
        "update",
        o -> {
          long mg = microgrid(microgrid);
          long dispatch = dispatchId(id);
          DispatchUpdate.Builder u = DispatchUpdate.builder();
          boolean any = false;
          if (!ABSENT.equals(start)) {
            u.startTime(DispatchInputs.parseTime(start, Instant.now()).instant());
            any = true;
          }
          if (!ABSENT.equals(duration)) {
            if (noDuration) {
              throw new IllegalArgumentException("give --duration or --no-duration, not both");
            }
            u.duration(DispatchInputs.parseDuration(duration));
            any = true;
          }
          if (noDuration) {
            u.infiniteDuration();
            any = true;
          }
          Boolean a = bool("--active", active);
          if (a != null) {
            u.active(a);
            any = true;
          }
          if (!ABSENT.equals(target)) {
            u.target(DispatchInputs.parseTarget(target));
            any = true;
          }
          if (!ABSENT.equals(payload)) {
            u.payload(DispatchInputs.parsePayload(payload));
            any = true;
          }
          if (!any) {
            throw new IllegalArgumentException(
                "nothing to update: give at least one of --start, --duration, --no-duration, "
                    + "--active, --target, --payload");
          }
          Dispatch updated = client.update(mg, dispatch, u.build());
          DispatchText.block(o, updated);
          o.println("Dispatch " + updated.id() + " updated.");
        });
  }

  /**
   * {@code dispatch:delete MICROGRID ID...}.
   *
   * @param microgrid the microgrid
   * @param ids dispatch ids and ranges
   */
  @Descriptor("Deletes dispatches")
  public void delete(
      @Descriptor("the microgrid id") String microgrid,
      @Descriptor("dispatch ids and ranges, like 1 4-6 8..9 10,12") String... ids) {
    run(
        "delete",
        o -> {
          long mg = microgrid(microgrid);
          List<Long> all =
              DispatchInputs.parseIdArguments(ids == null ? List.of() : List.of(ids));
          for (long id : all) {
            try {
              client.delete(mg, id);
              o.println("Dispatch " + id + " deleted.");
            } catch (DispatchApiException e) {
              o.flush();
              fail("delete", "dispatch " + id + ": " + e.getMessage());
            }
          }
        });
  }

  /**
   * {@code dispatch:watch [--type T] [--microgrid N] [--seconds N]}.
   *
   * @param type the dispatch type to watch, {@code *} for all
   * @param microgrid only this microgrid
   * @param seconds stop after this many seconds; 0: until interrupted
   */
  @Descriptor("Prints each running-state change (start, stop, change while running) until Ctrl-C")
  public void watch(
      @Descriptor("only dispatches of this type (default: all)")
          @Parameter(names = "--type", absentValue = "*")
          String type,
      @Descriptor("only dispatches of this microgrid (default: all)")
          @Parameter(names = "--microgrid", absentValue = ABSENT)
          String microgrid,
      @Descriptor("stop after this many seconds (default: until interrupted)")
          @Parameter(names = "--seconds", absentValue = "0")
          String seconds) {
    run(
        "watch",
        o -> {
          Map<String, Object> props = new HashMap<>();
          props.put(RunningStateListener.TYPE, type == null || type.isBlank() ? "*" : type);
          if (!ABSENT.equals(microgrid)) {
            props.put(RunningStateListener.MICROGRID_ID, microgrid(microgrid));
          }
          Duration limit = DispatchInputs.parseDuration(seconds);
          CountDownLatch never = new CountDownLatch(1);
          Object lock = new Object();
          RunningStateListener listener =
              change -> {
                String line = DispatchText.runningStateLine(change);
                synchronized (lock) {
                  o.println(line);
                  o.flush();
                }
              };
          Runnable registration = listeners.register(listener, props);
          synchronized (lock) {
            o.println(
                "Watching "
                    + ("*".equals(props.get(RunningStateListener.TYPE))
                        ? "all types"
                        : "type " + type)
                    + (ABSENT.equals(microgrid) ? "" : " in microgrid " + microgrid)
                    + (limit.isZero() ? "; Ctrl-C to stop." : " for " + DispatchInputs.formatDuration(limit) + "."));
            o.flush();
          }
          try {
            if (limit.isZero()) {
              never.await();
            } else {
              never.await(limit.toMillis(), TimeUnit.MILLISECONDS);
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          } finally {
            registration.run();
          }
        });
  }
}
