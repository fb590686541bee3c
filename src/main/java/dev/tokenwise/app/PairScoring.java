package dev.tokenwise.app;

import dev.tokenwise.server.ShadowCopy;

/** How a shadow test's pair is scored: the candidate's answer against the production answer as reference. */
interface PairScoring {

  /** The verdict on one pair whose two answers are both there, or null when it cannot be scored. */
  Verdict score(ShadowCopy copy);

  /**
   * A scorer's verdict.
   *
   * @param value how close the candidate came, in [0, 1]; null when the scorer could not grade the pair (a
   *     judge that failed), which leaves it unscored with the note
   * @param pass whether it passed; null with {@code value}
   * @param scorer the scorer's name ({@code exact}, {@code judge:gpt-4o}, …)
   * @param note the scorer's reason, or null
   * @param costPicoUsd what scoring cost (a judge's call), 0 otherwise
   */
  record Verdict(Double value, Boolean pass, String scorer, String note, long costPicoUsd) {}
}
