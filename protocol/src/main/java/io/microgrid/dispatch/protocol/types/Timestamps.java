package io.microgrid.dispatch.protocol.types;

import com.google.protobuf.Timestamp;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * {@link Timestamp} ↔ {@link Instant}, the one place that does it. protobuf-javalite ships no
 * {@code Timestamps} utility class.
 */
public final class Timestamps {

  private Timestamps() {}

  /**
   * Writes an instant.
   *
   * @param instant the instant
   * @return the timestamp
   */
  public static Timestamp of(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  /**
   * Reads a timestamp that came from elsewhere (a server, a client, a file).
   *
   * @param field the field's name, for the message
   * @param timestamp the timestamp
   * @return the instant
   * @throws IllegalArgumentException naming the field when it has nanos outside
   *     0..999,999,999 or is out of the range of an {@link Instant}
   */
  public static Instant toInstant(String field, Timestamp timestamp) {
    if (timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
      throw new IllegalArgumentException(field + " has nanos out of range: " + timestamp.getNanos());
    }
    try {
      return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(field + " is out of range: " + timestamp.getSeconds() + " s");
    }
  }

  /**
   * Orders two timestamps as the instants they stand for.
   *
   * @param a one
   * @param b the other
   * @return negative, zero or positive as {@code a} is before, at or after {@code b}
   */
  public static int compare(Timestamp a, Timestamp b) {
    int bySeconds = Long.compare(a.getSeconds(), b.getSeconds());
    return bySeconds != 0 ? bySeconds : Integer.compare(a.getNanos(), b.getNanos());
  }
}
