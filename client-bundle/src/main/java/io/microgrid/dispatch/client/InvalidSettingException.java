package io.microgrid.dispatch.client;

import java.util.Objects;
import java.util.function.Function;

/**
 * {@link ClientOptions} refused a setting. The problem is told without the setting's name, so
 * that each place the setting comes from (a configuration property, a command-line flag) can put
 * it in its own words with {@link #messageFor(Function)}. Never contains the API key.
 */
public final class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final ClientOptions.Setting setting;
  private final String problem;

  /**
   * @param setting the setting that is wrong
   * @param problem what is wrong and how to fix it, to follow the setting's name
   */
  InvalidSettingException(ClientOptions.Setting setting, String problem) {
    super(setting + " " + problem);
    this.setting = Objects.requireNonNull(setting, "setting");
    this.problem = Objects.requireNonNull(problem, "problem");
  }

  /**
   * Returns the setting that is wrong.
   *
   * @return the setting
   */
  public ClientOptions.Setting setting() {
    return setting;
  }

  /**
   * Returns what is wrong, worded to follow the setting's name (e.g. "must be more than 0, got 0
   * s").
   *
   * @return the problem
   */
  public String problem() {
    return problem;
  }

  /**
   * Returns the message with the setting named as the caller knows it.
   *
   * @param name the caller's name of each setting, e.g. a configuration property or a flag
   * @return the name followed by the problem
   */
  public String messageFor(Function<? super ClientOptions.Setting, String> name) {
    return name.apply(setting) + " " + problem;
  }
}
