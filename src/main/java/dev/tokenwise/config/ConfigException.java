package dev.tokenwise.config;

import java.util.List;

/**
 * Everything wrong with a configuration, reported at once. The message names each field and line
 * and never contains a secret value, so it is safe to print and to log.
 */
public final class ConfigException extends RuntimeException {
  private final List<String> problems;

  ConfigException(String source, List<String> problems) {
    super(message(source, problems));
    this.problems = List.copyOf(problems);
  }

  /** Each problem as one line, e.g. {@code line 7: unknown key 'retyr' (did you mean 'retry'?)}. */
  public List<String> problems() {
    return problems;
  }

  private static String message(String source, List<String> problems) {
    StringBuilder sb = new StringBuilder(source);
    sb.append(problems.size() == 1 ? " has 1 problem:" : " has " + problems.size() + " problems:");
    for (String p : problems) {
      sb.append("\n  ").append(p);
    }
    return sb.toString();
  }
}
