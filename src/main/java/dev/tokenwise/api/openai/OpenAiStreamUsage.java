package dev.tokenwise.api.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import java.util.Optional;

/**
 * Collects what one OpenAI-dialect stream reports about itself, chunk by chunk: the usage chunk,
 * the model, the service tier, the first choice's finish reason, and the text relayed so far (for an
 * estimate when the stream is cut before its usage chunk). One instance per stream, one thread.
 */
public final class OpenAiStreamUsage {
  private Usage usage;
  private String model;
  private String serviceTier;
  private String finishReason;
  private final StringBuilder relayed = new StringBuilder();

  /** Creates an empty accumulator for one stream. */
  public OpenAiStreamUsage() {}

  /** Records one parsed {@code data:} chunk; the {@code [DONE]} line and comments are not chunks. */
  public void onChunk(JsonNode chunk) {
    if (chunk == null || !chunk.isObject()) {
      return;
    }
    String m = Json.textAt(chunk, "model");
    if (m != null) {
      model = m;
    }
    String tier = Json.textAt(chunk, "service_tier");
    if (tier != null) {
      serviceTier = tier;
    }
    JsonNode u = chunk.get("usage");
    if (u != null && u.isObject()) {
      usage = OpenAiUsage.parse(u);
    }
    JsonNode choice = firstChoice(chunk.path("choices"));
    if (choice != null) {
      String reason = Json.textAt(choice, "finish_reason");
      if (reason != null) {
        finishReason = reason;
      }
      JsonNode delta = choice.path("delta");
      append(Json.textAt(delta, "content"));
      append(Json.textAt(delta, "refusal"));
      for (JsonNode call : delta.path("tool_calls")) {
        append(Json.textAt(call.path("function"), "name"));
        append(Json.textAt(call.path("function"), "arguments"));
      }
    }
  }

  /** The usage of the usage chunk, or empty when none arrived (not requested, or the stream was cut). */
  public Optional<Usage> usage() {
    return Optional.ofNullable(usage);
  }

  /** The first choice's finish reason, or null before the finishing chunk. */
  public String finishReason() {
    return finishReason;
  }

  /** The model the provider says served the stream, or null before the first chunk. */
  public String model() {
    return model;
  }

  /** The {@code service_tier} the chunks echoed, or null when they did not. */
  public String serviceTier() {
    return serviceTier;
  }

  /** Content, refusal and tool-call text of the first choice seen so far. */
  public String relayedText() {
    return relayed.toString();
  }

  private void append(String text) {
    if (text != null) {
      relayed.append(text);
    }
  }

  /** The choice with index 0 of a chunk's choices, or null; with {@code n > 1} other choices interleave. */
  public static JsonNode firstChoice(JsonNode choices) {
    for (JsonNode c : choices) {
      JsonNode index = c.get("index");
      if (index == null || index.asInt(-1) == 0) {
        return c;
      }
    }
    return null;
  }
}
