package dev.tokenwise.api.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;

/**
 * Turns a non-streaming OpenAI (or OpenAI-compatible) chat completion into the Anthropic Message an
 * Anthropic client expects.
 *
 * <p>Only the first choice is used: Anthropic has no {@code n}, so a translated request never asks for more.
 * Tool-call arguments arrive as a JSON string that models sometimes get wrong; an unparsable string becomes
 * {@code {}} so the client still sees a well-formed {@code tool_use} block it can answer with an error.
 */
public final class OpenAiToAnthropicResponse {
  private OpenAiToAnthropicResponse() {}

  /** The Anthropic message for a chat completion; {@code clientModel}, when non-null, replaces the upstream model id. */
  public static ObjectNode translate(JsonNode chatCompletion, String clientModel) {
    String id = Json.textAt(chatCompletion, "id");
    String model = clientModel != null ? clientModel : Json.textAt(chatCompletion, "model");
    JsonNode choice = chatCompletion == null ? null : chatCompletion.path("choices").path(0);
    JsonNode message = choice == null ? null : choice.get("message");

    ArrayNode content = Json.MAPPER.createArrayNode();
    String text = contentText(message == null ? null : message.get("content"));
    if (text != null && !text.isEmpty()) {
      content.addObject().put("type", "text").put("text", text);
    }
    String refusal = Json.textAt(message, "refusal");
    boolean refused = refusal != null && !refusal.isEmpty();
    if (refused) {
      content.addObject().put("type", "text").put("text", refusal);
    }
    JsonNode toolCalls = message == null ? null : message.get("tool_calls");
    if (toolCalls != null && toolCalls.isArray()) {
      for (JsonNode call : toolCalls) {
        content.add(toolUse(call));
      }
    }
    // Some Anthropic clients read content[0] unconditionally, so an empty answer still gets one block.
    if (content.isEmpty()) {
      content.addObject().put("type", "text").put("text", "");
    }

    ObjectNode root = Json.object();
    root.put("id", "msg_" + (id == null ? "" : id));
    root.put("type", "message");
    root.put("role", "assistant");
    root.put("model", model);
    root.set("content", content);
    root.put("stop_reason", refused ? "refusal" : stopReason(Json.textAt(choice, "finish_reason")));
    root.putNull("stop_sequence");
    root.set("usage", usage(chatCompletion == null ? null : chatCompletion.get("usage")));
    return root;
  }

  /**
   * The Anthropic {@code stop_reason} for an OpenAI {@code finish_reason}; null and unknown values give "end_turn".
   * "stop" never becomes "stop_sequence" because OpenAI strips the matched string and does not say which one it was.
   */
  public static String stopReason(String openAiFinishReason) {
    if (openAiFinishReason == null) {
      return "end_turn";
    }
    return switch (openAiFinishReason) {
      case "length" -> "max_tokens";
      case "tool_calls", "function_call" -> "tool_use";
      case "content_filter" -> "refusal";
      default -> "end_turn";
    };
  }

  /** The message text: a string, or the text parts joined when a compatible provider answers with parts. */
  private static String contentText(JsonNode content) {
    if (content == null) {
      return null;
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (!content.isArray()) {
      return null;
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      String partText = Json.textAt(part, "text");
      if ("text".equals(Json.textAt(part, "type")) && partText != null) {
        text.append(partText);
      }
    }
    return text.toString();
  }

  private static ObjectNode toolUse(JsonNode call) {
    JsonNode function = call.path("function");
    ObjectNode block = Json.object();
    block.put("type", "tool_use");
    block.put("id", Json.textAt(call, "id"));
    block.put("name", Json.textAt(function, "name"));
    block.set("input", input(Json.textAt(function, "arguments")));
    return block;
  }

  /** Parsed arguments as an object: invalid or empty JSON gives {}, other JSON values are wrapped as {"value": …}. */
  private static ObjectNode input(String arguments) {
    JsonNode parsed = arguments == null ? null : Json.tryParse(arguments.getBytes(StandardCharsets.UTF_8));
    if (parsed == null || parsed.isMissingNode() || parsed.isNull()) {
      return Json.object();
    }
    if (parsed.isObject()) {
      return (ObjectNode) parsed;
    }
    ObjectNode wrapped = Json.object();
    wrapped.set("value", parsed);
    return wrapped;
  }

  private static ObjectNode usage(JsonNode usage) {
    long prompt = Json.longAt(usage, "prompt_tokens");
    long cacheWrite = Json.longAt(usage, "prompt_tokens_details", "cache_write_tokens");
    long cacheRead;
    long input;
    // DeepSeek reports its cache as a hit/miss split of the prompt instead of OpenAI's cached_tokens.
    if (usage != null && (usage.has("prompt_cache_hit_tokens") || usage.has("prompt_cache_miss_tokens"))) {
      cacheRead = Json.longAt(usage, "prompt_cache_hit_tokens");
      input = usage.has("prompt_cache_miss_tokens")
          ? Json.longAt(usage, "prompt_cache_miss_tokens")
          : prompt - cacheRead - cacheWrite;
    } else {
      cacheRead = Json.longAt(usage, "prompt_tokens_details", "cached_tokens");
      input = prompt - cacheRead - cacheWrite;
    }
    ObjectNode out = Json.object();
    // A provider whose details exceed its prompt count must not produce a negative count.
    out.put("input_tokens", Math.max(0, input));
    out.put("cache_creation_input_tokens", cacheWrite);
    out.put("cache_read_input_tokens", cacheRead);
    out.put("output_tokens", Json.longAt(usage, "completion_tokens"));
    return out;
  }
}
