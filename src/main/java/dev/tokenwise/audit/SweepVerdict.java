package dev.tokenwise.audit;

/**
 * The latest finished eval sweep of a pattern, as the audit reads it: whether a cheaper model passed, and
 * where its figures are.
 *
 * @param runId the sweep ({@code /tokenwise/api/evals/{id}})
 * @param currentModel the model in use when it ran
 * @param winner the cheapest model that passed, or null when none did
 * @param keepCurrent true when no cheaper model passed but the current one did
 * @param winnerPassRate the winner's share of items passed
 * @param threshold the bar
 * @param items the set's size
 * @param monthlySavingPicoUsd the sweep's own monthly saving at the pattern's volume
 * @param chartSvg the cost-quality scatter, or null
 */
public record SweepVerdict(String runId, String currentModel, String winner, boolean keepCurrent, double winnerPassRate,
    double threshold, int items, long monthlySavingPicoUsd, String chartSvg) {

  /** The API path of the sweep's stored rows. */
  public String link() {
    return "/tokenwise/api/evals/" + runId;
  }

  /** Whether it proved a cheaper model. */
  public boolean proven() {
    return winner != null && !keepCurrent;
  }
}
