package dev.tokenwise.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How the judge scorer reaches a model: one chat call in the OpenAI chat dialect (the gateway
 * translates for other providers).
 */
public interface ModelClient {

  /** Sends one chat body to {@code model} and waits for the whole answer. */
  Reply chat(String model, ObjectNode openAiChatBody);

  /**
   * The outcome of one call.
   *
   * @param status HTTP status (0 when no answer came)
   * @param text the assistant's text or null
   * @param costPicoUsd what the call cost, -1 when unknown
   * @param latencyMillis how long the call took
   * @param error short reason, or null
   */
  record Reply(int status, String text, long costPicoUsd, long latencyMillis, String error) {
  }
}
