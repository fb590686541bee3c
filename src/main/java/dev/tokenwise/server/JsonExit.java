package dev.tokenwise.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.api.openai.OpenAiStreamUsage;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import java.nio.charset.StandardCharsets;

/**
 * The {@code early_exit: json} tactic on a stream relayed in its own dialect: watches the answer's text
 * for the end of its JSON value, cuts the event that carries the end just after it, and writes the
 * terminal events the provider would have sent had it stopped there.
 *
 * <p>Design note: the events are rewritten in place (the chunk or delta keeps every other field), and the
 * synthesized ones copy the identity of the provider's own (OpenAI's {@code id}, {@code created},
 * {@code model}; Anthropic's open block index), so a client's SDK sees an ordinary finished answer.
 */
final class JsonExit {
  private final Dialect dialect;
  private final boolean clientUsage;
  private final JsonEnd scanner = new JsonEnd();
  private ObjectNode lastChunk;
  private int openBlock = -1;

  /**
   * @param dialect the wire format of the stream (the client's and the provider's)
   * @param clientUsage OpenAI: the client asked for {@code stream_options.include_usage}
   */
  JsonExit(Dialect dialect, boolean clientUsage) {
    this.dialect = dialect;
    this.clientUsage = clientUsage;
  }

  /**
   * Reads one OpenAI chunk; when its content ends the JSON value, cuts the content there.
   *
   * @return whether the value ended in this chunk, so the stream stops after it
   */
  boolean onOpenAiChunk(ObjectNode chunk) {
    lastChunk = chunk;
    JsonNode choice = OpenAiStreamUsage.firstChoice(chunk.path("choices"));
    if (choice == null || !choice.path("finish_reason").isNull() && !choice.path("finish_reason").isMissingNode()) {
      return false;
    }
    JsonNode content = choice.path("delta").get("content");
    if (content == null || !content.isTextual()) {
      return false;
    }
    String text = content.asText();
    int end = scanner.feed(text);
    if (end < 0) {
      return false;
    }
    ((ObjectNode) choice.get("delta")).put("content", text.substring(0, end));
    return true;
  }

  /**
   * Reads one Anthropic event; when a text delta ends the JSON value, cuts the delta there.
   *
   * @return whether the value ended in this event, so the stream stops after it
   */
  boolean onAnthropicEvent(String type, ObjectNode data) {
    switch (type) {
      case "content_block_start" -> openBlock = data.path("index").asInt(0);
      case "content_block_stop" -> openBlock = -1;
      case "content_block_delta" -> {
        JsonNode delta = data.path("delta");
        if (openBlock >= 0 && "text_delta".equals(Json.textAt(delta, "type")) && delta.path("text").isTextual()) {
          String text = delta.path("text").asText();
          int end = scanner.feed(text);
          if (end >= 0) {
            ((ObjectNode) delta).put("text", text.substring(0, end));
            return true;
          }
        }
      }
      default -> { }
    }
    return false;
  }

  /** The stop reason the synthesized end reports. */
  String finishReason() {
    return dialect == Dialect.OPENAI ? "stop" : "end_turn";
  }

  /** The events that close the answer before the cost comment. */
  byte[] beforeComment(Usage usage) {
    if (dialect == Dialect.OPENAI) {
      ObjectNode finish = base();
      ObjectNode choice = finish.putArray("choices").addObject();
      choice.put("index", 0);
      choice.putObject("delta");
      choice.putNull("logprobs");
      choice.put("finish_reason", "stop");
      if (clientUsage) {
        finish.putNull("usage");
      }
      String out = data(finish);
      if (clientUsage) {
        ObjectNode last = base();
        last.putArray("choices");
        ObjectNode u = last.putObject("usage");
        u.put("prompt_tokens", usage.totalInputTokens());
        u.put("completion_tokens", usage.outputTokens());
        u.put("total_tokens", usage.totalInputTokens() + usage.outputTokens());
        out += data(last);
      }
      return out.getBytes(StandardCharsets.UTF_8);
    }
    ObjectNode stop = Json.object().put("type", "content_block_stop").put("index", Math.max(openBlock, 0));
    ObjectNode delta = Json.object().put("type", "message_delta");
    delta.putObject("delta").put("stop_reason", "end_turn").putNull("stop_sequence");
    delta.putObject("usage").put("output_tokens", usage.outputTokens());
    return (event("content_block_stop", stop) + event("message_delta", delta)).getBytes(StandardCharsets.UTF_8);
  }

  /** The final event, after the cost comment. */
  byte[] last() {
    return dialect == Dialect.OPENAI ? StreamRelay.done()
        : event("message_stop", Json.object().put("type", "message_stop")).getBytes(StandardCharsets.UTF_8);
  }

  /** A chunk with the identity of the provider's own and nothing else. */
  private ObjectNode base() {
    ObjectNode chunk = Json.object();
    for (String field : new String[] {"id", "object", "created", "model", "service_tier", "system_fingerprint"}) {
      JsonNode v = lastChunk == null ? null : lastChunk.get(field);
      if (v != null) {
        chunk.set(field, v);
      }
    }
    if (!chunk.has("object")) {
      chunk.put("object", "chat.completion.chunk");
    }
    return chunk;
  }

  static String data(JsonNode chunk) {
    return "data: " + Json.string(chunk) + "\n\n";
  }

  static String event(String type, JsonNode data) {
    return "event: " + type + "\n" + data(data);
  }
}
