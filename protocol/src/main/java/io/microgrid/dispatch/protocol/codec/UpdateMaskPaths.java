package io.microgrid.dispatch.protocol.codec;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The paths of {@code UpdateMicrogridDispatchRequest.update_mask}, as the Dispatch API names them:
 * the client writes them, the server reads them, both from here.
 */
public final class UpdateMaskPaths {
  public static final String START_TIME = "start_time";
  public static final String DURATION = "duration";
  public static final String TARGET = "target";
  /**
   * The older name of {@link #TARGET}, which earlier clients send and the real service still
   * accepts; a server reads it as {@code target}, a client never writes it.
   */
  public static final String SELECTOR = "selector";
  public static final String IS_ACTIVE = "is_active";
  public static final String PAYLOAD = "payload";
  /** The whole rule at once. */
  public static final String RECURRENCE = "recurrence";

  /** The fields of the rule one by one, which together replace the whole rule. */
  public static final List<String> RECURRENCE_FIELDS =
      List.of(
          "recurrence.freq",
          "recurrence.interval",
          "recurrence.end_criteria",
          "recurrence.byminutes",
          "recurrence.byhours",
          "recurrence.byweekdays",
          "recurrence.bymonthdays",
          "recurrence.bymonths");

  /** Every path a server accepts. */
  public static final Set<String> ALL =
      Stream.concat(
              Stream.of(START_TIME, DURATION, TARGET, SELECTOR, IS_ACTIVE, PAYLOAD, RECURRENCE),
              RECURRENCE_FIELDS.stream())
          .collect(Collectors.toUnmodifiableSet());

  private UpdateMaskPaths() {}
}
