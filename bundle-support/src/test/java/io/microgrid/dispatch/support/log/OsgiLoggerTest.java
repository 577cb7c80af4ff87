package io.microgrid.dispatch.support.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microgrid.dispatch.support.log.LogServiceLoggers.OsgiLogger;
import java.lang.System.Logger.Level;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.service.log.Logger;

/** The mapping onto an OSGi {@link Logger}, seen through the calls it receives. */
class OsgiLoggerTest {
  private final List<String> calls = new ArrayList<>();
  private String enabledCheckThatAnswersTrue = "isInfoEnabled";

  private final Logger osgi =
      (Logger)
          Proxy.newProxyInstance(
              Logger.class.getClassLoader(),
              new Class<?>[] {Logger.class},
              (proxy, method, args) -> {
                if (method.getName().startsWith("is")) {
                  calls.add(method.getName());
                  return method.getName().equals(enabledCheckThatAnswersTrue);
                }
                calls.add(method.getName() + Arrays.deepToString(args));
                return null;
              });

  private final OsgiLogger logger = new OsgiLogger(osgi);

  @Test
  void eachLevelGoesToItsLogServiceLevelWithTheMessageAsTheOnlyArgument() {
    logger.log(Level.ALL, "a", null);
    logger.log(Level.TRACE, "t", null);
    logger.log(Level.DEBUG, "d", null);
    logger.log(Level.INFO, "payload {\"x\": {}}", null);
    logger.log(Level.WARNING, "w", null);
    logger.log(Level.ERROR, "e", null);
    logger.log(Level.OFF, "never", null);

    assertEquals(
        List.of(
            "trace[{}, [a]]",
            "trace[{}, [t]]",
            "debug[{}, [d]]",
            "info[{}, [payload {\"x\": {}}]]",
            "warn[{}, [w]]",
            "error[{}, [e]]"),
        calls);
  }

  @Test
  void theExceptionIsTheLastArgumentSoItBecomesTheEntrysException() {
    IllegalStateException failure = new IllegalStateException("boom");

    logger.log(Level.WARNING, "stream failed", failure);

    assertEquals(List.of("warn[{}, [stream failed, " + failure + "]]"), calls);
  }

  @Test
  void isLoggableAsksTheMatchingLevel() {
    assertTrue(logger.isLoggable(Level.INFO));
    assertFalse(logger.isLoggable(Level.DEBUG));
    enabledCheckThatAnswersTrue = "isDebugEnabled";
    assertTrue(logger.isLoggable(Level.DEBUG));
    assertFalse(logger.isLoggable(Level.TRACE));
    assertFalse(logger.isLoggable(Level.OFF));

    assertEquals(
        List.of("isInfoEnabled", "isDebugEnabled", "isDebugEnabled", "isTraceEnabled"), calls);
  }
}
