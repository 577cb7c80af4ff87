package io.microgrid.dispatch.scheduler.internal.core;

import io.microgrid.dispatch.api.DispatchEvent;
import io.microgrid.dispatch.api.RunningStateChange;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Writes every notification as a short line, in the order the schedule made them. */
public final class Recorder implements Notifications {
  public final List<String> lines = new ArrayList<>();
  public final List<RunningStateChange> changes = new ArrayList<>();

  @Override
  public void runningStateChanged(RunningStateChange c) {
    changes.add(c);
    StringBuilder line =
        new StringBuilder(c.state() + " " + c.dispatch().id() + " at " + c.at());
    c.until().ifPresent(u -> line.append(" until ").append(u));
    if (!c.missedRuns().isEmpty()) {
      line.append(" missed ").append(c.missedRuns());
    }
    lines.add(line.toString());
  }

  @Override
  public void dispatchEvent(DispatchEvent event, Instant due) {
    lines.add(event.getClass().getSimpleName() + " " + event.dispatch().id());
  }

  /** Returns the lines so far and forgets them. */
  public List<String> take() {
    List<String> copy = List.copyOf(lines);
    lines.clear();
    changes.clear();
    return copy;
  }
}
