package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;

/**
 * The Messages stream of anthropic.md §4: {@code message_start} (final input and cache figures,
 * output placeholder 1), one block group with a {@code ping} after its start, {@code message_delta}
 * with the stop reason and cumulative usage, {@code message_stop}. No {@code [DONE]}.
 */
final class AnthropicStream {
  private AnthropicStream() {}

  static void write(Exchange ex, Plan plan, ObjectNode message, Answer answer, ObjectNode usage) {
    EventStream out = ex.stream(plan, AnthropicRequests.inBandError(plan));
    ObjectNode start = message.deepCopy();
    start.putArray("content");
    start.putNull("stop_reason");
    start.putNull("stop_sequence");
    ObjectNode startUsage = usage.deepCopy();
    startUsage.put("output_tokens", 1);
    start.set("usage", startUsage);
    ObjectNode ms = Json.object().put("type", "message_start");
    ms.set("message", start);
    out.event("message_start", ms);
    if (answer.isToolCall()) {
      ObjectNode block = Json.object().put("type", "tool_use").put("id", AnthropicMessages.toolUseId())
          .put("name", answer.toolName());
      block.putObject("input");
      blockStart(out, block);
      delta(out, Json.object().put("type", "input_json_delta").put("partial_json", ""));
      for (String fragment : OpenAiStream.fragments(answer.toolArguments())) {
        delta(out, Json.object().put("type", "input_json_delta").put("partial_json", fragment));
      }
      out.event("content_block_stop", Json.object().put("type", "content_block_stop").put("index", 0));
    } else if (!answer.text().isEmpty()) {
      blockStart(out, Json.object().put("type", "text").put("text", ""));
      for (String piece : OpenAiStream.pieces(answer.text())) {
        delta(out, Json.object().put("type", "text_delta").put("text", piece));
      }
      out.event("content_block_stop", Json.object().put("type", "content_block_stop").put("index", 0));
    }
    ObjectNode md = Json.object().put("type", "message_delta");
    md.putObject("delta").put("stop_reason", AnthropicMessages.stopReason(answer))
        .put("stop_sequence", answer.stopSequence());
    // Cumulative, input and cache figures included: a consumer that adds them to message_start's
    // would count them twice, visibly.
    md.putObject("usage")
        .put("input_tokens", usage.get("input_tokens").asInt())
        .put("cache_creation_input_tokens", usage.get("cache_creation_input_tokens").asInt())
        .put("cache_read_input_tokens", usage.get("cache_read_input_tokens").asInt())
        .put("output_tokens", answer.outputTokens());
    out.event("message_delta", md);
    out.end(EventStream.named("message_stop", Json.object().put("type", "message_stop")));
  }

  private static void blockStart(EventStream out, ObjectNode block) {
    ObjectNode e = Json.object().put("type", "content_block_start").put("index", 0);
    e.set("content_block", block);
    out.event("content_block_start", e);
    out.event("ping", Json.object().put("type", "ping"));
  }

  private static void delta(EventStream out, ObjectNode delta) {
    ObjectNode e = Json.object().put("type", "content_block_delta").put("index", 0);
    e.set("delta", delta);
    out.event("content_block_delta", e);
  }
}
