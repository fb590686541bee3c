package dev.tokenwise.provider.sim;

import java.time.Duration;

/**
 * What one call does, taken from a rule (or the default: generate an answer). Event counts are -1
 * when unset; {@code truncateAfter} is {@link #BEFORE_END} for "all but the terminal event";
 * {@code runaway} makes a text answer run on to the output cap; {@code answerMin} and
 * {@code answerMax} (-1 when unset) bound the length of a generated text answer; {@code difficulty}
 * (1 to 5, 0 when no rule set it) is how hard the input is, which decides whether the model answers
 * it right (see {@link Quality}).
 */
record Plan(
    String text, int inputTokens, int outputTokens, String toolName, String toolArguments,
    int failStatus, Duration retryAfter, Duration stall, Duration streamDelay, int dropAfter,
    boolean garbage, boolean reset, int truncateAfter, int failAfterEvents, boolean runaway,
    int answerMin, int answerMax, int difficulty) {

  /** A truncation that keeps every event but the stream's terminal one. */
  static final int BEFORE_END = Integer.MAX_VALUE;

  static final Plan DEFAULT = new Plan(null, -1, -1, null, null, 0, null, Duration.ZERO,
      Duration.ZERO, -1, false, false, -1, -1, false, -1, -1, 0);

  /** This plan with the input's difficulty set (0 = none). */
  Plan withDifficulty(int d) {
    return new Plan(text, inputTokens, outputTokens, toolName, toolArguments, failStatus, retryAfter,
        stall, streamDelay, dropAfter, garbage, reset, truncateAfter, failAfterEvents, runaway,
        answerMin, answerMax, d);
  }

  /** Whether the plan only sets a difficulty and otherwise does what the default plan does. */
  boolean onlyDifficulty() {
    return difficulty > 0 && withDifficulty(0).equals(DEFAULT);
  }

  boolean forcedUsage() {
    return inputTokens >= 0;
  }
}
