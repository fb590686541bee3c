package dev.tokenwise.api.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import java.util.Map;

/**
 * Collects what one Anthropic Messages stream reports about itself, event by event.
 *
 * <p>{@code message_start} carries the final input and cache figures and a placeholder output count;
 * {@code message_delta} carries cumulative usage. Each non-null field of a later usage therefore
 * replaces the earlier value and is never added to it, which is what keeps input and cache tokens
 * from being counted twice when a delta repeats them. One instance per stream, one thread.
 */
public final class AnthropicStreamUsage {
  private final boolean requestUsedOneHourTtl;
  private final ObjectNode usage = Json.object();
  private final StringBuilder relayed = new StringBuilder();
  private boolean sawStart;
  private boolean sawFinalUsage;
  private String stopReason;
  private String model;

  /**
   * Creates an accumulator for one stream.
   *
   * @param requestUsedOneHourTtl see {@link AnthropicUsage#requestUsesOneHourTtl(JsonNode)}
   */
  public AnthropicStreamUsage(boolean requestUsedOneHourTtl) {
    this.requestUsedOneHourTtl = requestUsedOneHourTtl;
  }

  /**
   * Records one event. {@code eventType} is the SSE {@code event:} name; when null, the payload's
   * {@code type} is used. Unknown events are ignored.
   */
  public void onEvent(String eventType, JsonNode data) {
    if (data == null || !data.isObject()) {
      return;
    }
    String type = eventType != null ? eventType : Json.textAt(data, "type");
    if (type == null) {
      return;
    }
    switch (type) {
      case "message_start" -> {
        JsonNode message = data.path("message");
        sawStart = true;
        String m = Json.textAt(message, "model");
        if (m != null) {
          model = m;
        }
        replaceFields(message.get("usage"));
      }
      case "message_delta" -> {
        String reason = Json.textAt(data.path("delta"), "stop_reason");
        if (reason != null) {
          stopReason = reason;
        }
        JsonNode u = data.get("usage");
        if (u != null && u.isObject()) {
          replaceFields(u);
          sawFinalUsage = true;
        }
      }
      case "content_block_start" -> {
        JsonNode block = data.path("content_block");
        append(Json.textAt(block, "text"));
        append(Json.textAt(block, "thinking"));
        append(Json.textAt(block, "name"));
      }
      case "content_block_delta" -> {
        JsonNode delta = data.path("delta");
        append(Json.textAt(delta, "text"));
        append(Json.textAt(delta, "partial_json"));
        append(Json.textAt(delta, "thinking"));
      }
      default -> { }
    }
  }

  /**
   * The usage so far. Before a {@code message_delta} with usage arrived, output is only the
   * {@code message_start} placeholder; check {@link #sawFinalUsage()} and estimate output otherwise.
   */
  public Usage usage() {
    return AnthropicUsage.parse(usage, requestUsedOneHourTtl);
  }

  /** Whether {@code message_start} arrived, so that input and cache figures are exact. */
  public boolean sawStart() {
    return sawStart;
  }

  /** Whether a {@code message_delta} with usage arrived, so that output is final. */
  public boolean sawFinalUsage() {
    return sawFinalUsage;
  }

  /** The stop reason from {@code message_delta}, or null before it. */
  public String stopReason() {
    return stopReason;
  }

  /** The model named in {@code message_start}, or null before it. */
  public String model() {
    return model;
  }

  /** The {@code usage.service_tier} reported so far, or null. */
  public String serviceTier() {
    return Json.textAt(usage, "service_tier");
  }

  /** Text, tool names and input JSON, and thinking text seen so far. */
  public String relayedText() {
    return relayed.toString();
  }

  private void replaceFields(JsonNode from) {
    if (from == null || !from.isObject()) {
      return;
    }
    for (Map.Entry<String, JsonNode> field : from.properties()) {
      if (!field.getValue().isNull()) {
        usage.set(field.getKey(), field.getValue().deepCopy());
      }
    }
  }

  private void append(String text) {
    if (text != null) {
      relayed.append(text);
    }
  }
}
