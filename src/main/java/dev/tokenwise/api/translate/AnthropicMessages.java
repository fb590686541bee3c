package dev.tokenwise.api.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns Anthropic {@code system} and {@code messages} into an OpenAI {@code messages} array. A user turn
 * that answers tool calls splits in two: one {@code tool} message per {@code tool_result}, then a user
 * message with whatever else the turn held, because OpenAI wants the tool answers right after the call.
 */
final class AnthropicMessages {
  private final ArrayNode out = Json.MAPPER.createArrayNode();
  private final List<String> notes;
  private final Runnable cacheControlSeen;
  private boolean thinkingDropped;

  private AnthropicMessages(List<String> notes, Runnable cacheControlSeen) {
    this.notes = notes;
    this.cacheControlSeen = cacheControlSeen;
  }

  static ArrayNode translate(JsonNode system, JsonNode messages, String systemRole, List<String> notes,
      Runnable cacheControlSeen) {
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw GatewayException.invalid("messages", "'messages' must be a non-empty array, got " + Json.kind(messages));
    }
    AnthropicMessages t = new AnthropicMessages(notes, cacheControlSeen);
    t.system(system, systemRole);
    for (int i = 0; i < messages.size(); i++) {
      t.message(messages.get(i), "messages[" + i + "]");
    }
    return t.out;
  }

  private void system(JsonNode system, String role) {
    if (system == null || system.isNull()) {
      return;
    }
    String text = system.isTextual() ? system.asText() : joinedText(system, "system", "\n\n");
    if (!text.isEmpty()) {
      out.addObject().put("role", role).put("content", text);
    }
  }

  private void message(JsonNode m, String at) {
    String role = Json.textAt(m, "role");
    JsonNode content = m.get("content");
    if (!"user".equals(role) && !"assistant".equals(role)) {
      throw GatewayException.invalid(at + ".role", "role " + (role == null ? "null" : "'" + role + "'") + " at " + at
          + " cannot be sent to an OpenAI model; use user or assistant");
    }
    if (content != null && content.isTextual()) {
      out.addObject().put("role", role).put("content", content.asText());
      return;
    }
    if (content == null || !content.isArray()) {
      throw GatewayException.invalid(at + ".content", at + ".content must be a string or an array of blocks");
    }
    if (role.equals("user")) {
      user(content, at);
    } else {
      assistant(content, at);
    }
  }

  private void user(JsonNode content, String at) {
    ArrayNode parts = Json.MAPPER.createArrayNode();
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String where = at + ".content[" + j + "]";
      noteCacheControl(block);
      String type = Json.textAt(block, "type");
      switch (type == null ? "" : type) {
        case "tool_result" -> toolResult(block, where, parts);
        case "text" -> parts.addObject().put("type", "text").put("text", text(block, where));
        case "image" -> parts.add(image(block, where));
        case "document" -> parts.add(document(block, where));
        default -> throw GatewayException.invalid(where, "block type " + (type == null ? "null" : "'" + type + "'")
            + " at " + where + " cannot be sent to an OpenAI model");
      }
    }
    if (parts.isEmpty()) {
      return;
    }
    ObjectNode user = out.addObject().put("role", "user");
    if (parts.size() == 1 && "text".equals(Json.textAt(parts.get(0), "type"))) {
      user.put("content", parts.get(0).get("text").asText());
    } else {
      user.set("content", parts);
    }
  }

  /** Emits the tool message now; images in the result go to the user message that follows. */
  private void toolResult(JsonNode block, String where, ArrayNode userParts) {
    String id = Json.textAt(block, "tool_use_id");
    if (id == null) {
      throw GatewayException.invalid(where + ".tool_use_id", "the tool_result at " + where + " has no tool_use_id");
    }
    JsonNode content = block.get("content");
    String text = "";
    if (content != null && content.isTextual()) {
      text = content.asText();
    } else if (content != null && content.isArray()) {
      List<String> texts = new ArrayList<>();
      for (int k = 0; k < content.size(); k++) {
        JsonNode inner = content.get(k);
        noteCacheControl(inner);
        String type = Json.textAt(inner, "type");
        if ("text".equals(type)) {
          texts.add(Json.textAt(inner, "text"));
        } else if ("image".equals(type)) {
          userParts.add(image(inner, where + ".content[" + k + "]"));
          notes.add("moved the image of the tool_result at " + where + " into a user message: OpenAI tool messages hold text only");
        } else {
          throw GatewayException.invalid(where + ".content[" + k + "]", "block type '" + type + "' inside the tool_result at "
              + where + " cannot be sent to an OpenAI model");
        }
      }
      text = String.join("\n\n", texts);
    }
    if (block.path("is_error").asBoolean(false)) {
      text = "Error: " + text;
    }
    out.addObject().put("role", "tool").put("tool_call_id", id).put("content", text);
  }

  private static ObjectNode image(JsonNode block, String where) {
    JsonNode source = block.path("source");
    String type = Json.textAt(source, "type");
    String url;
    if ("base64".equals(type)) {
      url = "data:" + Json.textAt(source, "media_type") + ";base64," + Json.textAt(source, "data");
    } else if ("url".equals(type) && Json.textAt(source, "url") != null) {
      url = Json.textAt(source, "url");
    } else {
      throw GatewayException.invalid(where, "the image at " + where + " must have a base64 or url source to be sent "
          + "to an OpenAI model");
    }
    ObjectNode part = Json.object().put("type", "image_url");
    part.putObject("image_url").put("url", url);
    return part;
  }

  private static ObjectNode document(JsonNode block, String where) {
    JsonNode source = block.path("source");
    String type = Json.textAt(source, "type");
    if ("text".equals(type) && Json.textAt(source, "data") != null) {
      return Json.object().put("type", "text").put("text", Json.textAt(source, "data"));
    }
    if ("base64".equals(type) && "application/pdf".equals(Json.textAt(source, "media_type"))) {
      ObjectNode part = Json.object().put("type", "file");
      part.putObject("file").put("filename", "document.pdf")
          .put("file_data", "data:application/pdf;base64," + Json.textAt(source, "data"));
      return part;
    }
    throw GatewayException.invalid(where, "only base64 PDF and plain-text documents can be sent to an OpenAI model; "
        + "the document at " + where + " is neither");
  }

  private void assistant(JsonNode content, String at) {
    StringBuilder text = new StringBuilder();
    ArrayNode calls = Json.MAPPER.createArrayNode();
    for (int j = 0; j < content.size(); j++) {
      JsonNode block = content.get(j);
      String where = at + ".content[" + j + "]";
      noteCacheControl(block);
      String type = Json.textAt(block, "type");
      switch (type == null ? "" : type) {
        case "text" -> text.append(text(block, where));
        case "tool_use" -> calls.add(toolCall(block, where));
        case "thinking", "redacted_thinking" -> {
          if (!thinkingDropped) {
            thinkingDropped = true;
            notes.add("dropped thinking blocks from the history: OpenAI models cannot take them back");
          }
        }
        default -> throw GatewayException.invalid(where, "block type " + (type == null ? "null" : "'" + type + "'")
            + " at " + where + " cannot be sent to an OpenAI model");
      }
    }
    if (text.isEmpty() && calls.isEmpty()) {
      notes.add("dropped " + at + ": nothing in it can be sent to an OpenAI model");
      return;
    }
    ObjectNode assistant = out.addObject().put("role", "assistant");
    if (text.isEmpty()) {
      assistant.putNull("content");
    } else {
      assistant.put("content", text.toString());
    }
    if (!calls.isEmpty()) {
      assistant.set("tool_calls", calls);
    }
  }

  private static String text(JsonNode block, String where) {
    String text = Json.textAt(block, "text");
    if (text == null) {
      throw GatewayException.invalid(where + ".text", "the text block at " + where + " has no text string");
    }
    return text;
  }

  private static ObjectNode toolCall(JsonNode block, String where) {
    String id = Json.textAt(block, "id");
    String name = Json.textAt(block, "name");
    if (id == null || name == null) {
      throw GatewayException.invalid(where, "the tool_use at " + where + " needs an id and a name");
    }
    JsonNode input = block.get("input");
    ObjectNode call = Json.object().put("id", id).put("type", "function");
    call.putObject("function").put("name", name)
        .put("arguments", Json.string(input == null || input.isNull() ? Json.object() : input));
    return call;
  }

  private String joinedText(JsonNode blocks, String at, String separator) {
    if (!blocks.isArray()) {
      throw GatewayException.invalid(at, "'" + at + "' must be a string or an array of text blocks");
    }
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < blocks.size(); i++) {
      JsonNode block = blocks.get(i);
      noteCacheControl(block);
      if (!"text".equals(Json.textAt(block, "type")) || Json.textAt(block, "text") == null) {
        throw GatewayException.invalid(at + "[" + i + "]", "'" + at + "[" + i + "]' must be a text block");
      }
      texts.add(Json.textAt(block, "text"));
    }
    return String.join(separator, texts);
  }

  private void noteCacheControl(JsonNode block) {
    if (block != null && block.has("cache_control")) {
      cacheControlSeen.run();
    }
  }
}
