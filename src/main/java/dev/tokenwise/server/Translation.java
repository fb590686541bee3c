package dev.tokenwise.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.api.translate.AnthropicToOpenAiRequest;
import dev.tokenwise.api.translate.AnthropicToOpenAiResponse;
import dev.tokenwise.api.translate.AnthropicToOpenAiStream;
import dev.tokenwise.api.translate.ErrorTranslation;
import dev.tokenwise.api.translate.OpenAiToAnthropicRequest;
import dev.tokenwise.api.translate.OpenAiToAnthropicResponse;
import dev.tokenwise.api.translate.OpenAiToAnthropicStream;
import dev.tokenwise.api.translate.StreamTranslator;
import dev.tokenwise.api.translate.Translated;
import dev.tokenwise.analytics.UsageEstimator;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.policy.Exchange;
import dev.tokenwise.policy.Pipeline;

/**
 * A call whose provider speaks the other dialect: the request, the answer, its stream and its errors
 * are each written in the other wire format by the mapping of that direction.
 */
final class Translation {
  private Translation() {}

  /** Writes the request in the provider's dialect. */
  static void request(Exchange ex, Pipeline pipeline) {
    String model = ex.upstreamModel();
    Translated t = ex.upstreamDialect() == Dialect.ANTHROPIC
        ? OpenAiToAnthropicRequest.translate(ex.wholeBody(), model, pipeline.defaultMaxTokens(model))
        : AnthropicToOpenAiRequest.translate(ex.wholeBody(), model, pipeline.isReasoningModel(model));
    ex.translatedBody(t.body(), t.notes());
  }

  /** The provider's whole answer in the client's dialect. */
  static byte[] response(Exchange ex, JsonNode answer) {
    return Json.bytes(ex.dialect() == Dialect.OPENAI
        ? AnthropicToOpenAiResponse.translate(answer, null, ex.time().getEpochSecond())
        : OpenAiToAnthropicResponse.translate(answer, null));
  }

  /** A provider error in the client's dialect, with the matching status. */
  static ErrorTranslation.Mapped error(Exchange ex, int status, JsonNode body, String provider, String requestId) {
    return ex.dialect() == Dialect.OPENAI
        ? ErrorTranslation.toOpenAi(status, body, provider)
        : ErrorTranslation.toAnthropic(status, body, provider, requestId);
  }

  /** The state machine that writes the provider's stream in the client's dialect. */
  static StreamTranslator stream(Exchange ex) {
    if (ex.dialect() == Dialect.OPENAI) {
      boolean includeUsage = ex.body().path("stream_options").path("include_usage").asBoolean(false);
      return new AnthropicToOpenAiStream("chatcmpl-" + ex.id(), ex.time().getEpochSecond(), ex.upstreamModel(),
          includeUsage);
    }
    return new OpenAiToAnthropicStream("msg_" + ex.id(), ex.upstreamModel(),
        UsageEstimator.estimateOpenAiInput(ex.upstreamTree()));
  }
}
