package dev.tokenwise.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;

/**
 * Usage for a stream that ended before the provider reported it (client disconnect, early exit).
 *
 * <p>Counts use {@code o200k_base}: exact for current OpenAI models and a first approximation for
 * everyone else. What was relayed is counted as it is, with no margin for tokens the provider
 * generated but never sent, so the figure is a floor. Every result is marked estimated and must not
 * be shown as provider-reported usage.
 */
public final class UsageEstimator {
  /** Tokens every chat message adds around its role and content (OpenAI cookbook). */
  private static final int PER_MESSAGE = 3;
  /** Tokens a {@code name} field adds on top of its own text. */
  private static final int PER_NAME = 1;
  /** Tokens that prime the assistant's reply, once per request. */
  private static final int REPLY_PRIMING = 3;
  /** A low-detail image on gpt-4o; high detail costs more, so this stays a floor. */
  private static final int PER_IMAGE = 85;

  private UsageEstimator() {}

  /** Holder so the encoding tables load on first use only; the encoding is thread-safe. */
  private static final class O200k {
    static final Encoding ENCODING =
        Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  }

  /** The {@code o200k_base} token count of a text; special-token markers count as plain text. */
  public static long countTokens(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    return O200k.ENCODING.countTokensOrdinary(text);
  }

  /**
   * An Anthropic stream cut short: input and cache figures as {@code message_start} reported them
   * (exact), output counted from the relayed text (text, tool-input JSON and thinking).
   *
   * <p>Output never drops below what the provider itself had already reported.
   */
  public static Usage withKnownInput(Usage reported, String relayedOutputText) {
    long output = Math.max(reported.outputTokens(), countTokens(relayedOutputText));
    return new Usage(reported.inputTokens(), reported.cachedInputTokens(),
        reported.cacheWrite5mTokens(), reported.cacheWrite1hTokens(), output, 0, true);
  }

  /**
   * An OpenAI-dialect stream cut short: input estimated from the request's messages, output counted
   * from the relayed text. Cached tokens are unknowable here, so all input is billed as uncached.
   */
  public static Usage openAi(JsonNode requestBody, String relayedOutputText) {
    return new Usage(estimateOpenAiInput(requestBody), 0, 0, 0, countTokens(relayedOutputText), 0, true);
  }

  /**
   * Input tokens of an OpenAI Chat Completions request by the cookbook formula: per message 3 +
   * role + content (+1 + name), plus 3 to prime the reply. Tool definitions and assistant tool
   * calls are counted as their JSON text; each image part counts as a low-detail image.
   */
  public static long estimateOpenAiInput(JsonNode requestBody) {
    if (requestBody == null || !requestBody.isObject()) {
      return 0;
    }
    long tokens = REPLY_PRIMING;
    for (JsonNode message : requestBody.path("messages")) {
      tokens += PER_MESSAGE + countTokens(Json.textAt(message, "role"));
      tokens += contentTokens(message.get("content"));
      String name = Json.textAt(message, "name");
      if (name != null) {
        tokens += PER_NAME + countTokens(name);
      }
      for (JsonNode call : message.path("tool_calls")) {
        tokens += countTokens(Json.textAt(call.path("function"), "name"));
        tokens += countTokens(Json.textAt(call.path("function"), "arguments"));
      }
    }
    JsonNode tools = requestBody.get("tools");
    if (tools != null && tools.isArray() && !tools.isEmpty()) {
      tokens += countTokens(Json.string(tools));
    }
    return tokens;
  }

  private static long contentTokens(JsonNode content) {
    if (content == null || content.isNull()) {
      return 0;
    }
    if (content.isTextual()) {
      return countTokens(content.asText());
    }
    long tokens = 0;
    for (JsonNode part : content) {
      String type = Json.textAt(part, "type");
      if ("image_url".equals(type) || "input_image".equals(type)) {
        tokens += PER_IMAGE;
      } else {
        tokens += countTokens(Json.textAt(part, "text"));
      }
    }
    return tokens;
  }
}
