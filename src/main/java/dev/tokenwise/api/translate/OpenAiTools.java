package dev.tokenwise.api.translate;

import static dev.tokenwise.api.translate.OpenAiToAnthropicRequest.present;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.Json;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** OpenAI {@code tools}, {@code tool_choice} and {@code parallel_tool_calls} in Anthropic's shape. */
final class OpenAiTools {
  private OpenAiTools() {}

  static void translate(ObjectNode body, ObjectNode out, List<String> notes) {
    ArrayNode tools = tools(present(body, "tools"));
    ObjectNode choice = null;
    JsonNode toolChoice = present(body, "tool_choice");
    if (toolChoice != null) {
      choice = toolChoice(toolChoice, tools, notes);
    }
    JsonNode parallel = present(body, "parallel_tool_calls");
    if (parallel != null && !parallel.asBoolean(true)) {
      if (tools.isEmpty()) {
        notes.add("dropped 'parallel_tool_calls': the request has no tools");
      } else if (choice != null && "none".equals(Json.textAt(choice, "type"))) {
        notes.add("dropped 'parallel_tool_calls': tool_choice none allows no calls at all");
      } else {
        if (choice == null) {
          choice = Json.object().put("type", "auto");
        }
        choice.put("disable_parallel_tool_use", true);
      }
    }
    if (!tools.isEmpty()) {
      out.set("tools", tools);
    }
    if (choice != null) {
      out.set("tool_choice", choice);
    }
  }

  private static ArrayNode tools(JsonNode tools) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    if (tools == null) {
      return out;
    }
    if (!tools.isArray()) {
      throw GatewayException.invalid("tools", "'tools' must be an array, got " + Json.kind(tools));
    }
    for (int i = 0; i < tools.size(); i++) {
      String at = "tools[" + i + "]";
      JsonNode tool = tools.get(i);
      String type = Json.textAt(tool, "type");
      if ("custom".equals(type)) {
        throw GatewayException.invalid(at, "the custom tool at " + at + " has no Anthropic equivalent; "
            + "declare it as a function tool with a JSON schema");
      }
      JsonNode function = tool.get("function");
      String name = Json.textAt(function, "name");
      if (!"function".equals(type) || name == null) {
        throw GatewayException.invalid(at, at + " must be {\"type\":\"function\",\"function\":{\"name\":…}}");
      }
      ObjectNode t = Json.object().put("name", name);
      JsonNode description = present(function, "description");
      if (description != null) {
        t.set("description", description);
      }
      JsonNode parameters = present(function, "parameters");
      if (parameters == null) {
        // OpenAI lets a tool omit its parameters; Anthropic requires an object schema.
        t.putObject("input_schema").put("type", "object").putObject("properties");
      } else {
        t.set("input_schema", parameters);
      }
      JsonNode strict = present(function, "strict");
      if (strict != null) {
        t.set("strict", strict);
      }
      out.add(t);
    }
    return out;
  }

  private static ObjectNode toolChoice(JsonNode choice, ArrayNode tools, List<String> notes) {
    if (choice.isTextual()) {
      return switch (choice.asText()) {
        case "auto" -> Json.object().put("type", "auto");
        case "none" -> Json.object().put("type", "none");
        case "required" -> Json.object().put("type", "any");
        default -> throw GatewayException.invalid("tool_choice", "'tool_choice' " + choice
            + " is not known; use auto, none, required or a named function");
      };
    }
    String type = Json.textAt(choice, "type");
    if ("function".equals(type) && Json.textAt(choice.get("function"), "name") != null) {
      return Json.object().put("type", "tool").put("name", Json.textAt(choice.get("function"), "name"));
    }
    if ("allowed_tools".equals(type)) {
      return allowedTools(choice.get("allowed_tools"), tools, notes);
    }
    throw GatewayException.invalid("tool_choice", "'tool_choice' of type "
        + (type == null ? "null" : "'" + type + "'") + " has no Anthropic equivalent");
  }

  /** Anthropic has no allow-list, so the tools outside it are not sent at all. */
  private static ObjectNode allowedTools(JsonNode allowed, ArrayNode tools, List<String> notes) {
    String mode = Json.textAt(allowed, "mode");
    if (!"auto".equals(mode) && !"required".equals(mode)) {
      throw GatewayException.invalid("tool_choice", "'tool_choice.allowed_tools.mode' must be auto or required");
    }
    Set<String> names = new HashSet<>();
    JsonNode list = allowed.path("tools");
    for (JsonNode tool : list) {
      String name = Json.textAt(tool.get("function"), "name");
      if (name != null) {
        names.add(name);
      }
    }
    int before = tools.size();
    for (int i = tools.size() - 1; i >= 0; i--) {
      if (!names.contains(tools.get(i).get("name").asText())) {
        tools.remove(i);
      }
    }
    if (tools.isEmpty()) {
      throw GatewayException.invalid("tool_choice", "'tool_choice.allowed_tools' names none of the declared tools");
    }
    if (tools.size() < before) {
      notes.add("sent only the " + tools.size() + " of " + before + " tools that tool_choice.allowed_tools allows");
    }
    return Json.object().put("type", mode.equals("auto") ? "auto" : "any");
  }
}
