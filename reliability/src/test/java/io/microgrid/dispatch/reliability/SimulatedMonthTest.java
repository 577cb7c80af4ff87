package io.microgrid.dispatch.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.DispatchLifecycleListener;
import io.microgrid.dispatch.api.DispatchQuery;
import io.microgrid.dispatch.api.DispatchUpdate;
import io.microgrid.dispatch.api.Frequency;
import io.microgrid.dispatch.api.NewDispatch;
import io.microgrid.dispatch.api.Payload;
import io.microgrid.dispatch.api.RecurrenceRule;
import io.microgrid.dispatch.api.RunningStateListener;
import io.microgrid.dispatch.api.TargetComponents;
import io.microgrid.dispatch.client.ClientOptions;
import io.microgrid.dispatch.client.DispatchConnection;
import io.microgrid.dispatch.reliability.SemanticsOracle.Note;
import io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub;
import io.microgrid.dispatch.scheduler.internal.delivery.ListenerSettings;
import io.microgrid.dispatch.scheduler.internal.persist.ScheduleStore;
import io.microgrid.dispatch.scheduler.internal.runner.DispatchScheduler;
import io.microgrid.dispatch.simulator.internal.DispatchSimulator;
import io.microgrid.dispatch.simulator.internal.SimulatorOptions;
import io.microgrid.dispatch.testing.VirtualClock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A simulated month (issue 13): the real scheduler with its persisted schedule, the real client
 * through a {@link FaultProxy}, and the real simulator on its store file, for 30 days of virtual
 * time with 1,000 dispatches held (half recurring, every frequency), while everything that goes
 * wrong in the field goes wrong: the stream breaks, the link is down for hours while the server's
 * dispatches change, the server restarts on its store, the client is reconfigured live, device
 * listeners and merged bindings come and go, the wall clock steps ±2 s, and the gateway stops and
 * starts again from its persisted file.
 *
 * <p>Every running-state notification every listener receives is compared with {@link
 * SemanticsOracle} and {@link ListenerSession}: nothing lost, nothing duplicated, nothing out of
 * order; every lifecycle event once per change that reached the gateway (§4); and after every
 * recovery the gateway's copy equals the server's list. The persisted file's size and the heap
 * after GC are taken on day 2 and on the last day, and must not grow with the days.
 *
 * <p>Time is virtual, the network and the threads are real. {@code -Dsoak.days=365} is the year
 * variant that {@code .ci/reliability-figures} runs.
 */
class SimulatedMonthTest {
  private static final int DAYS = Integer.getInteger("soak.days", 30);
  private static final int DISPATCHES = 1000;
  private static final long MG = 9;
  private static final Instant T0 = Instant.parse("2031-03-01T00:00:00Z");
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration TICK = Duration.ofMinutes(5);
  private static final List<String> TYPES = List.of("CHARGE", "DISCHARGE", "CURTAIL", "HOLD");

  @TempDir Path tempDir;
  // The server's store and the persisted schedule, on tmpfs where there is one: both files are
  // made durable (fsync) at every write, which on a disk would make the month last for minutes,
  // and what is checked here is what they hold, not how fast the disk is.
  private Path dir;

  private final Random random = new Random(Long.getLong("soak.seed", 20261202L));
  // The server keeps true time; the gateway's wall clock is off by a step now and then.
  private final VirtualClock serverClock = new VirtualClock(T0);
  private final VirtualClock gatewayClock = new VirtualClock(T0);
  private Duration offset = Duration.ZERO;
  private Instant now = T0;

  private final SemanticsOracle oracle = new SemanticsOracle(T0.plus(Duration.ofDays(DAYS + 1)));
  private DispatchSimulator server;
  private FaultProxy proxy;
  private DispatchConnection admin;
  private Gateway gateway;
  // Changes the server made while the gateway could not hear them: id -> last version (null: deleted).
  private Map<Long, Dispatch> unheard;
  private final Map<Long, Dispatch> onServer = new TreeMap<>();
  private final Lifecycle lifecycle = new Lifecycle();
  private final List<Device> devices = new ArrayList<>();
  private long nextServiceId = 1000;
  private final List<String> trace = new ArrayList<>();

  // Figures.
  private final Map<String, Integer> faults = new LinkedHashMap<>();
  private int compared;
  private int lost;
  private int unexpected;
  private int outOfOrder;
  private final List<String> failures = new ArrayList<>();
  private int changes;
  private long fileDay2;
  private long fileLast;
  private long heapDay2;
  private long heapLast;

  /** A device bundle's listener, or a binding (merged by type), that comes and goes. */
  private final class Device {
    final String name;
    final String typeFilter;
    final boolean merged;
    long serviceId;
    ListenerSession session;
    Map<Long, Note> memory; // carried across a gateway restart

    Device(String name, String typeFilter, boolean merged) {
      this.name = name;
      this.typeFilter = typeFilter;
      this.merged = merged;
    }

    Map<String, Object> properties() {
      Map<String, Object> p = new HashMap<>();
      p.put(RunningStateListener.TYPE, typeFilter);
      if (merged) {
        p.put(RunningStateListener.MERGE, "type");
      }
      return p;
    }
  }

  /**
   * The lifecycle events the gateway's lifecycle listener received, and those it is owed. Pairs
   * that match are settled each day, so that a year's soak measures the gateway's heap, not the
   * test's records.
   */
  private static final class Lifecycle implements DispatchLifecycleListener {
    private final List<String> received = new ArrayList<>();
    private final List<String> owed = new ArrayList<>();
    private int settled;

    synchronized void owe(String line) {
      owed.add(line);
    }

    /** Owed events compared so far, settled or not. */
    synchronized int compared() {
      return settled + owed.size();
    }

    /** Drops each owed event with the received one that matches it; what is left is compared at the end. */
    synchronized void settle() {
      for (var it = owed.iterator(); it.hasNext(); ) {
        if (received.remove(it.next())) {
          it.remove();
          settled++;
        }
      }
    }

    synchronized List<String> owed() {
      return List.copyOf(owed);
    }

    @Override
    public synchronized void onDispatchEvent(DispatchEvent event) {
      received.add(line(event.getClass().getSimpleName(), event.dispatch()));
      notifyAll();
    }

    static String line(String kind, Dispatch d) {
      return kind + " #" + d.id() + " " + d.updateTime();
    }

    synchronized List<String> received() {
      return List.copyOf(received);
    }

    synchronized void awaitReceived(String line) throws InterruptedException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!received.contains(line)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("the gateway never told " + line);
        }
        java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }
  }

  /** The gateway: delivery hub, scheduler with its persisted schedule, client behind the proxy. */
  private final class Gateway {
    final DeliveryHub hub = new DeliveryHub(MG, ListenerSettings.DEFAULT, gatewayClock, "soak-");
    final DispatchScheduler scheduler =
        new DispatchScheduler(
            MG, gatewayClock, hub, new ScheduleStore(mg -> scheduleFile(), gatewayClock), hub.listeners());
    DispatchConnection client;

    void connect(ClientOptions options) throws InterruptedException {
      scheduler.execute(() -> hub.listeners().addLifecycleListener(1, Map.of(), lifecycle));
      client = DispatchConnection.open(options, gatewayClock);
      scheduler.useClient(client);
      assertTrue(scheduler.awaitSyncs(1, WAIT), "the gateway's first sync");
    }

    void tick() {
      scheduler.execute(() -> {});
      scheduler.query(() -> null);
    }

    void close() {
      scheduler.close();
      hub.close();
      client.close();
    }
  }

  private Path scheduleFile() {
    return dir.resolve("schedule-" + MG + ".pb");
  }

  @org.junit.jupiter.api.BeforeEach
  void files() throws IOException {
    Path shm = Path.of("/dev/shm");
    dir = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "simulated-month-") : tempDir;
  }

  @AfterEach
  void stop() throws IOException {
    if (gateway != null) {
      gateway.close();
    }
    for (AutoCloseable c : new AutoCloseable[] {admin, proxy, server}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception e) {
        // closing anyway
      }
    }
    if (!dir.equals(tempDir)) {
      try (var files = Files.walk(dir)) {
        for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  private ClientOptions gatewayOptions(int variant) {
    // Live reconfigurations alternate between these: another key (a new channel, to which the
    // open stream moves), another backoff and call timeout.
    return ClientOptions.builder("grpc://127.0.0.1:" + proxy.port() + "?ssl=false")
        .key("gateway-key-" + variant % 2)
        .callTimeout(Duration.ofSeconds(variant % 2 == 0 ? 10 : 12))
        .reconnectDelay(Duration.ofMillis(variant % 2 == 0 ? 20 : 30), Duration.ofMillis(200))
        .build();
  }

  private DispatchSimulator startServer(int port) throws IOException {
    return DispatchSimulator.start(
        SimulatorOptions.builder().port(port).storeFile(dir.resolve("store.pb")).clock(serverClock).build());
  }

  private void openAdmin() {
    admin =
        DispatchConnection.open(
            ClientOptions.builder("grpc://127.0.0.1:" + server.port() + "?ssl=false")
                .callTimeout(Duration.ofSeconds(10))
                .build(),
            serverClock);
  }

  @Test
  void aMonthOfFaultsLosesDuplicatesAndReordersNothing() throws Exception {
    long started = System.nanoTime();
    server = startServer(0);
    proxy = FaultProxy.start(server.port());
    openAdmin();
    devices.add(new Device("meter (all types)", "*", false));
    devices.add(new Device("battery charger", "CHARGE", false));
    devices.add(new Device("inverter", "DISCHARGE", false));
    devices.add(new Device("logger (all types)", "*", false));
    devices.add(new Device("binding CHARGE, merged by type", "CHARGE", true));
    devices.add(new Device("binding all types, merged by type", "*", true));
    startGateway();
    devices.forEach(this::register);

    for (int day = 0; day < DAYS; day++) {
      long dayStarted = System.nanoTime();
      runDay(day);
      lifecycle.settle();
      System.out.printf("simulated day %d: %d ms, %d notifications compared so far%n", day,
          (System.nanoTime() - dayStarted) / 1_000_000, compared);
      if (day == 1) {
        measure(true);
      }
    }
    measure(false);
    for (Device d : devices) {
      if (d.session != null) {
        unregister(d);
      }
    }
    long tookSeconds = (System.nanoTime() - started) / 1_000_000_000;

    List<String> lifecycleFailures = compareLifecycle();
    List<String> rows = new ArrayList<>();
    rows.add(Figures.row("virtual days / dispatches held / changes made on the server",
        DAYS + " / " + DISPATCHES + " / " + changes));
    rows.add(Figures.row("running-state notifications compared with the oracle", compared));
    rows.add(Figures.row("lifecycle events compared", lifecycle.compared()));
    rows.add(Figures.row("lost / duplicated or unexpected / out of order",
        lost + " / " + unexpected + " / " + outOfOrder));
    rows.add(Figures.row("faults injected", faults.values().stream().mapToInt(Integer::intValue).sum() + " ("
        + String.join(", ", faults.entrySet().stream().map(e -> e.getValue() + " " + e.getKey()).toList()) + ")"));
    rows.add(Figures.row("persisted file, day 2 / day " + DAYS, fileDay2 + " / " + fileLast + " bytes"));
    rows.add(Figures.row("heap after GC, day 2 / day " + DAYS,
        heapDay2 / (1024 * 1024) + " / " + heapLast / (1024 * 1024) + " MB"));
    rows.add(Figures.row("wall time", tookSeconds + " s"));
    Figures.publish(DAYS >= 365 ? "Simulated year" : "Simulated month", rows);

    assertEquals(List.of(), failures, "notifications that differ from the oracle");
    assertEquals(0, lost + unexpected + outOfOrder, "lost / unexpected / out of order");
    assertEquals(List.of(), lifecycleFailures, "lifecycle events");
    assertTrue(compared > 10_000, "a month has many notifications: " + compared);
    assertTrue(fileLast <= fileDay2 + fileDay2 / 5, "the file stays flat: " + fileDay2 + " -> " + fileLast);
    assertTrue(heapLast <= heapDay2 + 24L * 1024 * 1024, "the heap stays flat: " + heapDay2 + " -> " + heapLast);
  }

  // ---- one day ---------------------------------------------------------------------------------

  /**
   * An action in a 10 s slot of the day, 5.5 s into it: never on a whole second, as transitions
   * are, and never two within the 2 s that a step back of the clock lives twice.
   */
  private interface Action {
    void run() throws Exception;
  }

  private void runDay(int day) throws Exception {
    TreeMap<Integer, Action> actions = new TreeMap<>();
    int creates = day == 0 ? 600 : day == 1 ? DISPATCHES - 600 : 30;
    int deletes = day <= 1 ? 0 : 30;
    for (int i = 0; i < creates; i++) {
      put(actions, "create", this::create);
    }
    for (int i = 0; i < deletes; i++) {
      put(actions, "deleteOne", this::deleteOne);
    }
    for (int i = 0; i < 40; i++) {
      put(actions, "updateOne", this::updateOne);
    }
    put(actions, "streamBreak", this::streamBreak);
    put(actions, "streamBreak", this::streamBreak);
    put(actions, "outage", this::outage);
    if (day % 3 == 2) {
      put(actions, "serverRestart", this::serverRestart);
    }
    if (day % 2 == 1) {
      put(actions, "reconfigureClient", this::reconfigureClient);
    }
    if (day % 4 == 3) {
      put(actions, "gatewayRestart", this::gatewayRestart);
    }
    for (int i = 0; i < 3; i++) {
      put(actions, "churn", this::churn);
    }
    put(actions, "clockStep", this::clockStep);
    Instant dayStart = T0.plus(Duration.ofDays(day));
    for (Map.Entry<Integer, Action> a : actions.entrySet()) {
      // Actions whose slot an outage or a restart has passed come one second apart: the server
      // stamps changes with its clock, and two changes of one dispatch at one instant would be
      // one version twice (the gateway keeps the first, as §3 says of an event not newer).
      Instant slot = dayStart.plusSeconds(10L * a.getKey()).plusMillis(5_500);
      moveTo(slot.isAfter(now) ? slot : now.plusSeconds(1));
      trace.add(gatewayNow() + " " + a.getValue());
      a.getValue().run();
      trace.add(gatewayNow() + " done");
      while (trace.size() > 60) {
        trace.remove(0);
      }
    }
    moveTo(dayStart.plus(Duration.ofDays(1)).minusSeconds(5).minusMillis(500));
  }

  private void put(TreeMap<Integer, Action> actions, String name, Action a) {
    int slot;
    do {
      slot = random.nextInt(24 * 360);
    } while (actions.containsKey(slot));
    actions.put(slot, new Action() {
      @Override
      public void run() throws Exception {
        a.run();
      }

      @Override
      public String toString() {
        return name;
      }
    });
  }

  /** Moves the clocks on to {@code t}, the gateway ticking every five minutes on the way. */
  private void moveTo(Instant t) throws InterruptedException {
    while (now.isBefore(t)) {
      Instant next = now.plus(TICK).isBefore(t) ? now.plus(TICK) : t;
      now = next;
      serverClock.set(now);
      gatewayClock.set(now.plus(offset));
      if (gateway != null) {
        gateway.tick();
        oracle.advanceTo(gatewayNow(), this::deliver);
      }
    }
  }

  private Instant gatewayNow() {
    return gatewayClock.instant();
  }

  /** Hands an oracle notification to the registrations it concerns. */
  private void deliver(Note n) {
    for (Device d : devices) {
      if (d.session != null) {
        d.session.owe(n);
      }
    }
  }

  private void bump(String fault) {
    faults.merge(fault, 1, Integer::sum);
  }

  // ---- changes on the server -------------------------------------------------------------------

  private void create() throws InterruptedException {
    Dispatch d = admin.create(MG, newDispatch());
    onServer.put(d.id(), d);
    heard(d.id(), d);
  }

  private void deleteOne() throws InterruptedException {
    if (onServer.isEmpty()) {
      return;
    }
    long id = pick();
    Dispatch d = onServer.remove(id);
    admin.delete(MG, id);
    // Deletion has no modification time of its own; the event carries the last version.
    heardDeletion(id, d);
  }

  private void updateOne() throws InterruptedException {
    if (onServer.isEmpty()) {
      return;
    }
    long id = pick();
    Dispatch d = admin.update(MG, id, randomUpdate(onServer.get(id)));
    onServer.put(id, d);
    heard(id, d);
  }

  private long pick() {
    List<Long> ids = new ArrayList<>(onServer.keySet());
    return ids.get(random.nextInt(ids.size()));
  }

  /** A change the gateway hears at once, or at the end of the outage it happens in. */
  private void heard(long id, Dispatch d) throws InterruptedException {
    changes++;
    if (unheard != null) {
      unheard.put(id, d);
      return;
    }
    String kind = oracle.version(id) == null ? "Created" : "Updated";
    lifecycle.awaitReceived(Lifecycle.line(kind, d));
    lifecycle.owe(Lifecycle.line(kind, d));
    oracle.change(gatewayNow(), id, d, this::deliver);
  }

  private void heardDeletion(long id, Dispatch last) throws InterruptedException {
    changes++;
    if (unheard != null) {
      unheard.put(id, null);
      return;
    }
    lifecycle.awaitReceived(Lifecycle.line("Deleted", last));
    lifecycle.owe(Lifecycle.line("Deleted", last));
    oracle.change(gatewayNow(), id, null, this::deliver);
  }

  /** After a resync: the changes the gateway missed, as one list makes them known at once. */
  private void catchUpUnheard() {
    Map<Long, Dispatch> missed = unheard;
    unheard = null;
    Instant at = gatewayNow();
    for (Map.Entry<Long, Dispatch> e : new TreeMap<>(missed).entrySet()) {
      Dispatch before = oracle.version(e.getKey());
      Dispatch after = e.getValue();
      if (before == null && after == null) {
        continue; // created and deleted while unheard: never known
      }
      String kind = before == null ? "Created" : after == null ? "Deleted" : "Updated";
      // A deletion is told with the version the gateway held.
      lifecycle.owe(Lifecycle.line(kind, after == null ? before : after));
      oracle.change(at, e.getKey(), after, this::deliver);
    }
  }

  private NewDispatch newDispatch() {
    String type = TYPES.get(random.nextInt(TYPES.size()));
    long startIn = 60 + random.nextInt(3 * 24 * 3600);
    Instant start = now.plusSeconds(startIn).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    NewDispatch.Builder b =
        NewDispatch.builder(type, TargetComponents.ids(1 + random.nextInt(3), 4 + random.nextInt(3)))
            .startTime(start)
            .dryRun(random.nextInt(10) == 0)
            .payload(Payload.of(Map.of("power_w", 1000 * random.nextInt(10), "mode", type.toLowerCase())));
    if (random.nextBoolean()) {
      int kind = random.nextInt(100);
      if (kind < 4) {
        b.duration(Duration.ZERO);
      } else if (kind < 8) {
        b.infiniteDuration();
      } else {
        b.duration(Duration.ofSeconds(60 + random.nextInt(6 * 3600)));
      }
      return b.build();
    }
    Frequency f = List.of(Frequency.MINUTELY, Frequency.HOURLY, Frequency.DAILY, Frequency.WEEKLY,
        Frequency.MONTHLY, Frequency.YEARLY).get(random.nextInt(6));
    RecurrenceRule.Builder r = RecurrenceRule.builder(f);
    Duration length;
    switch (f) {
      case MINUTELY -> {
        int interval = 5 + random.nextInt(26);
        r.interval(interval).count(3 + random.nextInt(38));
        length = Duration.ofSeconds(30 + random.nextInt(interval * 90)); // sometimes overlapping
      }
      case HOURLY -> {
        int interval = 1 + random.nextInt(6);
        r.interval(interval);
        if (random.nextBoolean()) {
          r.byMinutes(0, 30);
        }
        r.count(5 + random.nextInt(44));
        length = Duration.ofMinutes(5 + random.nextInt(120));
      }
      case DAILY -> {
        r.interval(1 + random.nextInt(3));
        if (random.nextInt(4) == 0) {
          r.byHours(6, 18);
        }
        if (random.nextBoolean()) {
          r.count(3 + random.nextInt(18));
        } else {
          r.until(start.plus(Duration.ofDays(5 + random.nextInt(20))));
        }
        // Now and then back to back: one day long, every day.
        length = random.nextInt(6) == 0 ? Duration.ofDays(1) : Duration.ofMinutes(10 + random.nextInt(360));
      }
      case WEEKLY -> {
        if (random.nextBoolean()) {
          r.byWeekdays(DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY, DayOfWeek.SATURDAY);
        }
        r.count(2 + random.nextInt(7));
        length = Duration.ofMinutes(60 + random.nextInt(24 * 60));
      }
      case MONTHLY -> {
        if (random.nextBoolean()) {
          r.byMonthDays(1, 15, -1);
        }
        r.count(2 + random.nextInt(3));
        length = Duration.ofHours(1 + random.nextInt(12));
      }
      default -> {
        r.count(2);
        length = Duration.ofHours(1 + random.nextInt(6));
      }
    }
    return b.recurrence(r.build()).duration(length).build();
  }

  private DispatchUpdate randomUpdate(Dispatch d) {
    DispatchUpdate.Builder u = DispatchUpdate.builder();
    switch (random.nextInt(5)) {
      case 0 -> u.payload(Payload.of(Map.of("power_w", 1000 * random.nextInt(10), "v", changes)));
      case 1 -> u.duration(Duration.ofSeconds(60 + random.nextInt(4 * 3600)));
      case 2 -> u.active(!d.active());
      case 3 -> u.target(TargetComponents.ids(1 + random.nextInt(9)));
      default -> u.startTime(now.plusSeconds(60 + random.nextInt(24 * 3600))
          .truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    }
    return u.build();
  }

  // ---- faults ----------------------------------------------------------------------------------

  private void awaitResync(int syncs, String what) throws InterruptedException {
    assertTrue(gateway.scheduler.awaitSyncs(syncs + 1, WAIT), "resynced after " + what);
    gateway.tick();
  }

  /** The link is cut; the gateway reconnects at once and lists again. */
  private void streamBreak() throws InterruptedException {
    if (gateway == null) {
      return;
    }
    int syncs = gateway.scheduler.completedSyncs();
    proxy.cut();
    awaitResync(syncs, "a stream break");
    assertLocalCopyEqualsServer("after a stream break");
    bump("stream breaks");
  }

  /** The link is down for up to three hours while the server's dispatches change. */
  private void outage() throws Exception {
    if (gateway == null) {
      return;
    }
    proxy.refuse(true);
    proxy.cut();
    Await.until(() -> !gateway.scheduler.isConnected(), WAIT, () -> "the gateway noticed the outage");
    unheard = new LinkedHashMap<>();
    int syncsBefore = gateway.scheduler.completedSyncs();
    Instant end = now.plus(Duration.ofMinutes(20 + random.nextInt(160)));
    int n = 3 + random.nextInt(6);
    for (int i = 0; i < n; i++) {
      moveTo(now.plus(Duration.between(now, end).dividedBy(n - i)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusMillis(500));
      switch (random.nextInt(3)) {
        case 0 -> create();
        case 1 -> deleteOne();
        default -> updateOne();
      }
    }
    moveTo(end);
    int syncs = gateway.scheduler.completedSyncs();
    assertEquals(syncsBefore, syncs, "no list reached the gateway during the outage");
    proxy.refuse(false);
    awaitResync(syncs, "an outage");
    catchUpUnheard();
    assertLocalCopyEqualsServer("after an outage");
    bump("outages with changes");
  }

  /** The server stops and starts again on its store file, on another port. */
  private void serverRestart() throws Exception {
    int syncs = gateway == null ? 0 : gateway.scheduler.completedSyncs();
    admin.close();
    server.close();
    server = startServer(0);
    proxy.upstream(server.port());
    proxy.cut();
    openAdmin();
    if (gateway != null) {
      awaitResync(syncs, "a server restart");
      assertLocalCopyEqualsServer("after a server restart");
    }
    bump("server restarts");
  }

  private int clientVariant;

  /** ConfigAdmin changes the client's configuration while the stream is open. */
  private void reconfigureClient() throws InterruptedException {
    if (gateway == null) {
      return;
    }
    int syncs = gateway.scheduler.completedSyncs();
    gateway.client.reconfigure(gatewayOptions(++clientVariant));
    awaitResync(syncs, "a live reconfiguration");
    assertLocalCopyEqualsServer("after a live reconfiguration");
    bump("live client reconfigurations");
  }

  /** The framework stops (listeners leave remembering, the schedule is saved) and starts later. */
  private void gatewayRestart() throws Exception {
    stopGateway();
    moveTo(now.plus(Duration.ofMinutes(10 + random.nextInt(8 * 60))).truncatedTo(java.time.temporal.ChronoUnit.SECONDS).plusMillis(500));
    startGateway();
    bump("gateway restarts");
  }

  private final List<String> restarts = new ArrayList<>();

  private void stopGateway() throws InterruptedException {
    restarts.add("stop " + gatewayNow());
    for (Device d : devices) {
      if (d.session != null) {
        endSession(d, true);
      }
    }
    gateway.close();
    gateway = null;
  }

  private void startGateway() throws InterruptedException {
    restarts.add("start " + gatewayNow());
    gateway = new Gateway();
    gateway.tick(); // resumed from the file
    oracle.advanceTo(gatewayNow(), this::deliver);
    for (Device d : devices) {
      if (d.memory != null) {
        register(d);
      }
    }
    gateway.connect(gatewayOptions(clientVariant));
    gateway.tick();
    assertLocalCopyEqualsServer("after a gateway start");
  }

  /** A listener or binding goes away (its bundle stops) or comes back. */
  private void churn() throws InterruptedException {
    if (gateway == null) {
      return;
    }
    Device d = devices.get(1 + random.nextInt(devices.size() - 1));
    if (d.session != null) {
      unregister(d);
    } else {
      register(d);
    }
    bump("listener and binding registrations or removals");
  }

  /**
   * NTP steps the gateway's wall clock by 2 s, forward or back, or undoes an earlier step. After a
   * step forward the transitions it skipped come late, with their own instants; after a step back
   * nothing is told again. Nothing is changed in the 2 s that the clock lives twice, so that what
   * is owed keeps one order of instants.
   */
  private void clockStep() throws InterruptedException {
    if (gateway == null) {
      return;
    }
    if (offset.isZero() ? random.nextBoolean() : offset.isNegative()) {
      offset = offset.plusSeconds(2);
      gatewayClock.advance(Duration.ofSeconds(2));
      gateway.tick();
      oracle.advanceTo(gatewayNow(), this::deliver);
    } else {
      offset = offset.minusSeconds(2);
      gatewayClock.stepBack(Duration.ofSeconds(2));
      gateway.tick();
      moveTo(now.plusSeconds(3));
    }
    bump("clock steps of 2 s");
  }

  // ---- listeners -------------------------------------------------------------------------------

  private void register(Device d) {
    d.serviceId = nextServiceId++;
    Map<Long, Note> memory = d.memory;
    d.memory = null;
    ListenerSession s = new ListenerSession(d.typeFilter, d.merged, gatewayClock, oracle.known(), memory);
    d.session = s;
    long id = d.serviceId;
    String key = "pid:" + d.name;
    gateway.scheduler.execute(
        () -> gateway.hub.listeners().addRunningStateListener(id, d.properties(), s, key, gateway.scheduler.running()));
    gateway.scheduler.query(() -> null);
  }

  private void unregister(Device d) {
    try {
      endSession(d, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for what the registration is owed, removes it and compares. */
  private void endSession(Device d, boolean remember) throws InterruptedException {
    ListenerSession s = d.session;
    try {
      Await.until(s::caughtUp, WAIT, () -> d.name + " received what it is owed");
    } catch (AssertionError e) {
      // Compared below: the shortfall is counted as lost.
    }
    long id = d.serviceId;
    gateway.scheduler.query(
        () -> {
          gateway.hub.listeners().removeRunningStateListener(id, remember);
          return null;
        });
    ListenerSession.Verdict v = s.compare();
    compared += v.compared();
    lost += v.lost();
    unexpected += v.unexpected();
    outOfOrder += v.outOfOrder();
    for (String x : v.examples()) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("#(\\d+)").matcher(x);
      String history = m.find() ? "; its versions: " + oracle.history(Long.parseLong(m.group(1))) : "";
      failures.add(d.name + " from " + s.start + ": " + x + history + "; gateway stops and starts: " + restarts);
    }
    if (!v.examples().isEmpty() && failures.size() <= 5) {
      failures.add("driver trace: " + trace);
    }
    d.memory = remember ? s.memory() : null;
    d.session = null;
  }

  // ---- checks and figures ----------------------------------------------------------------------

  private void assertLocalCopyEqualsServer(String when) {
    List<Dispatch> listed = admin.list(MG, DispatchQuery.ALL).sorted(java.util.Comparator.comparingLong(Dispatch::id)).toList();
    assertEquals(List.copyOf(onServer.values()), listed, "the test's view of the server " + when);
    List<Dispatch> local = gateway.scheduler.query(() -> gateway.scheduler.schedule().dispatches());
    if (!listed.equals(local)) {
      List<Dispatch> onlyServer = new ArrayList<>(listed);
      onlyServer.removeAll(local);
      List<Dispatch> onlyLocal = new ArrayList<>(local);
      onlyLocal.removeAll(listed);
      throw new AssertionError("the gateway's copy " + when + " at " + gatewayNow() + ": the server alone holds "
          + onlyServer + "; the gateway alone " + onlyLocal);
    }
  }


  private List<String> compareLifecycle() {
    lifecycle.settle();
    List<String> missing = new ArrayList<>(lifecycle.owed());
    List<String> problems = new ArrayList<>();
    for (String r : lifecycle.received()) {
      if (!missing.remove(r) && problems.size() < 5) {
        problems.add("unexpected " + r);
      }
    }
    missing.stream().limit(5).forEach(m -> problems.add("lost " + m));
    return problems;
  }

  /** On day 2 and on the last day: the file as the framework's stop leaves it, and the heap after GC. */
  private void measure(boolean day2) throws Exception {
    stopGateway();
    long file = Files.size(scheduleFile());
    startGateway();
    long heap = usedAfterGc();
    if (day2) {
      fileDay2 = file;
      heapDay2 = heap;
    } else {
      fileLast = file;
      heapLast = heap;
    }
  }

  private static long usedAfterGc() {
    var memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }
}
