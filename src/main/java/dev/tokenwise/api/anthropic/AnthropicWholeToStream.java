package dev.tokenwise.api.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.TextPieces;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Writes the Messages stream equivalent to a whole message, for a cached answer served to a client
 * that asked for {@code stream: true}: the events the API sends, framed as it frames them.
 *
 * <p>Design note: {@code message_start} carries the message with no content, no stop reason and the
 * whole usage but for {@code output_tokens}, which is the placeholder 1 there and the real count in
 * {@code message_delta}, as the API reports them. Text, thinking and tool input go out in pieces of
 * at most {@value #PIECE} chars; a thinking block's signature follows its text in one
 * {@code signature_delta}; a tool call's {@code input} is sent as its JSON text in
 * {@code input_json_delta} pieces. Blocks of other types (redacted thinking, server tool results)
 * come whole in their {@code content_block_start}, as the API sends them. One {@code ping} follows the
 * first block's start, where the API puts it.
 */
public final class AnthropicWholeToStream {
  static final int PIECE = 64;
  private static final Set<String> NOT_IN_START = Set.of("content", "stop_reason", "stop_sequence", "stop_details",
      "usage");

  private final ByteArrayOutputStream out = new ByteArrayOutputStream(1024);

  private AnthropicWholeToStream() {}

  /**
   * The SSE bytes of the stream, {@code message_stop} included.
   *
   * @param wholeJson a Messages response body ({@code "type": "message"})
   * @throws IllegalArgumentException when the body is not a message with a content array
   */
  public static byte[] streamFromWhole(byte[] wholeJson) {
    JsonNode whole = Json.tryParse(wholeJson);
    if (whole == null || !"message".equals(Json.textAt(whole, "type")) || !whole.path("content").isArray()) {
      throw new IllegalArgumentException("the cached body is not a message with content");
    }
    AnthropicWholeToStream stream = new AnthropicWholeToStream();
    stream.start(whole);
    int index = 0;
    for (JsonNode block : whole.get("content")) {
      stream.block(index, block);
      index++;
    }
    ObjectNode event = type("message_delta");
    ObjectNode delta = event.putObject("delta");
    delta.set("stop_reason", whole.get("stop_reason"));
    delta.set("stop_sequence", whole.get("stop_sequence"));
    if (whole.has("stop_details")) {
      delta.set("stop_details", whole.get("stop_details"));
    }
    event.putObject("usage").put("output_tokens", Json.longAt(whole, "usage", "output_tokens"));
    stream.event("message_delta", event);
    stream.event("message_stop", type("message_stop"));
    return stream.out.toByteArray();
  }

  private void start(JsonNode whole) {
    ObjectNode message = Json.object();
    message.set("id", whole.get("id"));
    message.put("type", "message");
    message.put("role", "assistant");
    message.set("model", whole.get("model"));
    message.putArray("content");
    message.putNull("stop_reason");
    message.putNull("stop_sequence");
    ObjectNode usage = whole.path("usage").isObject() ? (ObjectNode) whole.get("usage").deepCopy() : Json.object();
    usage.put("output_tokens", 1);
    message.set("usage", usage);
    whole.properties().forEach(f -> {
      if (!NOT_IN_START.contains(f.getKey()) && !message.has(f.getKey())) {
        message.set(f.getKey(), f.getValue());
      }
    });
    ObjectNode event = type("message_start");
    event.set("message", message);
    event("message_start", event);
  }

  private void block(int index, JsonNode block) {
    ObjectNode opening = block.deepCopy();
    switch (String.valueOf(Json.textAt(block, "type"))) {
      case "text" -> {
        opening.put("text", "");
        boolean cited = block.path("citations").isArray();
        if (cited) {
          opening.putArray("citations");
        }
        startBlock(index, opening);
        pieces(index, "text_delta", "text", Json.textAt(block, "text"));
        if (cited) {
          for (JsonNode citation : block.get("citations")) {
            ObjectNode d = type("citations_delta");
            d.set("citation", citation);
            delta(index, d);
          }
        }
      }
      case "thinking" -> {
        opening.put("thinking", "");
        opening.put("signature", "");
        startBlock(index, opening);
        pieces(index, "thinking_delta", "thinking", Json.textAt(block, "thinking"));
        String signature = Json.textAt(block, "signature");
        if (signature != null && !signature.isEmpty()) {
          delta(index, type("signature_delta").put("signature", signature));
        }
      }
      case "tool_use", "server_tool_use", "mcp_tool_use" -> {
        opening.putObject("input");
        startBlock(index, opening);
        JsonNode input = block.path("input").isObject() ? block.get("input") : Json.object();
        pieces(index, "input_json_delta", "partial_json", Json.string(input));
      }
      default -> startBlock(index, opening);
    }
    ObjectNode stop = type("content_block_stop");
    stop.put("index", index);
    event("content_block_stop", stop);
  }

  private void startBlock(int index, ObjectNode block) {
    ObjectNode event = type("content_block_start");
    event.put("index", index);
    event.set("content_block", block);
    event("content_block_start", event);
    if (index == 0) {
      event("ping", type("ping"));
    }
  }

  private void pieces(int index, String deltaType, String field, String text) {
    for (String piece : TextPieces.of(text == null ? "" : text, PIECE)) {
      delta(index, type(deltaType).put(field, piece));
    }
  }

  private void delta(int index, ObjectNode delta) {
    ObjectNode event = type("content_block_delta");
    event.put("index", index);
    event.set("delta", delta);
    event("content_block_delta", event);
  }

  private void event(String name, ObjectNode payload) {
    out.writeBytes(("event: " + name + "\ndata: ").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(Json.bytes(payload));
    out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static ObjectNode type(String type) {
    return Json.object().put("type", type);
  }
}
