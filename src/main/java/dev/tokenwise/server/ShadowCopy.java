package dev.tokenwise.server;

import dev.tokenwise.core.Dialect;
import dev.tokenwise.policy.ShadowSettings;
import java.time.Instant;

/**
 * A live call and its copy on a candidate model, as a shadow test hands them over. The texts are
 * always here (scoring needs them); whoever keeps them decides whether they may be stored.
 *
 * @param requestId the client's call, as logged in {@code requests}
 * @param time when the copy was made; its UTC day is the one its spend counts against
 * @param pattern the client's call pattern
 * @param dialect the client's wire format (the copy was made in it)
 * @param requestedModel the model the client asked for
 * @param productionModel the model that answered the client
 * @param settings the policy's shadow settings (candidate, cap, scorer)
 * @param productionCostPicoUsd what the client's call cost, or null when unknown
 * @param productionLatencyMillis how long the client's call took
 * @param candidateStatus the copy's HTTP status (0 when the gateway could not be reached)
 * @param candidateError why the copy got no answer, or null
 * @param candidateCostPicoUsd what the copy cost, or null when unknown
 * @param spendPicoUsd what the copy counted against the cap (its cost, or its estimate when unknown)
 * @param candidateLatencyMillis how long the copy took
 * @param input the conversation the two answered, rendered for a reader
 * @param productionText the client's answer
 * @param candidateText the candidate's answer, or null when it got none
 * @param caller calls another model as this copy's client would (a judge scoring the pair)
 */
public record ShadowCopy(String requestId, Instant time, String pattern, Dialect dialect, String requestedModel,
    String productionModel, ShadowSettings settings, Long productionCostPicoUsd, long productionLatencyMillis,
    int candidateStatus, String candidateError, Long candidateCostPicoUsd, long spendPicoUsd,
    long candidateLatencyMillis, String input, String productionText, String candidateText, Caller caller) {

  /**
   * Calls a model on behalf of the copy's client, through the gateway like the copy itself, under the same
   * rule for keys: the client's own key goes only to the provider its call was routed to. The call counts
   * nowhere: its cost is the caller's to keep.
   */
  @FunctionalInterface
  public interface Caller {
    /** Sends one OpenAI-format chat body (not streamed) to {@code model} and waits for the whole answer. */
    InternalCalls.Reply chat(String model, byte[] openAiBody);
  }

  /** The candidate model, as the policy names it. */
  public String candidateModel() {
    return settings.model();
  }
}
