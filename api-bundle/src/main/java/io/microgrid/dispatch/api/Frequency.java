package io.microgrid.dispatch.api;

/** How often a {@link RecurrenceRule} repeats, as in RFC 5545 {@code FREQ}. */
public enum Frequency {
  /** Every minute. */
  MINUTELY,
  /** Every hour. */
  HOURLY,
  /** Every day. */
  DAILY,
  /** Every week. */
  WEEKLY,
  /** Every month. */
  MONTHLY,
  /** Every year. */
  YEARLY
}
