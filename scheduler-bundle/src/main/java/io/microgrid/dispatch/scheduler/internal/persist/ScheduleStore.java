package io.microgrid.dispatch.scheduler.internal.persist;

import io.microgrid.dispatch.api.RunningStateChange;
import io.microgrid.dispatch.scheduler.internal.DispatchSchedule;
import io.microgrid.dispatch.scheduler.internal.DispatchSchedule.HeldState;
import io.microgrid.dispatch.scheduler.internal.delivery.DeliveryHub;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;

/**
 * Keeps a scheduler's copy on disk: one {@link ScheduleFile} per microgrid, so that a change of
 * microgrid switches files and each microgrid resumes from its own copy. Called on the scheduler
 * thread only, which owns the schedule and the hub's listener memories.
 *
 * <p>A save that would write what the file already holds is skipped, so a burst of changes that
 * end where they started costs no write. A failed save is logged and the scheduler goes on: the
 * copy in memory is still right, and the next change tries again.
 */
public final class ScheduleStore {
  private static final System.Logger LOG = System.getLogger(ScheduleStore.class.getName());

  private final LongFunction<Path> fileOf;
  private final Clock clock;
  private final DeliveryHub hub;
  private long lastSavedMicrogrid;
  private byte[] lastSaved;
  private volatile long writes;

  /**
   * @param fileOf where the file of a microgrid lives
   * @param clock dates the name of a file moved aside
   * @param hub whose listener memories are kept too; null for none
   */
  public ScheduleStore(LongFunction<Path> fileOf, Clock clock, DeliveryHub hub) {
    this.fileOf = fileOf;
    this.clock = clock;
    this.hub = hub;
  }

  /**
   * Returns where the file of a microgrid lives.
   *
   * @param microgridId the microgrid
   * @return the path
   */
  public Path fileOf(long microgridId) {
    return fileOf.apply(microgridId);
  }

  /**
   * Returns how many times a file was rewritten, for the figures of the coalescing test.
   *
   * @return the count since construction
   */
  public long writes() {
    return writes;
  }

  /**
   * Resumes the schedule (and the hub's listener memories) from the microgrid's file. Never fails:
   * without a readable file the schedule starts empty.
   *
   * @param schedule the schedule, empty
   * @param now the current instant
   * @return when the copy was last in step with the server, if known
   */
  public Optional<Instant> resume(DispatchSchedule schedule, Instant now) {
    long microgridId = schedule.microgridId();
    ScheduleFile file = new ScheduleFile(fileOf(microgridId), microgridId, clock);
    Optional<ScheduleFile.Content> content;
    try {
      content = file.load();
    } catch (IOException e) {
      LOG.log(
          Level.WARNING,
          "dispatch scheduler of microgrid {0}: cannot read or move aside {1} ({2}); starting empty",
          microgridId,
          file.path(),
          e.toString());
      content = Optional.empty();
    }
    if (hub != null) {
      hub.remember(content.map(ScheduleFile.Content::listeners).orElse(Map.of()));
    }
    if (content.isEmpty()) {
      return Optional.empty();
    }
    ScheduleFile.Content c = content.get();
    try {
      schedule.restore(c.dispatches(), now);
    } catch (RuntimeException e) {
      // Never expected (the file was checked when read); still, a start must not fail on it.
      LOG.log(
          Level.WARNING,
          "dispatch scheduler of microgrid " + microgridId + ": cannot resume from " + file.path()
              + "; starting empty and waiting for the server",
          e);
      schedule.restore(java.util.List.of(), now);
      return Optional.empty();
    }
    LOG.log(
        Level.INFO,
        "dispatch scheduler of microgrid {0} resumed {1} dispatches from {2} (last in step with the"
            + " server at {3})",
        microgridId,
        c.dispatches().size(),
        file.path(),
        c.lastSync().map(Instant::toString).orElse("never"));
    return c.lastSync();
  }

  /**
   * Saves the schedule as it is now, with the hub's listener memories.
   *
   * @param schedule the schedule
   * @param lastSync when it was last in step with the server
   */
  public void save(DispatchSchedule schedule, Optional<Instant> lastSync) {
    Map<String, List<RunningStateChange>> memories = hub == null ? Map.of() : hub.memories();
    save(schedule.microgridId(), new ScheduleFile.Content(lastSync, schedule.heldStates(), memories));
  }

  /**
   * Saves a microgrid's copy as it is left when the scheduler moves to another microgrid: every
   * dispatch was told STOPPED, and no listener holds anything of it.
   *
   * @param microgridId the microgrid left
   * @param states its dispatches before they were stopped
   * @param lastSync when it was last in step with the server
   */
  public void saveLeft(long microgridId, List<HeldState> states, Optional<Instant> lastSync) {
    List<HeldState> stopped =
        states.stream()
            .map(s -> new HeldState(s.dispatch(), false, s.lastRunningAt(), s.missed()))
            .toList();
    save(microgridId, new ScheduleFile.Content(lastSync, stopped, Map.of()));
  }

  private void save(long microgridId, ScheduleFile.Content content) {
    byte[] bytes = ScheduleFile.encode(microgridId, content);
    if (microgridId == lastSavedMicrogrid && Arrays.equals(bytes, lastSaved)) {
      return;
    }
    ScheduleFile file = new ScheduleFile(fileOf(microgridId), microgridId, clock);
    try {
      file.save(bytes);
      writes++;
      lastSavedMicrogrid = microgridId;
      lastSaved = bytes;
    } catch (IOException e) {
      LOG.log(
          Level.WARNING,
          "dispatch scheduler of microgrid {0}: cannot save its schedule to {1} ({2}); it keeps"
              + " running and tries again at the next change",
          microgridId,
          file.path(),
          e.toString());
    }
  }
}
