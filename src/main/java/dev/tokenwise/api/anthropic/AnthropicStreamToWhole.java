package dev.tokenwise.api.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.SseEvent;
import dev.tokenwise.core.SseReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Builds, from the Messages stream a client received, the whole {@code message} the same call would
 * have returned without {@code stream: true}, so that the response cache keeps one form of every
 * answer.
 *
 * <p>Design note: the message starts as {@code message_start} gave it; each block as its
 * {@code content_block_start} gave it, grown by its deltas (text, thinking, signature, citations) and,
 * for tool calls, given the {@code input} parsed from its concatenated {@code partial_json} at
 * {@code content_block_stop}. {@code message_delta} sets the stop fields and its non-null usage fields
 * replace those of {@code message_start}, since they are cumulative. An answer is only worth keeping
 * when it is complete and exact, so this returns empty rather than guess: no {@code message_stop} or
 * no stop reason, an {@code error} event, a block left open, tool input that is not JSON, a delta of
 * a kind it does not know. Unknown event types and {@code ping} are skipped, as the API asks clients
 * to do.
 */
public final class AnthropicStreamToWhole {
  private static final Set<String> PLACED = Set.of("id", "type", "role", "model", "content", "stop_reason",
      "stop_sequence", "usage");

  private JsonNode start;
  private final ObjectNode usage = Json.object();
  private final ObjectNode delta = Json.object();
  private final Map<Integer, Block> blocks = new TreeMap<>();
  private int open;
  private boolean stopped;

  /** A block as it started, and the text its deltas brought, by field; joined once at the end. */
  private static final class Block {
    final ObjectNode node;
    final Map<String, StringBuilder> grown = new LinkedHashMap<>();
    StringBuilder input;
    boolean closed;

    Block(ObjectNode node) {
      this.node = node;
    }

    void append(String field, String piece) {
      if (piece != null) {
        grown.computeIfAbsent(field, f -> new StringBuilder(Objects.requireNonNullElse(Json.textAt(node, f), "")))
            .append(piece);
      }
    }
  }

  private AnthropicStreamToWhole() {}

  /**
   * The whole message for a stream's bytes, or empty when the stream is incomplete, failed or holds
   * what cannot be rebuilt (see the class note).
   */
  public static Optional<byte[]> wholeFromStream(byte[] sse) {
    AnthropicStreamToWhole whole = new AnthropicStreamToWhole();
    for (SseEvent event : SseReader.readAll(sse)) {
      if (event.data() == null) {
        continue;
      }
      JsonNode data = Json.tryParse(event.data().getBytes(StandardCharsets.UTF_8));
      if (data == null || !data.isObject()) {
        return Optional.empty();
      }
      String type = event.event() != null ? event.event() : Json.textAt(data, "type");
      if (!whole.onEvent(type == null ? "" : type, data)) {
        return Optional.empty();
      }
      if (whole.stopped) {
        break;
      }
    }
    if (!whole.stopped || whole.open != 0 || Json.textAt(whole.delta, "stop_reason") == null) {
      return Optional.empty();
    }
    return Optional.of(Json.bytes(whole.build()));
  }

  /** Takes in one event; false when the stream cannot be rebuilt. */
  private boolean onEvent(String type, JsonNode data) {
    if (start == null && !type.equals("message_start") && !type.equals("ping")) {
      return false; // error, or a stream that does not begin as Messages streams do
    }
    switch (type) {
      case "message_start" -> {
        if (start != null || !data.path("message").isObject()) {
          return false;
        }
        start = data.get("message");
        replaceFields(start.get("usage"));
      }
      case "content_block_start" -> {
        int index = data.path("index").asInt(-1);
        if (index < 0 || blocks.containsKey(index) || !data.path("content_block").isObject()) {
          return false;
        }
        blocks.put(index, new Block(data.get("content_block").deepCopy()));
        open++;
      }
      case "content_block_delta" -> {
        return onDelta(blocks.get(data.path("index").asInt(-1)), data.path("delta"));
      }
      case "content_block_stop" -> {
        return onStop(data.path("index").asInt(-1));
      }
      case "message_delta" -> {
        data.path("delta").properties().forEach(f -> delta.set(f.getKey(), f.getValue()));
        replaceFields(data.get("usage"));
      }
      case "message_stop" -> stopped = true;
      case "error" -> {
        return false;
      }
      default -> { } // ping, and event types added later
    }
    return true;
  }

  private boolean onDelta(Block block, JsonNode d) {
    if (block == null || block.closed) {
      return false;
    }
    String kind = Json.textAt(d, "type");
    if (kind == null) {
      return false;
    }
    switch (kind) {
      case "text_delta" -> block.append("text", Json.textAt(d, "text"));
      case "thinking_delta" -> block.append("thinking", Json.textAt(d, "thinking"));
      case "signature_delta" -> block.append("signature", Json.textAt(d, "signature"));
      case "input_json_delta" -> {
        String part = Json.textAt(d, "partial_json");
        block.input = (block.input == null ? new StringBuilder() : block.input).append(part == null ? "" : part);
      }
      case "citations_delta" -> {
        if (!block.node.path("citations").isArray()) {
          block.node.putArray("citations");
        }
        ((ArrayNode) block.node.get("citations")).add(d.path("citation"));
      }
      default -> {
        return false;
      }
    }
    return true;
  }

  private boolean onStop(int index) {
    Block block = blocks.get(index);
    if (block == null || block.closed) {
      return false;
    }
    if (block.input != null) {
      String json = block.input.toString().strip();
      JsonNode parsed = json.isEmpty() ? Json.object() : Json.tryParse(json.getBytes(StandardCharsets.UTF_8));
      if (parsed == null || !parsed.isObject()) {
        return false;
      }
      block.node.set("input", parsed);
    }
    block.grown.forEach((field, text) -> block.node.put(field, text.toString()));
    block.closed = true;
    open--;
    return true;
  }

  private ObjectNode build() {
    ObjectNode out = Json.object();
    out.set("id", start.get("id"));
    out.put("type", "message");
    out.put("role", "assistant");
    out.set("model", start.get("model"));
    ArrayNode content = out.putArray("content");
    blocks.values().forEach(b -> content.add(b.node));
    out.set("stop_reason", delta.get("stop_reason"));
    out.set("stop_sequence", delta.get("stop_sequence"));
    delta.properties().forEach(f -> {
      if (!PLACED.contains(f.getKey())) {
        out.set(f.getKey(), f.getValue());
      }
    });
    out.set("usage", usage);
    start.properties().forEach(f -> {
      if (!PLACED.contains(f.getKey()) && !out.has(f.getKey())) {
        out.set(f.getKey(), f.getValue());
      }
    });
    return out;
  }

  private void replaceFields(JsonNode from) {
    if (from == null || !from.isObject()) {
      return;
    }
    from.properties().forEach(f -> {
      if (!f.getValue().isNull()) {
        usage.set(f.getKey(), f.getValue());
      }
    });
  }
}
