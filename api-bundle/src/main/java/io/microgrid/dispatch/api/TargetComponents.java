package io.microgrid.dispatch.api;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The components a dispatch acts on: either components by id, or every component of some
 * categories, a category optionally narrowed to one of its subtypes (since API v1.1).
 */
public sealed interface TargetComponents permits TargetComponents.Ids, TargetComponents.Categories {

  /**
   * Targets components by id.
   *
   * @param ids the component ids
   * @return the target
   */
  static Ids ids(long... ids) {
    return new Ids(Arrays.stream(ids).boxed().toList());
  }

  /**
   * Targets every component of the given categories.
   *
   * @param categories the categories
   * @return the target
   */
  static Categories categories(ComponentCategory... categories) {
    return new Categories(Arrays.asList(categories));
  }

  /**
   * Targets every component of the given subtypes, such as lithium-ion batteries.
   *
   * @param types the subtypes
   * @return the target
   */
  static Categories types(ComponentType... types) {
    return new Categories(java.util.List.of(), Arrays.asList(types));
  }

  /**
   * Components by id.
   *
   * @param ids the component ids, copied into an immutable sorted set
   */
  record Ids(SortedSet<Long> ids) implements TargetComponents {
    /**
     * Makes the target from any collection of ids.
     *
     * @param ids the component ids
     * @throws IllegalArgumentException when an id is negative (beyond the range of a Java long)
     */
    public Ids(Collection<Long> ids) {
      this(new TreeSet<>(ids));
    }

    /** Copies and checks the ids. */
    public Ids {
      // addAll, not new TreeSet<>(SortedSet): that would keep the caller's comparator, so a
      // reverse-ordered set would stay reversed and hide a negative id from first().
      TreeSet<Long> copy = new TreeSet<>();
      copy.addAll(ids);
      if (!copy.isEmpty() && copy.first() < 0) {
        throw new IllegalArgumentException("target.ids: component ids must be >= 0, got " + copy.first());
      }
      ids = Collections.unmodifiableSortedSet(copy);
    }
  }

  /**
   * Every component of the given categories, and every component of the given subtypes. A
   * category and a subtype of it may both be given; the target then covers the whole category.
   *
   * @param categories whole categories, copied into an immutable sorted set
   * @param types subtypes, copied into an immutable sorted set (by category, then subtype)
   */
  record Categories(SortedSet<ComponentCategory> categories, SortedSet<ComponentType> types)
      implements TargetComponents {
    /**
     * Makes the target from any collection of whole categories.
     *
     * @param categories the categories
     */
    public Categories(Collection<ComponentCategory> categories) {
      this(new TreeSet<>(categories), new TreeSet<>());
    }

    /**
     * Makes the target from any collections of categories and subtypes.
     *
     * @param categories whole categories
     * @param types subtypes
     */
    public Categories(Collection<ComponentCategory> categories, Collection<ComponentType> types) {
      this(new TreeSet<>(categories), new TreeSet<>(types));
    }

    /** Copies the categories and subtypes. */
    public Categories {
      // addAll, not new TreeSet<>(SortedSet): that would keep the caller's comparator.
      TreeSet<ComponentCategory> copy = new TreeSet<>();
      copy.addAll(categories);
      categories = Collections.unmodifiableSortedSet(copy);
      TreeSet<ComponentType> typeCopy = new TreeSet<>();
      typeCopy.addAll(types);
      types = Collections.unmodifiableSortedSet(typeCopy);
    }
  }
}
