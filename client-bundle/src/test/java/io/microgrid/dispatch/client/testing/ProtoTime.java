package io.microgrid.dispatch.client.testing;

import com.google.protobuf.Timestamp;
import java.time.Instant;

/** Timestamp arithmetic; protobuf-javalite ships no {@code Timestamps} utility class. */
public final class ProtoTime {

  private ProtoTime() {}

  public static Timestamp of(Instant instant) {
    return Timestamp.newBuilder()
        .setSeconds(instant.getEpochSecond())
        .setNanos(instant.getNano())
        .build();
  }

  public static Instant toInstant(Timestamp timestamp) {
    return Instant.ofEpochSecond(timestamp.getSeconds(), timestamp.getNanos());
  }

  public static int compare(Timestamp a, Timestamp b) {
    int bySeconds = Long.compare(a.getSeconds(), b.getSeconds());
    return bySeconds != 0 ? bySeconds : Integer.compare(a.getNanos(), b.getNanos());
  }
}
