package dev.tokenwise.store;

/**
 * A shadow test's pairs summed over a period: one pattern's calls copied to one candidate model.
 *
 * @param pairs pairs kept
 * @param scored pairs with a score
 * @param failed pairs whose copy got no answer (an error status, or an answer that could not be read)
 * @param passes scored pairs that passed
 * @param scoreSum the sum of the scores (the mean is this over {@code scored})
 * @param priced pairs whose copy answered and whose two costs are both known
 * @param productionPicoUsd what the client's calls of the priced pairs cost
 * @param candidatePicoUsd what their copies cost
 * @param spendPicoUsd what every pair counted against the daily caps (copies and scoring)
 */
public record ShadowSummary(String pattern, String candidateModel, long pairs, long scored, long failed, long passes,
    double scoreSum, long priced, long productionPicoUsd, long candidatePicoUsd, long spendPicoUsd) {

  /** The mean score over the scored pairs, or null when none is scored. */
  public Double meanScore() {
    return scored == 0 ? null : scoreSum / scored;
  }

  /** The share of scored pairs that passed, or null when none is scored. */
  public Double passRate() {
    return scored == 0 ? null : (double) passes / scored;
  }
}
