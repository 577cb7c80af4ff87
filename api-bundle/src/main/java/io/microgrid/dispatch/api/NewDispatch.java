package io.microgrid.dispatch.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link DispatchClient#create(long, NewDispatch)} sends: a dispatch before the server has
 * given it an id. Immutable; checked on construction, so a dispatch that the server would refuse
 * for its shape is refused before it is sent.
 *
 * @param type what kind of dispatch this is; not empty
 * @param startTime the first occurrence; empty means now on the server's clock (the request asks
 *     the server to start it immediately, since API v1.1)
 * @param duration how long each occurrence runs; empty means for ever
 * @param target the components it acts on
 * @param active whether it runs at all
 * @param dryRun run for logging and monitoring only
 * @param payload free JSON for the consumer, within {@link Payload#MAX_DEPTH} and {@link
 *     Payload#MAX_BYTES}
 * @param recurrence how it repeats; empty means once
 */
public record NewDispatch(
    String type,
    Optional<Instant> startTime,
    Optional<Duration> duration,
    TargetComponents target,
    boolean active,
    boolean dryRun,
    Payload payload,
    Optional<RecurrenceRule> recurrence) {

  /**
   * Checks every field.
   *
   * @throws IllegalArgumentException or NullPointerException naming the bad field
   */
  public NewDispatch {
    Dispatch.checkType(type);
    Objects.requireNonNull(startTime, "startTime");
    Dispatch.checkDuration(duration);
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(payload, "payload");
    payload.checkLimits("payload");
    Objects.requireNonNull(recurrence, "recurrence");
  }

  /**
   * Starts a dispatch of the given type for the given components; by default it starts now,
   * runs for ever, is active, not a dry run, has an empty payload and does not repeat.
   *
   * @param type what kind of dispatch this is
   * @param target the components it acts on
   * @return a builder
   */
  public static Builder builder(String type, TargetComponents target) {
    return new Builder(type, target);
  }

  /** Builds a {@link NewDispatch}. */
  public static final class Builder {
    private final String type;
    private final TargetComponents target;
    private Optional<Instant> startTime = Optional.empty();
    private Optional<Duration> duration = Optional.empty();
    private boolean active = true;
    private boolean dryRun;
    private Payload payload = Payload.EMPTY;
    private Optional<RecurrenceRule> recurrence = Optional.empty();

    private Builder(String type, TargetComponents target) {
      this.type = type;
      this.target = target;
    }

    /**
     * Sets the start time.
     *
     * @param start the first occurrence; must not be in the past when sent
     * @return this builder
     */
    public Builder startTime(Instant start) {
      this.startTime = Optional.of(start);
      return this;
    }

    /**
     * Starts the dispatch when the server receives it, on the server's clock (the default).
     *
     * @return this builder
     */
    public Builder startNow() {
      this.startTime = Optional.empty();
      return this;
    }

    /**
     * Sets the duration of each occurrence.
     *
     * @param duration whole seconds, zero for an instant
     * @return this builder
     */
    public Builder duration(Duration duration) {
      this.duration = Optional.of(duration);
      return this;
    }

    /**
     * Makes the dispatch run for ever once started (the default).
     *
     * @return this builder
     */
    public Builder infiniteDuration() {
      this.duration = Optional.empty();
      return this;
    }

    /**
     * Sets whether the dispatch is active.
     *
     * @param active false to keep it without running it
     * @return this builder
     */
    public Builder active(boolean active) {
      this.active = active;
      return this;
    }

    /**
     * Sets whether this is a dry run.
     *
     * @param dryRun true to only log and monitor
     * @return this builder
     */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /**
     * Sets the payload.
     *
     * @param payload free JSON for the consumer
     * @return this builder
     */
    public Builder payload(Payload payload) {
      this.payload = payload;
      return this;
    }

    /**
     * Makes the dispatch repeat.
     *
     * @param rule the recurrence rule
     * @return this builder
     */
    public Builder recurrence(RecurrenceRule rule) {
      this.recurrence = Optional.of(rule);
      return this;
    }

    /**
     * Builds the dispatch.
     *
     * @return the new dispatch
     * @throws IllegalArgumentException naming the bad field
     */
    public NewDispatch build() {
      return new NewDispatch(
          type, startTime, duration, target, active, dryRun, payload, recurrence);
    }
  }
}
