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
   * Returns whether the dispatch repeats.
   *
   * @return true when it has a recurrence rule
   */
  public boolean isRecurring() {
    return recurrence.isPresent();
  }
}
