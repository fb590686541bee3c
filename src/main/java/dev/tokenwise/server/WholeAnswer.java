package dev.tokenwise.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;

/**
 * The ordinary non-streamed response of a dialect, built from what a stream carried: with
 * {@code early_exit: json} a client that asked for a whole answer gets one although the gateway read a
 * stream (and may have stopped it after the answer's JSON value).
 *
 * <p>Design note: the identity (OpenAI's {@code id}, {@code created}, {@code system_fingerprint},
 * {@code service_tier}; Anthropic's message {@code id}) is copied from the stream's first event, so the
 * answer carries the provider's own ids as a whole answer would.
 */
final class WholeAnswer {
  private WholeAnswer() {}

  /**
   * @param dialect the wire format of the answer (the client's and the provider's)
   * @param first the stream's first event data (an OpenAI chunk, or Anthropic's {@code message_start}), or null
   * @param model the model that served the call, or null to take it from {@code first}
   * @param text the answer's text
   * @param finishReason OpenAI's {@code finish_reason} or Anthropic's {@code stop_reason}
   * @param usage the call's usage, or null when unknown
   */
  static ObjectNode of(Dialect dialect, ObjectNode first, String model, String text, String finishReason,
      Usage usage) {
    return dialect == Dialect.OPENAI ? openAi(first, model, text, finishReason, usage)
        : anthropic(first, model, text, finishReason, usage);
  }

  private static ObjectNode openAi(ObjectNode first, String model, String text, String finishReason, Usage usage) {
    ObjectNode out = Json.object();
    JsonNode from = first == null ? Json.object() : first;
    out.put("id", from.hasNonNull("id") ? from.get("id").asText() : "chatcmpl-tokenwise");
    out.put("object", "chat.completion");
    if (from.has("created")) {
      out.set("created", from.get("created"));
    } else {
      out.put("created", System.currentTimeMillis() / 1000);
    }
    out.put("model", model != null ? model : Json.textAt(from, "model"));
    ObjectNode choice = out.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", text);
    message.putNull("refusal");
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason == null ? "stop" : finishReason);
    if (usage != null) {
      out.set("usage", openAiUsage(usage));
    }
    for (String field : new String[] {"service_tier", "system_fingerprint"}) {
      if (from.hasNonNull(field)) {
        out.set(field, from.get(field));
      }
    }
    return out;
  }

  /** The OpenAI usage object of the gateway's figures: {@code prompt_tokens} counts every input token. */
  static ObjectNode openAiUsage(Usage usage) {
    ObjectNode u = Json.object();
    u.put("prompt_tokens", usage.totalInputTokens());
    u.put("completion_tokens", usage.outputTokens());
    u.put("total_tokens", usage.totalInputTokens() + usage.outputTokens());
    u.putObject("prompt_tokens_details").put("cached_tokens", usage.cachedInputTokens());
    u.putObject("completion_tokens_details").put("reasoning_tokens", usage.reasoningTokens());
    return u;
  }

  private static ObjectNode anthropic(ObjectNode first, String model, String text, String stopReason, Usage usage) {
    JsonNode from = first == null ? Json.object() : first.path("message");
    ObjectNode out = Json.object();
    out.put("id", from.hasNonNull("id") ? from.get("id").asText() : "msg_tokenwise");
    out.put("type", "message");
    out.put("role", "assistant");
    out.put("model", model != null ? model : Json.textAt(from, "model"));
    out.putArray("content").addObject().put("type", "text").put("text", text);
    out.put("stop_reason", stopReason == null ? "end_turn" : stopReason);
    out.putNull("stop_sequence");
    ObjectNode u = out.putObject("usage");
    Usage n = usage == null ? Usage.NONE : usage;
    u.put("input_tokens", n.inputTokens());
    u.put("cache_creation_input_tokens", n.cacheWriteTokens());
    u.put("cache_read_input_tokens", n.cachedInputTokens());
    u.put("output_tokens", n.outputTokens());
    if (n.cacheWriteTokens() > 0) {
      ObjectNode c = u.putObject("cache_creation");
      c.put("ephemeral_5m_input_tokens", n.cacheWrite5mTokens());
      c.put("ephemeral_1h_input_tokens", n.cacheWrite1hTokens());
    }
    JsonNode tier = from.path("usage").get("service_tier");
    if (tier != null && tier.isTextual()) {
      u.set("service_tier", tier);
    }
    return out;
  }
}
