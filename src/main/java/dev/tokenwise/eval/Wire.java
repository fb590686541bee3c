package dev.tokenwise.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.api.anthropic.AnthropicStreamToWhole;
import dev.tokenwise.api.openai.OpenAiStreamToWhole;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an eval needs of the two chat dialects: the input of a call as text a person (or a judge) can
 * read, the text of an answer, and the call made ready for another model.
 */
final class Wire {
  /** A message's text is cut here in the rendered input: a judge needs the gist, not every byte. */
  static final int MAX_MESSAGE_CHARS = 6_000;

  private Wire() {}

  /** The call as it goes to a candidate: the model swapped, whole rather than streamed. */
  static ObjectNode forModel(ObjectNode request, String model) {
    ObjectNode copy = request.deepCopy();
    copy.put("model", model);
    copy.remove("stream");
    copy.remove("stream_options");
    return copy;
  }

  /** The conversation as readable text: {@code system:\n…\n\nuser:\n…}, each message cut at a bound. */
  static String input(Dialect dialect, JsonNode request) {
    List<String> parts = new ArrayList<>();
    if (dialect == Dialect.ANTHROPIC && !request.path("system").isMissingNode()) {
      parts.add(block("system", text(request.path("system"))));
    }
    for (JsonNode m : request.path("messages")) {
      String role = m.path("role").asText("user");
      String text = text(m.path("content"));
      if (m.path("tool_calls").isArray()) {
        text = (text.isEmpty() ? "" : text + "\n") + toolCalls(m.path("tool_calls"));
      }
      parts.add(block(role, text));
    }
    return String.join("\n\n", parts);
  }

  /** The answer's text from a response body in a dialect, whole or streamed; empty when it has none. */
  static Optional<String> answer(Dialect dialect, byte[] body, boolean stream) {
    if (body == null || body.length == 0) {
      return Optional.empty();
    }
    byte[] whole = body;
    if (stream) {
      Optional<byte[]> w = dialect == Dialect.ANTHROPIC ? AnthropicStreamToWhole.wholeFromStream(body)
          : OpenAiStreamToWhole.wholeFromStream(body);
      if (w.isEmpty()) {
        return Optional.empty();
      }
      whole = w.get();
    }
    JsonNode json = Json.tryParse(whole);
    if (json == null) {
      return Optional.empty();
    }
    if (dialect == Dialect.ANTHROPIC) {
      List<String> out = new ArrayList<>();
      for (JsonNode b : json.path("content")) {
        switch (b.path("type").asText()) {
          case "text" -> out.add(b.path("text").asText());
          case "tool_use" -> out.add("tool " + b.path("name").asText() + " " + Json.string(b.path("input")));
          default -> { }
        }
      }
      return json.has("content") ? Optional.of(String.join("\n", out)) : Optional.empty();
    }
    JsonNode message = json.path("choices").path(0).path("message");
    if (message.isMissingNode()) {
      return Optional.empty();
    }
    String text = message.path("content").isTextual() ? message.path("content").asText() : "";
    if (message.path("tool_calls").isArray() && !message.path("tool_calls").isEmpty()) {
      text = (text.isEmpty() ? "" : text + "\n") + toolCalls(message.path("tool_calls"));
    }
    return Optional.of(text);
  }

  /** The answer's text from bytes. */
  static Optional<String> answer(Dialect dialect, String body, boolean stream) {
    return body == null ? Optional.empty() : answer(dialect, body.getBytes(StandardCharsets.UTF_8), stream);
  }

  /** The input and output tokens an answer reports ({@code [0, 0]} when it reports none). */
  static long[] tokens(Dialect dialect, JsonNode answer) {
    if (answer == null) {
      return new long[] {0, 0};
    }
    JsonNode u = answer.path("usage");
    if (dialect == Dialect.ANTHROPIC) {
      return new long[] {u.path("input_tokens").asLong() + u.path("cache_read_input_tokens").asLong()
          + u.path("cache_creation_input_tokens").asLong(), u.path("output_tokens").asLong()};
    }
    return new long[] {u.path("prompt_tokens").asLong(), u.path("completion_tokens").asLong()};
  }

  /** Whether the call asks for tools, for JSON output. */
  static boolean usesTools(JsonNode request) {
    return request.path("tools").isArray() && !request.path("tools").isEmpty();
  }

  static boolean wantsJson(Dialect dialect, JsonNode request) {
    String type = request.path("response_format").path("type").asText("");
    return type.equals("json_object") || type.equals("json_schema")
        || dialect == Dialect.ANTHROPIC && request.path("output_format").path("type").asText("").equals("json_schema");
  }

  private static String toolCalls(JsonNode calls) {
    List<String> out = new ArrayList<>();
    for (JsonNode c : calls) {
      out.add("tool " + c.path("function").path("name").asText() + " " + c.path("function").path("arguments").asText());
    }
    return String.join("\n", out);
  }

  /** A content field's text: a string, or the text parts of an array of blocks. */
  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    List<String> out = new ArrayList<>();
    for (JsonNode part : content) {
      String type = part.path("type").asText();
      if (type.equals("text")) {
        out.add(part.path("text").asText());
      } else if (type.equals("tool_use")) {
        out.add("tool " + part.path("name").asText() + " " + Json.string(part.path("input")));
      } else if (type.equals("tool_result")) {
        out.add("tool result: " + text(part.path("content")));
      } else if (!type.isEmpty()) {
        out.add("[" + type + "]");
      }
    }
    return String.join("\n", out);
  }

  private static String block(String role, String text) {
    String t = text.length() > MAX_MESSAGE_CHARS ? text.substring(0, MAX_MESSAGE_CHARS) + " […]" : text;
    return role + ":\n" + t;
  }
}
