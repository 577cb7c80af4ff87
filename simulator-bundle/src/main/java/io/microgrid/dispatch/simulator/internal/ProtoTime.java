package io.microgrid.dispatch.simulator.internal;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Timestamp arithmetic; protobuf-javalite ships no {@code Timestamps} utility class. */
final class ProtoTime {

  private ProtoTime() {}

  static Timestamp of(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  /**
   * Reads a timestamp that came from a request.
   *
   * @throws IllegalArgumentException naming the field when it is out of the range of an Instant
   *     or has nanos outside 0..999,999,999
   */
  static Instant toInstant(String field, Timestamp timestamp) {
    if (timestamp.getNanos() < 0 || timestamp.getNanos() > 999_999_999) {
      throw new IllegalArgumentException(field + " has nanos out of range: " + timestamp.getNanos());
    }
    try {
      return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
    } catch (java.time.DateTimeException e) {
      throw new IllegalArgumentException(
          field + " is out of range: " + timestamp.getSeconds() + " s since the epoch");
    }
  }

  static int compare(Timestamp a, Timestamp b) {
    int bySeconds = Long.compare(a.getSeconds(), b.getSeconds());
    return bySeconds != 0 ? bySeconds : Integer.compare(a.getNanos(), b.getNanos());
  }
}
