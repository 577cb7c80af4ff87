package io.microgrid.dispatch.scheduler.internal.delivery;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.RunningStateListener;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The whiteboard service properties of one listener registration, parsed and checked once so that
 * delivery only compares values (contract "Whiteboard service properties").
 *
 * <p>Values are accepted in the shapes that DS, ConfigAdmin and hand-written registrations produce:
 * a single value, an array, or a collection. Anything that cannot be read with certainty makes the
 * registration invalid rather than guessed at: a listener that is silently told about the wrong
 * microgrid is worse than one that is refused with a warning.
 */
public final class ListenerProperties {
  /** The {@code dispatch.type} value that selects every type. */
  public static final String ANY_TYPE = "*";

  // Empty = every type; the parser never produces an empty set for "no types".
  private final Set<String> types;
  // Empty = every microgrid.
  private final Set<Long> microgridIds;
  private final MergeMode merge;

  private ListenerProperties(Set<String> types, Set<Long> microgridIds, MergeMode merge) {
    this.types = types;
    this.microgridIds = microgridIds;
    this.merge = merge;
  }

  /**
   * Parses the properties of a {@link RunningStateListener}: {@code dispatch.type} is required.
   *
   * @param serviceId the registration's {@code service.id}, for the message
   * @param properties the service properties
   * @return the parsed properties
   * @throws IllegalArgumentException with a one-line message that names the service and says what
   *     to set, when the registration cannot be used
   */
  public static ListenerProperties ofRunningStateListener(
      long serviceId, Map<String, ?> properties) {
    return parse("RunningStateListener", serviceId, properties, true);
  }

  /**
   * Parses the properties of a {@link io.microgrid.dispatch.api.DispatchLifecycleListener}: {@code
   * dispatch.type} is optional (absent = every type) and {@code dispatch.merge} is not read, since
   * lifecycle events are never merged.
   *
   * @param serviceId the registration's {@code service.id}, for the message
   * @param properties the service properties
   * @return the parsed properties
   * @throws IllegalArgumentException with a one-line message that names the service and says what
   *     to set, when the registration cannot be used
   */
  public static ListenerProperties ofLifecycleListener(long serviceId, Map<String, ?> properties) {
    return parse("DispatchLifecycleListener", serviceId, properties, false);
  }

  private static ListenerProperties parse(
      String kind, long serviceId, Map<String, ?> properties, boolean typeRequired) {
    String ignoring = "Ignoring " + kind + " service " + serviceId + ": ";
    Optional<Set<String>> types = parseTypes(ignoring, properties.get(RunningStateListener.TYPE));
    if (types.isEmpty() && typeRequired) {
      throw new IllegalArgumentException(
          ignoring
              + "it has no "
              + RunningStateListener.TYPE
              + " property; set "
              + RunningStateListener.TYPE
              + " to the dispatch types it handles, or "
              + ANY_TYPE
              + " for all");
    }
    Set<Long> microgrids =
        parseMicrogridIds(ignoring, properties.get(RunningStateListener.MICROGRID_ID));
    MergeMode merge =
        typeRequired
            ? parseMerge(ignoring, properties.get(RunningStateListener.MERGE))
            : MergeMode.NONE;
    return new ListenerProperties(types.orElse(Set.of()), microgrids, merge);
  }

  /**
   * Returns empty when the property is absent or names no type, the empty set when it contains
   * {@code *}, and the named types otherwise.
   */
  private static Optional<Set<String>> parseTypes(String ignoring, Object value) {
    List<Object> values = elements(value);
    Set<String> types = new TreeSet<>();
    for (Object v : values) {
      if (!(v instanceof String s)) {
        throw new IllegalArgumentException(
            ignoring
                + RunningStateListener.TYPE
                + " must be a String or String[], got "
                + describe(v)
                + "; set it to the dispatch types the listener handles, or "
                + ANY_TYPE
                + " for all");
      }
      // Blank entries carry no type: a DS property left empty must not read as a type "".
      if (!s.isBlank()) {
        types.add(s.strip());
      }
    }
    if (types.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(types.contains(ANY_TYPE) ? Set.of() : Set.copyOf(types));
  }

  private static Set<Long> parseMicrogridIds(String ignoring, Object value) {
    if (value == null) {
      return Set.of();
    }
    List<Object> values = elements(value);
    String fix =
        "; set "
            + RunningStateListener.MICROGRID_ID
            + " to positive microgrid ids (Long or Long[]), or remove it for every microgrid";
    if (values.isEmpty()) {
      // Neither "all" nor "none" is an obvious reading of an empty list; refuse to guess.
      throw new IllegalArgumentException(
          ignoring + RunningStateListener.MICROGRID_ID + " is empty" + fix);
    }
    Set<Long> ids = new TreeSet<>();
    for (Object v : values) {
      Long id = toMicrogridId(v);
      if (id == null) {
        throw new IllegalArgumentException(
            ignoring
                + RunningStateListener.MICROGRID_ID
                + " has the invalid value "
                + describe(v)
                + fix);
      }
      ids.add(id);
    }
    return Set.copyOf(ids);
  }

  private static Long toMicrogridId(Object v) {
    long id;
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      id = ((Number) v).longValue();
    } else if (v instanceof String s) {
      try {
        id = Long.parseLong(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    } else {
      // Doubles and the like would round; a microgrid id is never fractional.
      return null;
    }
    return id > 0 ? id : null;
  }

  private static MergeMode parseMerge(String ignoring, Object value) {
    if (value == null) {
      return MergeMode.NONE;
    }
    if (value instanceof String s) {
      for (MergeMode mode : MergeMode.values()) {
        if (mode.propertyValue() != null && mode.propertyValue().equals(s.strip())) {
          return mode;
        }
      }
    }
    throw new IllegalArgumentException(
        ignoring
            + RunningStateListener.MERGE
            + " has the invalid value "
            + describe(value)
            + "; set it to "
            + MergeMode.TYPE.propertyValue()
            + " or "
            + MergeMode.TYPE_AND_TARGET.propertyValue()
            + ", or remove it to get every dispatch separately");
  }

  /** Flattens a single value, an array (of objects or primitives) or a collection. */
  private static List<Object> elements(Object value) {
    List<Object> out = new ArrayList<>();
    if (value == null) {
      return out;
    }
    if (value.getClass().isArray()) {
      int n = Array.getLength(value);
      for (int i = 0; i < n; i++) {
        out.add(Array.get(value, i));
      }
    } else if (value instanceof Collection<?> c) {
      out.addAll(c);
    } else {
      out.add(value);
    }
    return out;
  }

  private static String describe(Object v) {
    if (v == null) {
      return "null";
    }
    if (v instanceof String s) {
      return "\"" + s + "\"";
    }
    if (v.getClass().isArray() || v instanceof Collection) {
      return elements(v).stream().map(ListenerProperties::describe).toList().toString();
    }
    return v + " (" + v.getClass().getSimpleName() + ")";
  }

  /**
   * Returns whether the listener handles a dispatch type.
   *
   * @param type the dispatch's type
   * @return true when {@code dispatch.type} names it or is {@code *}
   */
  public boolean matchesType(String type) {
    return types.isEmpty() || types.contains(type);
  }

  /**
   * Returns whether the listener handles a microgrid.
   *
   * @param microgridId the microgrid's id
   * @return true when {@code dispatch.microgrid.id} is absent or names it
   */
  public boolean matchesMicrogrid(long microgridId) {
    return microgridIds.isEmpty() || microgridIds.contains(microgridId);
  }

  /**
   * Returns whether the listener handles a dispatch: both its type and its microgrid match.
   *
   * @param dispatch the dispatch
   * @return true when it is to be told about it
   */
  public boolean matches(Dispatch dispatch) {
    return matchesType(dispatch.type()) && matchesMicrogrid(dispatch.microgridId());
  }

  /**
   * Returns how the listener wants dispatches merged.
   *
   * @return the mode; {@link MergeMode#NONE} for lifecycle listeners
   */
  public MergeMode merge() {
    return merge;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ListenerProperties p
        && types.equals(p.types)
        && microgridIds.equals(p.microgridIds)
        && merge == p.merge;
  }

  @Override
  public int hashCode() {
    return types.hashCode() * 31 * 31 + microgridIds.hashCode() * 31 + merge.hashCode();
  }

  @Override
  public String toString() {
    return RunningStateListener.TYPE
        + "="
        + (types.isEmpty() ? ANY_TYPE : new TreeSet<>(types))
        + ", "
        + RunningStateListener.MICROGRID_ID
        + "="
        + (microgridIds.isEmpty() ? "(all)" : new TreeSet<>(microgridIds))
        + ", "
        + RunningStateListener.MERGE
        + "="
        + (merge == MergeMode.NONE ? "(none)" : merge.propertyValue());
  }
}
