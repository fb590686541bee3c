package dev.tokenwise.policy;

import dev.tokenwise.core.Usage;

/**
 * What came of a call, for the stages that learn from traffic (an automatic cap learns the output
 * lengths of a pattern) and for the response cache, which keeps the answer.
 *
 * @param status the HTTP status the client got
 * @param usage the tokens, or null when unknown
 * @param finishReason the finish or stop reason, or null
 * @param answer the whole answer in the client's dialect (built from the stream when the call was
 *     streamed), or null when none is wanted or it could not be built
 * @param costPicoUsd what the call cost, or null when unknown
 * @param baselinePicoUsd what the call as sent would have cost, or null when unknown
 * @param model the model the provider said answered, or null
 */
public record Outcome(int status, Usage usage, String finishReason, byte[] answer, Long costPicoUsd,
    Long baselinePicoUsd, String model) {

  /** An outcome without an answer to keep. */
  public Outcome(int status, Usage usage, String finishReason) {
    this(status, usage, finishReason, null, null, null, null);
  }
}
