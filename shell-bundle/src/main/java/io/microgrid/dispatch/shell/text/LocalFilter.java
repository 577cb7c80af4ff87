package io.microgrid.dispatch.shell.text;

import io.microgrid.dispatch.api.Dispatch;
import io.microgrid.dispatch.api.RunningState;
import java.time.Instant;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The list filters that the Dispatch API has no field for, applied to what the server listed:
 * an exact type (the server's text query matches any type that contains the text) and "runs
 * now", judged by the dispatch's own schedule at the caller's clock. The CLI and the Gogo commands
 * both filter through here, so that their {@code --type} and {@code --running} mean the same.
 */
public final class LocalFilter {
  private LocalFilter() {}

  /**
   * @param types the types to keep; empty keeps every type
   * @param running whether to keep only dispatches that run at {@code now}
   * @param now the instant that {@code running} is judged at
   */
  public static Predicate<Dispatch> of(Set<String> types, boolean running, Instant now) {
    Set<String> wanted = Set.copyOf(types);
    return d ->
        (wanted.isEmpty() || wanted.contains(d.type()))
            && (!running || d.runningState(d.type(), now) == RunningState.RUNNING);
  }
}
