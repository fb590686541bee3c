package dev.tokenwise.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.api.translate.ChatTexts;
import dev.tokenwise.core.Dialect;

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

    /**
     * The outcome of a call from its raw answer in the OpenAI chat dialect: the assistant's text when the
     * status is 200, else the reason ({@code reason} when the call got no answer, else the status).
     */
    public static Reply ofOpenAiAnswer(int status, byte[] body, long costPicoUsd, long latencyMillis, String reason) {
      boolean ok = status == 200;
      return new Reply(status, ok ? ChatTexts.answer(Dialect.OPENAI, body) : null, costPicoUsd, latencyMillis,
          ok ? null : reason != null ? reason : "HTTP " + status);
    }
  }
}
