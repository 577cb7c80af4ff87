package io.microgrid.dispatch.api;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The fields that {@link DispatchClient#update(long, long, DispatchUpdate)} changes; every other
 * field of the dispatch stays as it is. Immutable.
 *
 * <p>{@link Builder#type(String)} and {@link Builder#dryRun(boolean)} can be expressed so that a
 * caller porting code from the Python client gets the same answer: the Dispatch API cannot change
 * them, and the client refuses such an update before sending it.
 */
public final class DispatchUpdate {

  /** A field that an update can name. */
  public enum Field {
    /** The start time. */
    START_TIME,
    /** The duration (possibly cleared to infinite). */
    DURATION,
    /** The target components. */
    TARGET,
    /** The active flag. */
    ACTIVE,
    /** The payload. */
    PAYLOAD,
    /** The whole recurrence rule (possibly cleared to "runs once"). */
    RECURRENCE,
    /** The type: cannot be updated. */
    TYPE,
    /** The dry-run flag: cannot be updated. */
    DRY_RUN
  }

  private final Set<Field> fields;
  private final Instant startTime;
  private final Optional<Duration> duration;
  private final TargetComponents target;
  private final boolean active;
  private final Payload payload;
  private final Optional<RecurrenceRule> recurrence;
  private final String type;
  private final boolean dryRun;

  private DispatchUpdate(Builder b) {
    this.fields = Collections.unmodifiableSet(EnumSet.copyOf(b.fields));
    this.startTime = b.startTime;
    this.duration = b.duration;
    this.target = b.target;
    this.active = b.active;
    this.payload = b.payload;
    this.recurrence = b.recurrence;
    this.type = b.type;
    this.dryRun = b.dryRun;
  }

  /**
   * Starts an update that changes nothing yet.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the fields this update changes.
   *
   * @return an immutable, non-empty set
   */
  public Set<Field> fields() {
    return fields;
  }

  /**
   * Returns whether this update changes a field.
   *
   * @param field the field
   * @return true when it is changed
   */
  public boolean changes(Field field) {
    return fields.contains(field);
  }

  /**
   * Returns the new start time.
   *
   * @return the start time, when {@link Field#START_TIME} is changed
   */
  public Optional<Instant> startTime() {
    return Optional.ofNullable(startTime);
  }

  /**
   * Returns the new duration; only meaningful when {@link Field#DURATION} is changed.
   *
   * @return the duration, or empty for infinite
   */
  public Optional<Duration> duration() {
    return duration;
  }

  /**
   * Returns the new target.
   *
   * @return the target, when {@link Field#TARGET} is changed
   */
  public Optional<TargetComponents> target() {
    return Optional.ofNullable(target);
  }

  /**
   * Returns the new active flag; only meaningful when {@link Field#ACTIVE} is changed.
   *
   * @return the flag
   */
  public boolean active() {
    return active;
  }

  /**
   * Returns the new payload.
   *
   * @return the payload, when {@link Field#PAYLOAD} is changed
   */
  public Optional<Payload> payload() {
    return Optional.ofNullable(payload);
  }

  /**
   * Returns the new recurrence; only meaningful when {@link Field#RECURRENCE} is changed.
   *
   * @return the rule, or empty for "runs once"
   */
  public Optional<RecurrenceRule> recurrence() {
    return recurrence;
  }

  /**
   * Returns the type that was asked for, which the API cannot change.
   *
   * @return the type, when {@link Field#TYPE} was named
   */
  public Optional<String> type() {
    return Optional.ofNullable(type);
  }

  /**
   * Returns the dry-run flag that was asked for, which the API cannot change.
   *
   * @return the flag; only meaningful when {@link Field#DRY_RUN} was named
   */
  public boolean dryRun() {
    return dryRun;
  }

  @Override
  public String toString() {
    return "DispatchUpdate" + fields;
  }

  /** Builds a {@link DispatchUpdate}. */
  public static final class Builder {
    private final Set<Field> fields = EnumSet.noneOf(Field.class);
    private Instant startTime;
    private Optional<Duration> duration = Optional.empty();
    private TargetComponents target;
    private boolean active;
    private Payload payload;
    private Optional<RecurrenceRule> recurrence = Optional.empty();
    private String type;
    private boolean dryRun;

    private Builder() {}

    /**
     * Changes the start time.
     *
     * @param startTime the new start
     * @return this builder
     */
    public Builder startTime(Instant startTime) {
      this.startTime = Objects.requireNonNull(startTime, "startTime");
      fields.add(Field.START_TIME);
      return this;
    }

    /**
     * Changes the duration.
     *
     * @param duration whole seconds
     * @return this builder
     */
    public Builder duration(Duration duration) {
      Optional<Duration> checked = Optional.of(Objects.requireNonNull(duration, "duration"));
      Dispatch.checkDuration(checked);
      this.duration = checked;
      fields.add(Field.DURATION);
      return this;
    }

    /**
     * Clears the duration: the dispatch then runs for ever once started.
     *
     * @return this builder
     */
    public Builder infiniteDuration() {
      this.duration = Optional.empty();
      fields.add(Field.DURATION);
      return this;
    }

    /**
     * Changes the target.
     *
     * @param target the new target
     * @return this builder
     */
    public Builder target(TargetComponents target) {
      this.target = Objects.requireNonNull(target, "target");
      fields.add(Field.TARGET);
      return this;
    }

    /**
     * Changes the active flag.
     *
     * @param active the new flag
     * @return this builder
     */
    public Builder active(boolean active) {
      this.active = active;
      fields.add(Field.ACTIVE);
      return this;
    }

    /**
     * Changes the payload.
     *
     * @param payload the new payload, within the API's limits
     * @return this builder
     * @throws IllegalArgumentException when the payload is too deep or too large
     */
    public Builder payload(Payload payload) {
      Objects.requireNonNull(payload, "payload").checkLimits("payload");
      this.payload = payload;
      fields.add(Field.PAYLOAD);
      return this;
    }

    /**
     * Replaces the recurrence rule.
     *
     * @param rule the new rule
     * @return this builder
     */
    public Builder recurrence(RecurrenceRule rule) {
      this.recurrence = Optional.of(rule);
      fields.add(Field.RECURRENCE);
      return this;
    }

    /**
     * Removes the recurrence rule: the dispatch then runs once.
     *
     * @return this builder
     */
    public Builder noRecurrence() {
      this.recurrence = Optional.empty();
      fields.add(Field.RECURRENCE);
      return this;
    }

    /**
     * Asks for a new type. The Dispatch API cannot do this; the client refuses the update.
     *
     * @param type the type asked for
     * @return this builder
     */
    public Builder type(String type) {
      this.type = type;
      fields.add(Field.TYPE);
      return this;
    }

    /**
     * Asks for a new dry-run flag. The Dispatch API cannot do this; the client refuses the update.
     *
     * @param dryRun the flag asked for
     * @return this builder
     */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      fields.add(Field.DRY_RUN);
      return this;
    }

    /**
     * Builds the update.
     *
     * @return the update
     * @throws IllegalArgumentException when no field is changed
     */
    public DispatchUpdate build() {
      if (fields.isEmpty()) {
        throw new IllegalArgumentException("an update must change at least one field");
      }
      return new DispatchUpdate(this);
    }
  }
}
