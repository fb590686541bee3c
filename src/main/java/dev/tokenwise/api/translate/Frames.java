package dev.tokenwise.api.translate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** SSE framing and the small JSON helpers both translators share. */
final class Frames {
  static final byte[] NONE = new byte[0];

  private Frames() {}

  /** An OpenAI-style block: one data line and a blank line. */
  static void data(ByteArrayOutputStream out, JsonNode payload) {
    out.writeBytes("data: ".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(Json.bytes(payload));
    out.writeBytes("\n\n".getBytes(StandardCharsets.US_ASCII));
  }

  /** The OpenAI end-of-stream sentinel, which is not JSON. */
  static void done(ByteArrayOutputStream out) {
    out.writeBytes("data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII));
  }

  /** An Anthropic-style block: a named event and its data line. */
  static void event(ByteArrayOutputStream out, String name, JsonNode payload) {
    out.writeBytes(("event: " + name + "\n").getBytes(StandardCharsets.UTF_8));
    data(out, payload);
  }

  /** Writes what the hook supplies; a null hook or null bytes write nothing. */
  static void extra(ByteArrayOutputStream out, Supplier<byte[]> hook) {
    byte[] bytes = hook == null ? null : hook.get();
    if (bytes != null) {
      out.writeBytes(bytes);
    }
  }

  /** The event's data as a JSON object, or null when it is absent or not an object. */
  static JsonNode object(String data) {
    if (data == null) {
      return null;
    }
    JsonNode node = Json.tryParse(data.getBytes(StandardCharsets.UTF_8));
    return node != null && node.isObject() ? node : null;
  }

  /** The number at a field, or null when the field is absent, null or not a number. */
  static Long number(JsonNode node, String field) {
    JsonNode n = node == null ? null : node.get(field);
    return n != null && n.isNumber() ? n.asLong() : null;
  }

  /** The text at a field, or the fallback when it is absent or not a string. */
  static String text(JsonNode node, String field, String fallback) {
    String s = Json.textAt(node, field);
    return s == null ? fallback : s;
  }
}
