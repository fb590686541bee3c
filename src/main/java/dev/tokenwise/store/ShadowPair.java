package dev.tokenwise.store;

import java.time.Instant;

/**
 * One live call copied to a candidate model, as kept in table {@code shadow_pairs}.
 *
 * @param id the pair's id ({@code sh-…})
 * @param time when the copy was made (its day is the one its spend counts against)
 * @param pattern the production call's pattern
 * @param requestId the production call's row in {@code requests}
 * @param productionModel the model that answered the client
 * @param candidateModel the model the copy went to
 * @param productionCostPicoUsd what the client's call cost, or null when unknown
 * @param candidateCostPicoUsd what the copy cost, or null when unknown
 * @param scoringCostPicoUsd what scoring the pair cost (a judge's call), 0 otherwise
 * @param spendPicoUsd what the pair counted against the shadow's daily cap: the copy's cost (its estimate
 *     when the cost came back unknown) plus the scoring cost
 * @param productionLatencyMillis how long the client's call took
 * @param candidateLatencyMillis how long the copy took
 * @param candidateStatus the copy's HTTP status (0 when the gateway could not be reached)
 * @param candidateError why the copy got no answer (set whenever the status is not 200), or null
 * @param productionText the client's answer, or null when bodies are not stored
 * @param candidateText the candidate's answer, or null when bodies are not stored or it failed
 * @param score how close the candidate came, in [0, 1], or null until scored
 * @param passed whether it passed the scorer, or null until scored
 * @param scorer the scorer's name, or null until scored
 * @param note the scorer's reason, or null
 */
public record ShadowPair(String id, Instant time, String pattern, String requestId, String productionModel,
    String candidateModel, Long productionCostPicoUsd, Long candidateCostPicoUsd, long scoringCostPicoUsd,
    long spendPicoUsd, long productionLatencyMillis, long candidateLatencyMillis, int candidateStatus,
    String candidateError, String productionText, String candidateText, Double score, Boolean passed, String scorer,
    String note) {

  /** Whether the candidate answered. */
  public boolean answered() {
    return candidateError == null;
  }
}
