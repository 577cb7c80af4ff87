package io.microgrid.dispatch.api;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.function.Executable;

/** Assertions shared by the tests: a refusal has the right type and names the bad field. */
final class Refusals {
  private Refusals() {}

  /**
   * Asserts that {@code call} throws {@code type} and that the message names {@code field} as a
   * whole word (so "id" is not satisfied by "microgridId" or "grid").
   */
  static <T extends Throwable> T assertRefused(Class<T> type, String field, Executable call) {
    T thrown = assertThrows(type, call);
    assertNames(thrown.getMessage(), field);
    return thrown;
  }

  static void assertNames(String message, String field) {
    assertNotNull(message, "the exception has no message; expected it to name " + field);
    Pattern word =
        Pattern.compile("(?<![A-Za-z0-9_.])" + Pattern.quote(field) + "(?![A-Za-z0-9_])");
    assertTrue(
        word.matcher(message).find(),
        () -> "expected the message to name '" + field + "', got: " + message);
  }
}
