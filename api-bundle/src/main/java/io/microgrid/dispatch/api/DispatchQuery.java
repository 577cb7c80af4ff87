package io.microgrid.dispatch.api;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which dispatches {@link DispatchClient#list(long, DispatchQuery)} returns, in which order, and
 * how many the server sends per page. Every filter left empty matches everything.
 *
 * @param targets dispatches whose target equals any of these; empty = any target
 * @param active only active (true) or only inactive (false) dispatches
 * @param dryRun only dry runs (true) or only real ones (false)
 * @param recurring only recurring (true) or only one-off (false) dispatches
 * @param startFrom start time at or after this instant
 * @param startTo start time before this instant
 * @param endFrom end time at or after this instant
 * @param endTo end time before this instant
 * @param updateFrom last update at or after this instant
 * @param updateTo last update before this instant
 * @param sortField the field to sort by; empty = the server's order
 * @param sortOrder ascending or descending; empty = the server's default
 * @param pageSize how many dispatches per page; empty = the server's default
 * @param dispatchIds only these dispatches; empty = any (since API v1.1)
 * @param queries text queries, any of which a dispatch must match: {@code #4} matches the
 *     dispatch with id 4, any other text the dispatches whose type contains it ({@code #x}, not a
 *     number, is text); empty = any (since API v1.1)
 */
public record DispatchQuery(
    List<TargetComponents> targets,
    Optional<Boolean> active,
    Optional<Boolean> dryRun,
    Optional<Boolean> recurring,
    Optional<Instant> startFrom,
    Optional<Instant> startTo,
    Optional<Instant> endFrom,
    Optional<Instant> endTo,
    Optional<Instant> updateFrom,
    Optional<Instant> updateTo,
    Optional<SortField> sortField,
    Optional<SortOrder> sortOrder,
    OptionalInt pageSize,
    SortedSet<Long> dispatchIds,
    List<String> queries) {

  /** The query that matches every dispatch, in the server's order and page size. */
  public static final DispatchQuery ALL = builder().build();

  /** What a list can be sorted by. */
  public enum SortField {
    /** The start time. */
    START_TIME,
    /** When the dispatch was created. */
    CREATE_TIME,
    /** When the dispatch was last updated. */
    LAST_UPDATE_TIME
  }

  /** The direction of a sort. */
  public enum SortOrder {
    /** Smallest first. */
    ASCENDING,
    /** Largest first. */
    DESCENDING
  }

  /**
   * Checks for nulls, the page size, the ids and queries, and copies the collections.
   *
   * @throws IllegalArgumentException when the page size is not positive, an id is negative
   *     (beyond the range of a Java long) or a query is empty
   */
  public DispatchQuery {
    targets = List.copyOf(Objects.requireNonNull(targets, "targets"));
    // addAll, not new TreeSet<>(SortedSet): that would keep the caller's comparator.
    TreeSet<Long> ids = new TreeSet<>();
    ids.addAll(Objects.requireNonNull(dispatchIds, "dispatchIds"));
    if (!ids.isEmpty() && ids.first() < 0) {
      throw new IllegalArgumentException("dispatchIds must be >= 0, got " + ids.first());
    }
    dispatchIds = java.util.Collections.unmodifiableSortedSet(ids);
    queries = List.copyOf(Objects.requireNonNull(queries, "queries"));
    for (String q : queries) {
      if (q.isBlank()) {
        throw new IllegalArgumentException("queries: a query must not be empty");
      }
    }
    Objects.requireNonNull(active, "active");
    Objects.requireNonNull(dryRun, "dryRun");
    Objects.requireNonNull(recurring, "recurring");
    Objects.requireNonNull(startFrom, "startFrom");
    Objects.requireNonNull(startTo, "startTo");
    Objects.requireNonNull(endFrom, "endFrom");
    Objects.requireNonNull(endTo, "endTo");
    Objects.requireNonNull(updateFrom, "updateFrom");
    Objects.requireNonNull(updateTo, "updateTo");
    Objects.requireNonNull(sortField, "sortField");
    Objects.requireNonNull(sortOrder, "sortOrder");
    Objects.requireNonNull(pageSize, "pageSize");
    if (pageSize.isPresent() && pageSize.getAsInt() < 1) {
      throw new IllegalArgumentException("pageSize must be >= 1, got " + pageSize.getAsInt());
    }
  }

  /**
   * Makes a query without id and text filters, as before API v1.1.
   *
   * @param targets see the record
   * @param active see the record
   * @param dryRun see the record
   * @param recurring see the record
   * @param startFrom see the record
   * @param startTo see the record
   * @param endFrom see the record
   * @param endTo see the record
   * @param updateFrom see the record
   * @param updateTo see the record
   * @param sortField see the record
   * @param sortOrder see the record
   * @param pageSize see the record
   */
  public DispatchQuery(
      List<TargetComponents> targets,
      Optional<Boolean> active,
      Optional<Boolean> dryRun,
      Optional<Boolean> recurring,
      Optional<Instant> startFrom,
      Optional<Instant> startTo,
      Optional<Instant> endFrom,
      Optional<Instant> endTo,
      Optional<Instant> updateFrom,
      Optional<Instant> updateTo,
      Optional<SortField> sortField,
      Optional<SortOrder> sortOrder,
      OptionalInt pageSize) {
    this(targets, active, dryRun, recurring, startFrom, startTo, endFrom, endTo, updateFrom,
        updateTo, sortField, sortOrder, pageSize, new TreeSet<>(), List.of());
  }

  /**
   * Starts a query that matches everything.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link DispatchQuery}. */
  public static final class Builder {
    private final List<TargetComponents> targets = new ArrayList<>();
    private Optional<Boolean> active = Optional.empty();
    private Optional<Boolean> dryRun = Optional.empty();
    private Optional<Boolean> recurring = Optional.empty();
    private Optional<Instant> startFrom = Optional.empty();
    private Optional<Instant> startTo = Optional.empty();
    private Optional<Instant> endFrom = Optional.empty();
    private Optional<Instant> endTo = Optional.empty();
    private Optional<Instant> updateFrom = Optional.empty();
    private Optional<Instant> updateTo = Optional.empty();
    private Optional<SortField> sortField = Optional.empty();
    private Optional<SortOrder> sortOrder = Optional.empty();
    private OptionalInt pageSize = OptionalInt.empty();
    private final SortedSet<Long> dispatchIds = new TreeSet<>();
    private final List<String> queries = new ArrayList<>();

    private Builder() {}

    /**
     * Keeps only the given dispatches (added to those given before).
     *
     * @param ids dispatch ids
     * @return this builder
     */
    public Builder dispatchIds(long... ids) {
      for (long id : ids) {
        dispatchIds.add(id);
      }
      return this;
    }

    /**
     * Adds a text query; a dispatch matching any of the queries is kept. {@code #4} matches the
     * dispatch with id 4; any other text matches the dispatches whose type contains it.
     *
     * @param query the text, not empty
     * @return this builder
     */
    public Builder query(String query) {
      queries.add(Objects.requireNonNull(query, "query"));
      return this;
    }

    /**
     * Adds a target that matching dispatches may have.
     *
     * @param target a target
     * @return this builder
     */
    public Builder target(TargetComponents target) {
      targets.add(Objects.requireNonNull(target, "target"));
      return this;
    }

    /**
     * Keeps only active or only inactive dispatches.
     *
     * @param active the wanted flag
     * @return this builder
     */
    public Builder active(boolean active) {
      this.active = Optional.of(active);
      return this;
    }

    /**
     * Keeps only dry runs or only real dispatches.
     *
     * @param dryRun the wanted flag
     * @return this builder
     */
    public Builder dryRun(boolean dryRun) {
      this.dryRun = Optional.of(dryRun);
      return this;
    }

    /**
     * Keeps only recurring or only one-off dispatches.
     *
     * @param recurring the wanted kind
     * @return this builder
     */
    public Builder recurring(boolean recurring) {
      this.recurring = Optional.of(recurring);
      return this;
    }

    /**
     * Keeps dispatches that start at or after an instant.
     *
     * @param from the instant
     * @return this builder
     */
    public Builder startFrom(Instant from) {
      this.startFrom = Optional.of(from);
      return this;
    }

    /**
     * Keeps dispatches that start before an instant.
     *
     * @param to the instant
     * @return this builder
     */
    public Builder startTo(Instant to) {
      this.startTo = Optional.of(to);
      return this;
    }

    /**
     * Keeps dispatches that end at or after an instant.
     *
     * @param from the instant
     * @return this builder
     */
    public Builder endFrom(Instant from) {
      this.endFrom = Optional.of(from);
      return this;
    }

    /**
     * Keeps dispatches that end before an instant.
     *
     * @param to the instant
     * @return this builder
     */
    public Builder endTo(Instant to) {
      this.endTo = Optional.of(to);
      return this;
    }

    /**
     * Keeps dispatches last updated at or after an instant.
     *
     * @param from the instant
     * @return this builder
     */
    public Builder updateFrom(Instant from) {
      this.updateFrom = Optional.of(from);
      return this;
    }

    /**
     * Keeps dispatches last updated before an instant.
     *
     * @param to the instant
     * @return this builder
     */
    public Builder updateTo(Instant to) {
      this.updateTo = Optional.of(to);
      return this;
    }

    /**
     * Sorts the result.
     *
     * @param field what to sort by
     * @param order in which direction
     * @return this builder
     */
    public Builder sort(SortField field, SortOrder order) {
      this.sortField = Optional.of(field);
      this.sortOrder = Optional.of(order);
      return this;
    }

    /**
     * Sets how many dispatches the server sends per page.
     *
     * @param pageSize at least 1
     * @return this builder
     */
    public Builder pageSize(int pageSize) {
      this.pageSize = OptionalInt.of(pageSize);
      return this;
    }

    /**
     * Builds the query.
     *
     * @return the query
     */
    public DispatchQuery build() {
      return new DispatchQuery(
          targets, active, dryRun, recurring, startFrom, startTo, endFrom, endTo, updateFrom,
          updateTo, sortField, sortOrder, pageSize, dispatchIds, queries);
    }
  }
}
