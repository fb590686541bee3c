package dev.tokenwise.api.translate;

import static dev.tokenwise.api.translate.OpenAiToAnthropicRequest.present;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates an Anthropic Messages request body into an OpenAI Chat Completions request body, for OpenAI
 * itself or an OpenAI-compatible server.
 *
 * <p>{@code reasoningModel} says whether the upstream is an OpenAI reasoning model (o-series, GPT-5 family):
 * those take {@code max_completion_tokens}, a {@code developer} system message and {@code reasoning_effort},
 * and reject sampling parameters; other models get {@code max_tokens} and a {@code system} message, which
 * compatible servers understand, and lose thinking and effort settings (noted). Fields with no OpenAI
 * counterpart are dropped with a note; server tools, which only Anthropic can run, are a 400.
 */
public final class AnthropicToOpenAiRequest {
  /** OpenAI accepts at most four stop sequences. */
  static final int MAX_STOP = 4;

  private static final Map<String, String> NO_EQUIVALENT = Map.of(
      "top_k", "OpenAI has no top_k",
      "service_tier", "Anthropic tiers do not map to OpenAI's",
      "container", "no OpenAI equivalent",
      "mcp_servers", "no OpenAI equivalent",
      "context_management", "no OpenAI equivalent",
      "inference_geo", "no OpenAI equivalent");

  private static final Set<String> HANDLED = Set.of(
      "model", "max_tokens", "messages", "system", "stop_sequences", "stream", "temperature", "top_p", "metadata",
      "tools", "tool_choice", "thinking", "output_config", "cache_control");

  private AnthropicToOpenAiRequest() {}

  /**
   * Translates an Anthropic request body for the given OpenAI model, shaped for a reasoning model or not;
   * throws an INVALID_REQUEST {@link GatewayException} naming the field that cannot be translated.
   */
  public static Translated translate(ObjectNode anthropicBody, String upstreamModel, boolean reasoningModel) {
    List<String> notes = new ArrayList<>();
    boolean[] cacheControl = {anthropicBody.has("cache_control")};
    ObjectNode out = Json.object().put("model", upstreamModel);
    out.set("messages", AnthropicMessages.translate(present(anthropicBody, "system"), anthropicBody.get("messages"),
        reasoningModel ? "developer" : "system", notes, () -> cacheControl[0] = true));
    out.put(reasoningModel ? "max_completion_tokens" : "max_tokens", maxTokens(anthropicBody));
    stop(anthropicBody, out);
    for (String sampling : List.of("temperature", "top_p")) {
      JsonNode value = present(anthropicBody, sampling);
      if (value != null && reasoningModel) {
        notes.add("dropped '" + sampling + "': OpenAI reasoning models accept only the default");
      } else if (value != null) {
        out.set(sampling, value);
      }
    }
    String userId = Json.textAt(present(anthropicBody, "metadata"), "user_id");
    if (userId != null) {
      out.put("user", userId);
    }
    JsonNode stream = present(anthropicBody, "stream");
    if (stream != null) {
      out.set("stream", stream);
      if (stream.asBoolean()) {
        // Without it OpenAI streams carry no usage, and the Anthropic message_delta needs the totals.
        out.putObject("stream_options").put("include_usage", true);
      }
    }
    tools(anthropicBody, out, cacheControl);
    toolChoice(anthropicBody, out);
    reasoning(anthropicBody, out, reasoningModel, notes);
    format(anthropicBody, out);
    if (cacheControl[0]) {
      notes.add("dropped every 'cache_control': OpenAI caches prompts automatically");
    }
    for (Map.Entry<String, JsonNode> field : anthropicBody.properties()) {
      String name = field.getKey();
      if (!HANDLED.contains(name) && !field.getValue().isNull()) {
        String reason = NO_EQUIVALENT.get(name);
        notes.add("dropped '" + name + "': " + (reason != null ? reason : "not a documented Anthropic field"));
      }
    }
    return new Translated(out, notes);
  }

  private static long maxTokens(ObjectNode body) {
    JsonNode n = present(body, "max_tokens");
    if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
      throw GatewayException.invalid("max_tokens", "'max_tokens' is required and must be an integer, got " + Json.kind(n));
    }
    if (n.asLong() < 1) {
      throw GatewayException.invalid("max_tokens", "'max_tokens' must be at least 1 for an OpenAI model, got "
          + n.asLong() + " (a 0 that only warms the Anthropic cache has no OpenAI equivalent)");
    }
    return n.asLong();
  }

  private static void stop(ObjectNode body, ObjectNode out) {
    JsonNode stop = present(body, "stop_sequences");
    if (stop == null) {
      return;
    }
    if (!stop.isArray()) {
      throw GatewayException.invalid("stop_sequences", "'stop_sequences' must be an array, got " + Json.kind(stop));
    }
    if (stop.size() > MAX_STOP) {
      throw GatewayException.invalid("stop_sequences", "OpenAI models accept at most " + MAX_STOP
          + " stop sequences, got " + stop.size() + "; send the " + MAX_STOP + " that matter most");
    }
    if (!stop.isEmpty()) {
      out.set("stop", stop);
    }
  }

  private static void tools(ObjectNode body, ObjectNode out, boolean[] cacheControl) {
    JsonNode tools = present(body, "tools");
    if (tools == null) {
      return;
    }
    if (!tools.isArray()) {
      throw GatewayException.invalid("tools", "'tools' must be an array, got " + Json.kind(tools));
    }
    ArrayNode functions = out.putArray("tools");
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String at = "tools[" + i + "]";
      String type = Json.textAt(tool, "type");
      if (type != null && !type.equals("custom")) {
        throw GatewayException.invalid(at, "the server tool '" + type + "' at " + at
            + " runs only on Anthropic's side and has no OpenAI equivalent");
      }
      String name = Json.textAt(tool, "name");
      JsonNode schema = present(tool, "input_schema");
      if (name == null || schema == null) {
        throw GatewayException.invalid(at, at + " needs a name and an input_schema");
      }
      cacheControl[0] |= tool.has("cache_control");
      ObjectNode function = functions.addObject().put("type", "function").putObject("function").put("name", name);
      JsonNode description = present(tool, "description");
      if (description != null) {
        function.set("description", description);
      }
      function.set("parameters", schema);
      JsonNode strict = present(tool, "strict");
      if (strict != null) {
        function.set("strict", strict);
      }
    }
  }

  private static void toolChoice(ObjectNode body, ObjectNode out) {
    JsonNode choice = present(body, "tool_choice");
    if (choice == null) {
      return;
    }
    String type = Json.textAt(choice, "type");
    switch (type == null ? "" : type) {
      case "auto" -> out.put("tool_choice", "auto");
      case "any" -> out.put("tool_choice", "required");
      case "none" -> out.put("tool_choice", "none");
      case "tool" -> {
        String name = Json.textAt(choice, "name");
        if (name == null) {
          throw GatewayException.invalid("tool_choice", "'tool_choice' of type tool needs a name");
        }
        out.putObject("tool_choice").put("type", "function").putObject("function").put("name", name);
      }
      default -> throw GatewayException.invalid("tool_choice", "'tool_choice.type' "
          + (type == null ? "is missing" : "'" + type + "' is not known") + "; use auto, any, tool or none");
    }
    if (choice.path("disable_parallel_tool_use").asBoolean(false)) {
      out.put("parallel_tool_calls", false);
    }
  }

  /** An explicit effort wins over one guessed from the thinking budget. */
  private static void reasoning(ObjectNode body, ObjectNode out, boolean reasoningModel, List<String> notes) {
    JsonNode thinking = present(body, "thinking");
    String effort = Json.textAt(present(body, "output_config"), "effort");
    if (!reasoningModel) {
      if (thinking != null) {
        notes.add("dropped 'thinking': the upstream model does not reason");
      }
      if (effort != null) {
        notes.add("dropped 'output_config.effort': the upstream model does not reason");
      }
      return;
    }
    if (effort != null) {
      out.put("reasoning_effort", effort);
      if (thinking != null) {
        notes.add("dropped 'thinking': 'output_config.effort' " + effort + " sets the reasoning effort");
      }
      return;
    }
    if (thinking == null) {
      return;
    }
    String type = Json.textAt(thinking, "type");
    if ("enabled".equals(type)) {
      long budget = Json.longAt(thinking, "budget_tokens");
      String guessed = budget < 4096 ? "low" : budget < 16384 ? "medium" : "high";
      out.put("reasoning_effort", guessed);
      notes.add("sent 'thinking' with budget_tokens " + budget + " as reasoning_effort " + guessed);
    } else {
      notes.add("dropped 'thinking' of type " + type + ": the model's default reasoning effort applies");
    }
  }

  private static void format(ObjectNode body, ObjectNode out) {
    JsonNode format = present(body, "output_config") == null ? null : present(body.get("output_config"), "format");
    if (format == null) {
      return;
    }
    JsonNode schema = present(format, "schema");
    if (!"json_schema".equals(Json.textAt(format, "type")) || schema == null) {
      throw GatewayException.invalid("output_config.format", "'output_config.format' must be "
          + "{\"type\":\"json_schema\",\"schema\":{…}} to be sent to an OpenAI model");
    }
    ObjectNode jsonSchema = out.putObject("response_format").put("type", "json_schema").putObject("json_schema");
    jsonSchema.put("name", "response");
    jsonSchema.set("schema", schema);
    jsonSchema.put("strict", true);
  }
}
