package io.microgrid.dispatch.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A dispatch as the Dispatch API stores it: from {@code startTime}, for {@code duration} (or for
 * ever), maybe repeating by {@code recurrence}, act on {@code target} with {@code payload}.
 * Immutable; checked on construction.
 *
 * @param id the dispatch's id, unique per microgrid
 * @param microgridId the microgrid it belongs to
 * @param type what kind of dispatch this is; consumers decide what it means
 * @param startTime the first (or only) occurrence, UTC
 * @param duration how long each occurrence runs; empty means for ever, zero means an instant
 * @param target the components it acts on
 * @param active whether it runs at all; an inactive dispatch is kept but never runs
 * @param dryRun run for logging and monitoring only, without changing any component
 * @param payload free JSON for the consumer
 * @param recurrence how it repeats; empty means it runs once
 * @param createTime when the server created it
 * @param updateTime when the server last changed it
 * @param endTime when it stops for good, as the server computed it; empty when never
 */
public record Dispatch(
    long id,
    long microgridId,
    String type,
    Instant startTime,
    Optional<Duration> duration,
    TargetComponents target,
    boolean active,
    boolean dryRun,
    Payload payload,
    Optional<RecurrenceRule> recurrence,
    Instant createTime,
    Instant updateTime,
    Optional<Instant> endTime) {

  /** The longest duration the wire can carry: an unsigned 32-bit count of seconds. */
  public static final Duration MAX_DURATION = Duration.ofSeconds(0xFFFF_FFFFL);

  /**
   * Checks every field.
   *
   * @throws IllegalArgumentException or NullPointerException naming the bad field
   */
  public Dispatch {
    if (id <= 0) {
      throw new IllegalArgumentException("id must be > 0, got " + Long.toUnsignedString(id));
    }
    if (microgridId <= 0) {
      throw new IllegalArgumentException(
          "microgridId must be > 0, got " + Long.toUnsignedString(microgridId));
    }
    checkType(type);
    Objects.requireNonNull(startTime, "startTime");
    checkDuration(duration);
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(payload, "payload");
    payload.checkLimits("payload");
    Objects.requireNonNull(recurrence, "recurrence");
    Objects.requireNonNull(createTime, "createTime");
    Objects.requireNonNull(updateTime, "updateTime");
    Objects.requireNonNull(endTime, "endTime");
  }

  static void checkType(String type) {
    Objects.requireNonNull(type, "type");
    if (type.isBlank()) {
      throw new IllegalArgumentException("type must not be empty");
    }
  }

  static void checkDuration(Optional<Duration> duration) {
    Objects.requireNonNull(duration, "duration");
    duration.ifPresent(
        d -> {
          if (d.isNegative()) {
            throw new IllegalArgumentException("duration must not be negative, got " + d);
          }
          if (d.getNano() != 0) {
            throw new IllegalArgumentException("duration must be whole seconds, got " + d);
          }
          if (d.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(
                "duration must be at most " + MAX_DURATION.getSeconds() + " seconds, got " + d);
          }
        });
  }

  /**
   * Returns whether this dispatch runs at an instant, for a consumer of the given type.
   *
   * @param type the type the consumer handles
   * @param now the instant
   * @return {@link RunningState#DIFFERENT_TYPE} when the types differ; otherwise RUNNING when the
   *     dispatch is active and an occurrence covers {@code now}, else STOPPED
   */
  public RunningState runningState(String type, Instant now) {
    if (!this.type.equals(type)) {
      return RunningState.DIFFERENT_TYPE;
    }
    return until(now).isPresent() || runsForeverAt(now) ? RunningState.RUNNING : RunningState.STOPPED;
  }

  private boolean runsForeverAt(Instant now) {
    return active && duration.isEmpty() && !startTime.isAfter(now);
  }

  /**
   * Returns the first occurrence at or after an instant.
   *
   * @param t the instant
   * @return the occurrence, or empty when there is none (or the dispatch is inactive)
   */
  public Optional<Instant> nextRunAfter(Instant t) {
    if (!active) {
      return Optional.empty();
    }
    if (duration.isEmpty()) {
      // An infinite dispatch runs once, from its start, whatever its recurrence says.
      return startTime.isBefore(t) ? Optional.empty() : Optional.of(startTime);
    }
    return io.microgrid.dispatch.api.internal.Schedule.firstOccurrenceAtOrAfter(this, t);
  }

  /**
   * Returns when the run that covers an instant ends.
   *
   * @param t the instant
   * @return the end of the latest occurrence covering {@code t}; empty when none covers it, and
   *     for an infinite dispatch (which never ends)
   */
  public Optional<Instant> until(Instant t) {
    if (!active || duration.isEmpty()) {
      return Optional.empty();
    }
    Duration d = duration.get();
    return io.microgrid.dispatch.api.internal.Schedule.latestOccurrenceAtOrBefore(this, t)
        .map(o -> o.plus(d))
        .filter(end -> end.isAfter(t));
  }

  /**
   * Returns the newest occurrences that start in {@code [from, to)}, oldest first, regardless of
   * whether the dispatch is active.
   *
   * @param from the first instant, inclusive
   * @param to the last instant, exclusive
   * @param newest at most this many (the newest ones are kept)
   * @return the occurrence starts
   */
  public java.util.List<Instant> occurrencesBetween(Instant from, Instant to, int newest) {
    if (duration.isEmpty()) {
      return !startTime.isBefore(from) && startTime.isBefore(to) && newest > 0
          ? java.util.List.of(startTime)
          : java.util.List.of();
    }
    return io.microgrid.dispatch.api.internal.Schedule.occurrencesBetween(this, from, to, newest);
  }

  /**
   * Returns whether the dispatch repeats.
   *
   * @return true when it has a recurrence rule
   */
  public boolean isRecurring() {
    return recurrence.isPresent();
  }
}
