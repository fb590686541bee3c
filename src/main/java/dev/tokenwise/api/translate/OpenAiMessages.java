package dev.tokenwise.api.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Turns an OpenAI {@code messages} array into Anthropic's top-level {@code system} blocks and alternating
 * user/assistant turns. Messages are appended through {@link #append}, which merges same-role neighbours;
 * tool results ride in user turns and are moved ahead of any other user content of that turn, because
 * Anthropic wants every {@code tool_result} first in the message right after the {@code tool_use}.
 */
final class OpenAiMessages {
  private static final Set<String> IMAGE_TYPES = Set.of("image/jpeg", "image/png", "image/gif", "image/webp");
  static final String CONVERSATION_START = "(conversation start)";

  private final ArrayNode system = Json.MAPPER.createArrayNode();
  private final List<ObjectNode> turns = new ArrayList<>();
  private final List<String> notes;
  private boolean namesDropped;

  private OpenAiMessages(List<String> notes) {
    this.notes = notes;
  }

  /** The translated turns and the hoisted system blocks (possibly empty). */
  record Result(ArrayNode system, ArrayNode messages) {}

  static Result translate(JsonNode messages, List<String> notes) {
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw GatewayException.invalid("messages", "'messages' must be a non-empty array, got " + Json.kind(messages));
    }
    OpenAiMessages t = new OpenAiMessages(notes);
    for (int i = 0; i < messages.size(); i++) {
      t.message(messages.get(i), i);
    }
    return t.finish();
  }

  private void message(JsonNode m, int i) {
    String at = "messages[" + i + "]";
    if (!m.isObject()) {
      throw GatewayException.invalid(at, at + " must be an object, got " + Json.kind(m));
    }
    if (m.hasNonNull("name") && !namesDropped) {
      namesDropped = true;
      notes.add("dropped 'name' on messages: Anthropic turns have no author name");
    }
    String role = Json.textAt(m, "role");
    switch (role == null ? "" : role) {
      case "system", "developer" -> system(m, at);
      case "user" -> append("user", userBlocks(m.get("content"), at), at);
      case "assistant" -> append("assistant", assistantBlocks(m, at), at);
      case "tool" -> append("user", toolResult(m, at), at);
      default -> throw GatewayException.invalid(at + ".role",
          "role " + (role == null ? "null" : "'" + role + "'") + " at " + at
              + " cannot be sent to an Anthropic model; use system, developer, user, assistant or tool");
    }
  }

  private void system(JsonNode m, String at) {
    for (String text : texts(m.get("content"), at)) {
      system.add(text(text));
    }
  }

  private ArrayNode userBlocks(JsonNode content, String at) {
    ArrayNode blocks = Json.MAPPER.createArrayNode();
    if (content == null || content.isNull()) {
      return blocks;
    }
    if (content.isTextual()) {
      addText(blocks, content.asText());
      return blocks;
    }
    if (!content.isArray()) {
      throw GatewayException.invalid(at + ".content", at + ".content must be a string or an array of parts");
    }
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String where = at + ".content[" + j + "]";
      String type = Json.textAt(part, "type");
      switch (type == null ? "" : type) {
        case "text" -> addText(blocks, Json.textAt(part, "text"));
        case "image_url" -> blocks.add(image(part.get("image_url"), where));
        case "file" -> blocks.add(document(part.get("file"), where));
        case "input_audio" -> throw GatewayException.invalid(where, "audio input at " + where
            + " is not supported by Anthropic models; send a transcript as text instead");
        default -> throw GatewayException.invalid(where, "content part type "
            + (type == null ? "null" : "'" + type + "'") + " at " + where + " has no Anthropic equivalent");
      }
    }
    return blocks;
  }

  private static ObjectNode image(JsonNode imageUrl, String where) {
    String url = Json.textAt(imageUrl, "url");
    ObjectNode source = Json.object();
    if (url != null && url.startsWith("data:")) {
      DataUrl data = DataUrl.parse(url, where);
      if (!IMAGE_TYPES.contains(data.mediaType())) {
        throw GatewayException.invalid(where, "image type '" + data.mediaType() + "' at " + where
            + " is not accepted by Anthropic; use image/jpeg, image/png, image/gif or image/webp");
      }
      source.put("type", "base64").put("media_type", data.mediaType()).put("data", data.base64());
    } else if (url != null && (url.startsWith("https://") || url.startsWith("http://"))) {
      source.put("type", "url").put("url", url);
    } else {
      throw GatewayException.invalid(where, "image_url.url at " + where + " must be an http(s) URL or a base64 data: URL");
    }
    ObjectNode block = Json.object().put("type", "image");
    block.set("source", source);
    return block;
  }

  private static ObjectNode document(JsonNode file, String where) {
    String fileData = Json.textAt(file, "file_data");
    if (fileData == null) {
      throw GatewayException.invalid(where, "the file at " + where + " has no file_data; an OpenAI file_id "
          + "cannot be forwarded to an Anthropic model, so inline the PDF as a base64 data: URL");
    }
    DataUrl data = DataUrl.parse(fileData, where);
    if (!data.mediaType().equals("application/pdf")) {
      throw GatewayException.invalid(where, "file type '" + data.mediaType() + "' at " + where
          + " is not supported; only application/pdf files can be sent to an Anthropic model");
    }
    ObjectNode block = Json.object().put("type", "document");
    block.putObject("source").put("type", "base64").put("media_type", "application/pdf").put("data", data.base64());
    return block;
  }

  private ArrayNode assistantBlocks(JsonNode m, String at) {
    ArrayNode blocks = Json.MAPPER.createArrayNode();
    // Text parts become one block: they are a single answer that OpenAI merely allows to be split.
    addText(blocks, String.join("", texts(m.get("content"), at)));
    addText(blocks, Json.textAt(m, "refusal"));
    JsonNode calls = m.get("tool_calls");
    if (calls != null && calls.isArray()) {
      for (int k = 0; k < calls.size(); k++) {
        blocks.add(toolUse(calls.get(k), at + ".tool_calls[" + k + "]"));
      }
    }
    if (m.hasNonNull("audio")) {
      notes.add("dropped 'audio' of " + at + ": Anthropic history cannot hold audio");
    }
    return blocks;
  }

  private ObjectNode toolUse(JsonNode call, String where) {
    JsonNode function = call.get("function");
    String id = Json.textAt(call, "id");
    String name = Json.textAt(function, "name");
    if (!"function".equals(Json.textAt(call, "type")) || id == null || name == null) {
      throw GatewayException.invalid(where, "the tool call at " + where
          + " must be a function call with an id and a function.name to be sent to an Anthropic model");
    }
    ObjectNode block = Json.object().put("type", "tool_use").put("id", id).put("name", name);
    block.set("input", arguments(Json.textAt(function, "arguments"), where));
    return block;
  }

  /** Parses a call's arguments string; Anthropic needs an object, so anything else is repaired and noted. */
  private JsonNode arguments(String arguments, String where) {
    JsonNode parsed = null;
    if (arguments != null && !arguments.isBlank()) {
      try {
        parsed = Json.MAPPER.readTree(arguments);
      } catch (IOException e) {
        parsed = null;
      }
    }
    if (parsed == null || parsed.isMissingNode()) {
      notes.add("sent {} as the input of " + where + ": its arguments were empty or not valid JSON");
      return Json.object();
    }
    if (!parsed.isObject()) {
      notes.add("wrapped the arguments of " + where + " as {\"value\": …}: Anthropic tool input must be an object");
      ObjectNode wrapped = Json.object();
      wrapped.set("value", parsed);
      return wrapped;
    }
    return parsed;
  }

  private ArrayNode toolResult(JsonNode m, String at) {
    String id = Json.textAt(m, "tool_call_id");
    if (id == null) {
      throw GatewayException.invalid(at + ".tool_call_id", at + " is a tool message without a tool_call_id");
    }
    ObjectNode block = Json.object().put("type", "tool_result").put("tool_use_id", id);
    JsonNode content = m.get("content");
    if (content != null && content.isTextual()) {
      if (!content.asText().isEmpty()) {
        block.put("content", content.asText());
      }
    } else {
      ArrayNode parts = Json.MAPPER.createArrayNode();
      for (String text : texts(content, at)) {
        addText(parts, text);
      }
      if (!parts.isEmpty()) {
        block.set("content", parts);
      }
    }
    return Json.MAPPER.createArrayNode().add(block);
  }

  /** The texts of a string or an array of text parts, as system, tool and assistant messages carry them. */
  private static List<String> texts(JsonNode content, String at) {
    List<String> out = new ArrayList<>();
    if (content == null || content.isNull()) {
      return out;
    }
    if (content.isTextual()) {
      out.add(content.asText());
      return out;
    }
    if (!content.isArray()) {
      throw GatewayException.invalid(at + ".content", at + ".content must be a string or an array of text parts");
    }
    for (int j = 0; j < content.size(); j++) {
      JsonNode part = content.get(j);
      String type = Json.textAt(part, "type");
      if ("text".equals(type) && Json.textAt(part, "text") != null) {
        out.add(Json.textAt(part, "text"));
      } else if ("refusal".equals(type) && Json.textAt(part, "refusal") != null) {
        out.add(Json.textAt(part, "refusal"));
      } else {
        String where = at + ".content[" + j + "]";
        throw GatewayException.invalid(where, "only text parts are allowed at " + where);
      }
    }
    return out;
  }

  /** Anthropic rejects empty text blocks, so empty strings are skipped. */
  private static void addText(ArrayNode blocks, String text) {
    if (text != null && !text.isEmpty()) {
      blocks.add(text(text));
    }
  }

  private static ObjectNode text(String text) {
    return Json.object().put("type", "text").put("text", text);
  }

  private void append(String role, ArrayNode blocks, String at) {
    if (blocks.isEmpty()) {
      notes.add("dropped " + at + ": it had no content Anthropic accepts (empty text is rejected)");
      return;
    }
    ObjectNode last = turns.isEmpty() ? null : turns.get(turns.size() - 1);
    if (last != null && role.equals(last.get("role").asText())) {
      ((ArrayNode) last.get("content")).addAll(blocks);
      return;
    }
    ObjectNode turn = Json.object().put("role", role);
    turn.set("content", blocks);
    turns.add(turn);
  }

  private Result finish() {
    if (turns.isEmpty()) {
      throw GatewayException.invalid("messages", "'messages' holds no user or assistant message with content; "
          + "an Anthropic model needs at least one");
    }
    if (turns.get(0).get("role").asText().equals("assistant")) {
      ObjectNode start = Json.object().put("role", "user");
      start.putArray("content").add(text(CONVERSATION_START));
      turns.add(0, start);
      notes.add("prepended a user message \"" + CONVERSATION_START + "\": Anthropic conversations must start with a user turn");
    }
    ArrayNode messages = Json.MAPPER.createArrayNode();
    for (ObjectNode turn : turns) {
      if (turn.get("role").asText().equals("user")) {
        toolResultsFirst((ArrayNode) turn.get("content"));
      }
      messages.add(turn);
    }
    if (turns.get(turns.size() - 1).get("role").asText().equals("assistant")) {
      notes.add("kept the trailing assistant message as a prefill (Claude 4.6 and later models reject prefill)");
    }
    return new Result(system, messages);
  }

  /** Stable partition: tool results first, in their order, then the rest of the turn in its order. */
  private static void toolResultsFirst(ArrayNode content) {
    List<JsonNode> results = new ArrayList<>();
    List<JsonNode> rest = new ArrayList<>();
    content.forEach(b -> ("tool_result".equals(Json.textAt(b, "type")) ? results : rest).add(b));
    content.removeAll();
    content.addAll(results);
    content.addAll(rest);
  }

  /** A {@code data:<mime>;base64,<payload>} URL taken apart. */
  record DataUrl(String mediaType, String base64) {
    static DataUrl parse(String url, String where) {
      int comma = url.indexOf(',');
      String header = comma < 0 ? "" : url.substring("data:".length(), comma);
      if (!url.startsWith("data:") || !header.endsWith(";base64")) {
        throw GatewayException.invalid(where, "the data URL at " + where + " must have the form data:<type>;base64,<data>");
      }
      String mediaType = header.substring(0, header.indexOf(';')).trim().toLowerCase(Locale.ROOT);
      return new DataUrl(mediaType, url.substring(comma + 1));
    }
  }
}
