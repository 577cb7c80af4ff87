package io.microgrid.dispatch.server;

import io.grpc.Status;
import io.microgrid.dispatch.protocol.DispatchData;
import io.microgrid.dispatch.protocol.RecurrenceRule;
import io.microgrid.dispatch.protocol.UpdateMicrogridDispatchRequest.DispatchUpdate;
import io.microgrid.dispatch.protocol.UpdateMicrogridDispatchRequest.DispatchUpdate.RecurrenceRuleUpdate;
import io.microgrid.dispatch.protocol.codec.UpdateMaskPaths;
import java.util.List;
import java.util.Set;

/**
 * Field-mask semantics of UpdateMicrogridDispatch: only the named paths change, and a path that is
 * named but unset in the update resets the field (for {@code duration}: back to infinite).
 */
public final class DispatchUpdates {

  // "recurrence" (the whole rule) is accepted because recurrence is a field of DispatchUpdate and
  // the reference fake of the Python client (mirroring the real service) accepts it too.
  private static final Set<String> PATHS = UpdateMaskPaths.ALL;

  private DispatchUpdates() {}

  /** Refuses the whole update before anything changes, so a bad mask never half-applies. */
  public static void validate(List<String> paths) {
    if (paths.isEmpty()) {
      // Field-mask conventions disagree on an empty mask (nothing vs. everything); refusing it
      // makes a client that sends one notice instead of relying on either reading.
      throw Status.INVALID_ARGUMENT.withDescription("update_mask is empty").asRuntimeException();
    }
    for (String path : paths) {
      if (path.equals("type") || path.equals("is_dry_run")) {
        throw Status.INVALID_ARGUMENT
            .withDescription(path + " cannot be updated")
            .asRuntimeException();
      }
      if (!PATHS.contains(path)) {
        throw Status.INVALID_ARGUMENT
            .withDescription("unknown path in update_mask: " + path)
            .asRuntimeException();
      }
    }
  }

  /** Applies validated paths in mask order. */
  public static DispatchData apply(DispatchData current, List<String> paths, DispatchUpdate update) {
    DispatchData.Builder data = current.toBuilder();
    for (String path : paths) {
      switch (path) {
        case UpdateMaskPaths.START_TIME -> {
          if (update.hasStartTime()) {
            data.setStartTime(update.getStartTime());
          } else {
            data.clearStartTime();
          }
        }
        case UpdateMaskPaths.DURATION -> {
          if (update.hasDuration()) {
            data.setDuration(update.getDuration());
          } else {
            data.clearDuration();
          }
        }
        // "selector" is what the field was called before; the real service still accepts it.
        case UpdateMaskPaths.TARGET, UpdateMaskPaths.SELECTOR -> {
          if (update.hasTarget()) {
            data.setTarget(update.getTarget());
          } else {
            data.clearTarget();
          }
        }
        case UpdateMaskPaths.IS_ACTIVE -> data.setIsActive(update.getIsActive());
        case UpdateMaskPaths.PAYLOAD -> {
          if (update.hasPayload()) {
            data.setPayload(update.getPayload());
          } else {
            data.clearPayload();
          }
        }
        case UpdateMaskPaths.RECURRENCE -> {
          if (update.hasRecurrence()) {
            data.setRecurrence(wholeRule(update.getRecurrence()));
          } else {
            data.clearRecurrence();
          }
        }
        default -> data.setRecurrence(
            applyRecurrencePath(data.getRecurrence().toBuilder(), path, update.getRecurrence()));
      }
    }
    return data.build();
  }

  private static RecurrenceRule wholeRule(RecurrenceRuleUpdate update) {
    RecurrenceRule.Builder rule = RecurrenceRule.newBuilder();
    for (String path : UpdateMaskPaths.RECURRENCE_FIELDS) {
      applyRecurrencePath(rule, path, update);
    }
    return rule.build();
  }

  // Enums go through their numbers so that values unknown to this proto are kept, not dropped.
  private static RecurrenceRule applyRecurrencePath(
      RecurrenceRule.Builder rule, String path, RecurrenceRuleUpdate update) {
    switch (path) {
      case "recurrence.freq" -> rule.setFreqValue(update.getFreqValue());
      case "recurrence.interval" -> rule.setInterval(update.getInterval());
      case "recurrence.end_criteria" -> {
        if (update.hasEndCriteria()) {
          rule.setEndCriteria(update.getEndCriteria());
        } else {
          rule.clearEndCriteria();
        }
      }
      case "recurrence.byminutes" -> rule.clearByminutes().addAllByminutes(update.getByminutesList());
      case "recurrence.byhours" -> rule.clearByhours().addAllByhours(update.getByhoursList());
      case "recurrence.byweekdays" ->
          rule.clearByweekdays().addAllByweekdaysValue(update.getByweekdaysValueList());
      case "recurrence.bymonthdays" ->
          rule.clearBymonthdays().addAllBymonthdays(update.getBymonthdaysList());
      case "recurrence.bymonths" -> rule.clearBymonths().addAllBymonths(update.getBymonthsList());
      default -> throw new IllegalStateException("unvalidated path " + path);
    }
    return rule.build();
  }
}
