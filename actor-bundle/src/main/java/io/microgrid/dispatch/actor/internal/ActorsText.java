package io.microgrid.dispatch.actor.internal;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** The text of {@code dispatch:actors}: each binding, then what it keeps now. */
final class ActorsText {
  private ActorsText() {}

  static String of(List<BindingStatus.Status> bindings) {
    if (bindings.isEmpty()) {
      return "no binding (factory PID " + BindingConfiguration.PID + ")\n";
    }
    StringBuilder out = new StringBuilder();
    for (BindingStatus.Status s : bindings) {
      Binding b = s.binding();
      out.append(b.pid())
          .append("  microgrid=").append(b.microgridId())
          .append(" type=").append(b.type())
          .append(" actor.pid=").append(b.actorPid())
          .append(" merge=").append(b.merge() == MergeMode.NONE ? "none" : b.merge().propertyValue())
          .append(" retry=").append(b.retryInterval().toSeconds()).append("s\n");
      if (s.componentMissing()) {
        out.append("  no DS component has configuration PID ").append(b.actorPid()).append('\n');
      }
      if (s.runs().isEmpty()) {
        out.append("  nothing runs\n");
      }
      for (ActorRun.View r : s.runs()) {
        out.append("  dispatch ")
            .append(r.dispatchIds().stream().map(String::valueOf).collect(Collectors.joining(",")))
            .append("  ").append(r.configurationPid())
            .append("  ").append(r.state())
            .append(" (attempt ").append(r.attempt()).append(')');
        r.lastFailure().ifPresent(f -> out.append("\n    last failure: ").append(oneLine(f)));
        r.nextRetry().map(Instant::toString).ifPresent(t -> out.append("\n    next retry: ").append(t));
        out.append('\n');
      }
    }
    return out.toString();
  }

  private static String oneLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
