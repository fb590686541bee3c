package dev.tokenwise.api.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;

/**
 * Turns a non-streaming Anthropic Message into the OpenAI {@code chat.completion} an OpenAI client expects.
 *
 * <p>Thinking blocks and server-tool blocks are dropped: an OpenAI message has no place for them. Usage is
 * re-expressed in OpenAI's terms, where the prompt count includes cache reads and writes; cost must still be
 * computed from the original Anthropic usage, because the mapping loses the write/read price split.
 */
public final class AnthropicToOpenAiResponse {
  private AnthropicToOpenAiResponse() {}

  /** The chat completion for an Anthropic message; {@code clientModel}, when non-null, replaces the upstream model id. */
  public static ObjectNode translate(JsonNode anthropicMessage, String clientModel, long createdEpochSeconds) {
    String id = Json.textAt(anthropicMessage, "id");
    String model = clientModel != null ? clientModel : Json.textAt(anthropicMessage, "model");

    ObjectNode root = Json.object();
    root.put("id", "chatcmpl-" + (id == null ? "" : id));
    root.put("object", "chat.completion");
    root.put("created", createdEpochSeconds);
    root.put("model", model);
    ArrayNode choices = root.putArray("choices");
    ObjectNode choice = choices.addObject();
    choice.put("index", 0);
    choice.set("message", message(anthropicMessage));
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(Json.textAt(anthropicMessage, "stop_reason")));
    root.set("usage", usage(anthropicMessage == null ? null : anthropicMessage.get("usage")));
    return root;
  }

  /** The OpenAI {@code finish_reason} for an Anthropic {@code stop_reason}; null and unknown values give "stop". */
  public static String finishReason(String anthropicStopReason) {
    if (anthropicStopReason == null) {
      return "stop";
    }
    return switch (anthropicStopReason) {
      case "max_tokens", "model_context_window_exceeded" -> "length";
      case "tool_use" -> "tool_calls";
      // The partial text, if any, stays in content; OpenAI clients read content_filter as "withheld".
      case "refusal" -> "content_filter";
      // pause_turn only happens with server tools, which an OpenAI client cannot resume anyway.
      default -> "stop";
    };
  }

  private static ObjectNode message(JsonNode anthropicMessage) {
    StringBuilder text = null;
    ArrayNode toolCalls = null;
    JsonNode content = anthropicMessage == null ? null : anthropicMessage.get("content");
    if (content != null && content.isArray()) {
      for (JsonNode block : content) {
        String type = Json.textAt(block, "type");
        if ("text".equals(type)) {
          String part = Json.textAt(block, "text");
          text = text == null ? new StringBuilder() : text;
          text.append(part == null ? "" : part);
        } else if ("tool_use".equals(type)) {
          toolCalls = toolCalls == null ? Json.MAPPER.createArrayNode() : toolCalls;
          toolCalls.add(toolCall(block));
        }
      }
    }
    ObjectNode message = Json.object();
    message.put("role", "assistant");
    message.put("content", text == null ? null : text.toString());
    message.putNull("refusal");
    // The key is left out rather than empty because some OpenAI clients fail on "tool_calls": [].
    if (toolCalls != null) {
      message.set("tool_calls", toolCalls);
    }
    return message;
  }

  private static ObjectNode toolCall(JsonNode block) {
    JsonNode input = block.get("input");
    ObjectNode function = Json.object();
    function.put("name", Json.textAt(block, "name"));
    function.put("arguments", input == null || input.isNull() ? "{}" : Json.string(input));
    ObjectNode call = Json.object();
    call.put("id", Json.textAt(block, "id"));
    call.put("type", "function");
    call.set("function", function);
    return call;
  }

  private static ObjectNode usage(JsonNode usage) {
    return usage(Json.longAt(usage, "input_tokens"), Json.longAt(usage, "cache_creation_input_tokens"),
        Json.longAt(usage, "cache_read_input_tokens"), Json.longAt(usage, "output_tokens"),
        Json.longAt(usage, "output_tokens_details", "thinking_tokens"));
  }

  /** An OpenAI usage object from Anthropic's counts: {@code prompt_tokens} holds cache reads and writes. */
  static ObjectNode usage(long input, long cacheWrite, long cacheRead, long output, long thinking) {
    long prompt = input + cacheWrite + cacheRead;
    ObjectNode out = Json.object();
    out.put("prompt_tokens", prompt);
    out.put("completion_tokens", output);
    out.put("total_tokens", prompt + output);
    ObjectNode promptDetails = out.putObject("prompt_tokens_details");
    promptDetails.put("cached_tokens", cacheRead);
    promptDetails.put("cache_write_tokens", cacheWrite);
    out.putObject("completion_tokens_details").put("reasoning_tokens", thinking);
    return out;
  }
}
