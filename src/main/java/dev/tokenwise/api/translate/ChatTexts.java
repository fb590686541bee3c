package dev.tokenwise.api.translate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * The texts an answer is compared by (shadow tests, eval sweeps): an answer's text (with its tool calls
 * written out) from a whole or streamed answer in either dialect, and the conversation of a request
 * rendered for a reader or a judge model ({@code system:\n…\n\nuser:\n…}).
 */
public final class ChatTexts {
  /** A message's text is cut here: a pasted document says enough in its first part. */
  static final int MAX_MESSAGE = 4_000;
  /** The rendered conversation is kept to about this many characters: the head and the latest turns. */
  static final int MAX_INPUT = 12_000;

  private ChatTexts() {}

  /**
   * The answer's text from a body as a provider or the gateway sent it, whole or as a stream's events;
   * null when it is no answer.
   */
  public static String answer(Dialect dialect, byte[] body, boolean stream) {
    if (!stream || body == null) {
      return answer(dialect, body);
    }
    java.util.Optional<byte[]> whole = dialect == Dialect.ANTHROPIC
        ? dev.tokenwise.api.anthropic.AnthropicStreamToWhole.wholeFromStream(body)
        : dev.tokenwise.api.openai.OpenAiStreamToWhole.wholeFromStream(body);
    return whole.map(w -> answer(dialect, w)).orElse(null);
  }

  /** The answer's text, tool calls as {@code name(arguments)} lines after it; null when it is no answer. */
  public static String answer(Dialect dialect, byte[] whole) {
    JsonNode a = whole == null ? null : Json.tryParse(whole);
    if (a == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    if (dialect == Dialect.ANTHROPIC) {
      if (!a.path("content").isArray()) {
        return null;
      }
      for (JsonNode block : a.path("content")) {
        switch (block.path("type").asText()) {
          case "text" -> line(sb, block.path("text").asText(""));
          case "tool_use" -> line(sb, block.path("name").asText() + "(" + block.path("input") + ")");
          default -> { } // thinking and other blocks are not the answer
        }
      }
    } else {
      JsonNode message = a.path("choices").path(0).path("message");
      if (message.isMissingNode()) {
        return null;
      }
      line(sb, content(message.get("content")));
      for (JsonNode call : message.path("tool_calls")) {
        line(sb, call.path("function").path("name").asText() + "(" + call.path("function").path("arguments").asText()
            + ")");
      }
    }
    return sb.toString();
  }

  /** The conversation of a chat request, one block per message, the middle left out when it is long. */
  public static String input(Dialect dialect, JsonNode body) {
    List<String> blocks = new ArrayList<>();
    if (dialect == Dialect.ANTHROPIC && body.hasNonNull("system")) {
      blocks.add(block("system", content(body.get("system"))));
    }
    for (JsonNode m : body.path("messages")) {
      StringBuilder text = new StringBuilder(content(m.get("content")));
      for (JsonNode call : m.path("tool_calls")) {
        line(text, "[tool call " + call.path("function").path("name").asText() + "("
            + call.path("function").path("arguments").asText() + ")]");
      }
      blocks.add(block(m.path("role").asText("user"), text.toString()));
    }
    return fit(blocks);
  }

  /** The first block (the system prompt, or the first turn) and as many of the latest as fit. */
  private static String fit(List<String> blocks) {
    int total = blocks.stream().mapToInt(b -> b.length() + 2).sum();
    if (total <= MAX_INPUT || blocks.size() <= 2) {
      return String.join("\n\n", blocks);
    }
    int room = MAX_INPUT - blocks.get(0).length();
    int from = blocks.size();
    while (from > 1 && (from == blocks.size() || room - blocks.get(from - 1).length() - 2 >= 0)) {
      room -= blocks.get(from - 1).length() + 2;
      from--;
    }
    List<String> kept = new ArrayList<>();
    kept.add(blocks.get(0));
    if (from > 1) {
      kept.add("[" + (from - 1) + (from == 2 ? " earlier message" : " earlier messages") + " left out]");
    }
    kept.addAll(blocks.subList(from, blocks.size()));
    return String.join("\n\n", kept);
  }

  private static String block(String role, String text) {
    String t = text.length() > MAX_MESSAGE
        ? text.substring(0, MAX_MESSAGE) + " […" + (text.length() - MAX_MESSAGE) + " characters left out]" : text;
    return role + ":\n" + t;
  }

  /** A content value's text: a string, or its parts (text as it is, the rest named in brackets). */
  private static String content(JsonNode content) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      String type = part.path("type").asText();
      if (part.isTextual()) {
        line(sb, part.asText());
      } else if (part.has("text")) {
        line(sb, part.path("text").asText(""));
      } else if (type.equals("tool_use")) {
        line(sb, "[tool call " + part.path("name").asText() + "(" + part.path("input") + ")]");
      } else if (type.equals("tool_result")) {
        line(sb, "[tool result: " + content(part.get("content")) + "]");
      } else if (!type.isEmpty()) {
        line(sb, "[" + type.replace('_', ' ') + "]");
      }
    }
    return sb.toString();
  }

  private static void line(StringBuilder sb, String s) {
    if (s == null || s.isEmpty()) {
      return;
    }
    if (!sb.isEmpty()) {
      sb.append('\n');
    }
    sb.append(s);
  }
}
