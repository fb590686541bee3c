package dev.tokenwise.api.translate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.GatewayException;
import dev.tokenwise.core.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates an OpenAI Chat Completions request body into an Anthropic Messages request body.
 *
 * <p>System and developer messages are hoisted, in order, into the top-level {@code system} array wherever
 * they appear in the conversation. A system message sent after the first turn therefore reads as if it
 * had come first; most gateways make the same choice, and the alternatives (a mid-conversation system
 * role, or wrapping the text into the next user turn) work only on some models or change what the user
 * said. Fields with no Anthropic equivalent are dropped with a note, except where the client relies on
 * output the model cannot give ({@code n > 1}, {@code logprobs}), which is a 400. Anthropic rejects
 * fields it does not know, so undocumented fields are dropped too.
 */
public final class OpenAiToAnthropicRequest {
  static final String JSON_OBJECT_INSTRUCTION =
      "Answer with a single valid JSON object and nothing else: no prose, no code fences.";

  /** Documented OpenAI fields that Anthropic has no counterpart for, with the reason given in the note. */
  private static final Map<String, String> NO_EQUIVALENT = Map.ofEntries(
      Map.entry("seed", "no Anthropic equivalent"),
      Map.entry("logit_bias", "no Anthropic equivalent"),
      Map.entry("frequency_penalty", "no Anthropic equivalent"),
      Map.entry("presence_penalty", "no Anthropic equivalent"),
      Map.entry("modalities", "Anthropic models answer in text only"),
      Map.entry("audio", "Anthropic models answer in text only"),
      Map.entry("prediction", "no Anthropic equivalent"),
      Map.entry("store", "no Anthropic equivalent"),
      Map.entry("metadata", "Anthropic metadata holds only user_id"),
      Map.entry("service_tier", "OpenAI tiers do not map to Anthropic's"),
      Map.entry("web_search_options", "no Anthropic equivalent"),
      Map.entry("verbosity", "no Anthropic equivalent"),
      Map.entry("prompt_cache_key", "Anthropic caching is set with cache_control"),
      Map.entry("prompt_cache_retention", "Anthropic caching is set with cache_control"),
      Map.entry("prompt_cache_options", "Anthropic caching is set with cache_control"),
      Map.entry("moderation", "no Anthropic equivalent"),
      Map.entry("functions", "deprecated by OpenAI and not translated; use tools"),
      Map.entry("function_call", "deprecated by OpenAI and not translated; use tool_choice"));

  /** Fields this class translates or checks itself. */
  private static final Set<String> HANDLED = Set.of(
      "model", "messages", "max_completion_tokens", "max_tokens", "temperature", "top_p", "n", "stop",
      "stream", "stream_options", "tools", "tool_choice", "parallel_tool_calls", "response_format",
      "logprobs", "top_logprobs", "reasoning_effort", "user", "safety_identifier");

  private static final Map<String, String> EFFORT = Map.of(
      "minimal", "low", "low", "low", "medium", "medium", "high", "high", "xhigh", "xhigh", "max", "max");

  private OpenAiToAnthropicRequest() {}

  /**
   * Translates an OpenAI request body for the given Anthropic model, using {@code defaultMaxTokens} when
   * the client set no output cap; throws an INVALID_REQUEST {@link GatewayException} naming the field
   * that cannot be translated.
   */
  public static Translated translate(ObjectNode openAiBody, String upstreamModel, long defaultMaxTokens) {
    List<String> notes = new ArrayList<>();
    rejectUnserviceable(openAiBody);
    ObjectNode out = Json.object().put("model", upstreamModel);
    out.put("max_tokens", maxTokens(openAiBody, defaultMaxTokens));
    OpenAiMessages.Result messages = OpenAiMessages.translate(openAiBody.get("messages"), notes);

    JsonNode temperature = present(openAiBody, "temperature");
    if (temperature != null) {
      out.set("temperature", clampTemperature(temperature, notes));
    }
    JsonNode topP = present(openAiBody, "top_p");
    if (topP != null) {
      out.set("top_p", topP);
    }
    ArrayNode system = messages.system();
    responseFormat(openAiBody, out, system, notes);
    if (!system.isEmpty()) {
      out.set("system", system);
    }
    out.set("messages", messages.messages());
    stop(openAiBody, out);
    JsonNode stream = present(openAiBody, "stream");
    if (stream != null) {
      out.set("stream", stream);
    }
    if (present(openAiBody, "stream_options") != null) {
      notes.add("did not send 'stream_options' upstream: the gateway itself decides on the final usage chunk");
    }
    OpenAiTools.translate(openAiBody, out, notes);
    effort(openAiBody, out, notes);
    user(openAiBody, out, notes);
    dropTheRest(openAiBody, notes);
    return new Translated(out, notes);
  }

  /** The client depends on output Anthropic cannot give: fail rather than answer something else. */
  private static void rejectUnserviceable(ObjectNode body) {
    JsonNode n = present(body, "n");
    if (n != null && (!n.canConvertToLong() || n.asLong() != 1)) {
      throw GatewayException.invalid("n", "'n' = " + n + " asks for several choices, which Anthropic models "
          + "cannot give; send n = 1 and repeat the request instead");
    }
    JsonNode logprobs = present(body, "logprobs");
    if (logprobs != null && logprobs.asBoolean()) {
      throw GatewayException.invalid("logprobs", "Anthropic models do not return log probabilities; remove 'logprobs'");
    }
    if (present(body, "top_logprobs") != null) {
      throw GatewayException.invalid("top_logprobs", "Anthropic models do not return log probabilities; "
          + "remove 'top_logprobs'");
    }
  }

  private static long maxTokens(ObjectNode body, long defaultMaxTokens) {
    String field = present(body, "max_completion_tokens") != null ? "max_completion_tokens"
        : present(body, "max_tokens") != null ? "max_tokens" : null;
    long value = defaultMaxTokens;
    if (field != null) {
      JsonNode n = body.get(field);
      if (!n.isIntegralNumber() || !n.canConvertToLong()) {
        throw GatewayException.invalid(field, "'" + field + "' must be an integer, got " + Json.kind(n));
      }
      value = n.asLong();
    }
    if (value <= 0) {
      throw GatewayException.invalid(field == null ? "max_tokens" : field, "'" + (field == null ? "max_tokens" : field)
          + "' must be at least 1, got " + value + (field == null ? " (the gateway default)" : ""));
    }
    return value;
  }

  private static JsonNode clampTemperature(JsonNode temperature, List<String> notes) {
    if (!temperature.isNumber()) {
      throw GatewayException.invalid("temperature", "'temperature' must be a number, got " + Json.kind(temperature));
    }
    BigDecimal t = temperature.decimalValue();
    BigDecimal clamped = t.max(BigDecimal.ZERO).min(BigDecimal.ONE);
    if (clamped.compareTo(t) == 0) {
      return temperature;
    }
    notes.add("clamped 'temperature' " + t.toPlainString() + " to " + clamped.toPlainString()
        + ": Anthropic accepts 0 to 1");
    return Json.MAPPER.getNodeFactory().numberNode(clamped);
  }

  private static void stop(ObjectNode body, ObjectNode out) {
    JsonNode stop = present(body, "stop");
    if (stop == null) {
      return;
    }
    ArrayNode sequences = Json.MAPPER.createArrayNode();
    if (stop.isTextual()) {
      sequences.add(stop.asText());
    } else if (stop.isArray()) {
      for (int i = 0; i < stop.size(); i++) {
        if (!stop.get(i).isTextual()) {
          throw GatewayException.invalid("stop", "'stop[" + i + "]' must be a string, got " + Json.kind(stop.get(i)));
        }
        sequences.add(stop.get(i).asText());
      }
    } else {
      throw GatewayException.invalid("stop", "'stop' must be a string or an array of strings, got " + Json.kind(stop));
    }
    if (!sequences.isEmpty()) {
      out.set("stop_sequences", sequences);
    }
  }

  private static void responseFormat(ObjectNode body, ObjectNode out, ArrayNode system, List<String> notes) {
    JsonNode format = present(body, "response_format");
    if (format == null) {
      return;
    }
    String type = Json.textAt(format, "type");
    switch (type == null ? "" : type) {
      case "text" -> { }
      case "json_schema" -> {
        JsonNode schema = format.path("json_schema").get("schema");
        if (schema == null || !schema.isObject()) {
          throw GatewayException.invalid("response_format", "'response_format.json_schema.schema' must be an object "
              + "to be sent to an Anthropic model");
        }
        ObjectNode outFormat = outputConfig(out).putObject("format").put("type", "json_schema");
        outFormat.set("schema", schema);
      }
      case "json_object" -> {
        system.add(Json.object().put("type", "text").put("text", JSON_OBJECT_INSTRUCTION));
        notes.add("emulated 'response_format' json_object with a system instruction: Anthropic has no JSON mode "
            + "without a schema");
      }
      default -> throw GatewayException.invalid("response_format", "'response_format.type' "
          + (type == null ? "is missing" : "'" + type + "' is not known") + "; use text, json_object or json_schema");
    }
  }

  private static void effort(ObjectNode body, ObjectNode out, List<String> notes) {
    JsonNode effort = present(body, "reasoning_effort");
    if (effort == null) {
      return;
    }
    String value = effort.asText();
    if (value.equals("none")) {
      notes.add("dropped 'reasoning_effort' none: the model's default applies");
      return;
    }
    String mapped = EFFORT.get(value);
    if (mapped == null) {
      throw GatewayException.invalid("reasoning_effort", "'reasoning_effort' " + effort
          + " is not known; use none, minimal, low, medium, high, xhigh or max");
    }
    if (!mapped.equals(value)) {
      notes.add("sent 'reasoning_effort' " + value + " as effort " + mapped + ": Anthropic's lowest effort is low");
    }
    outputConfig(out).put("effort", mapped);
  }

  private static void user(ObjectNode body, ObjectNode out, List<String> notes) {
    JsonNode safety = present(body, "safety_identifier");
    JsonNode user = present(body, "user");
    JsonNode id = safety != null ? safety : user;
    if (id == null) {
      return;
    }
    if (safety != null && user != null) {
      notes.add("dropped 'user': 'safety_identifier' was sent as metadata.user_id instead");
    }
    out.putObject("metadata").put("user_id", id.asText());
  }

  private static void dropTheRest(ObjectNode body, List<String> notes) {
    for (Map.Entry<String, JsonNode> field : body.properties()) {
      String name = field.getKey();
      if (HANDLED.contains(name) || field.getValue().isNull()) {
        continue;
      }
      String reason = NO_EQUIVALENT.get(name);
      notes.add("dropped '" + name + "': " + (reason != null ? reason : "not a documented OpenAI field"));
    }
  }

  private static ObjectNode outputConfig(ObjectNode out) {
    JsonNode existing = out.get("output_config");
    return existing instanceof ObjectNode o ? o : out.putObject("output_config");
  }

  /** The field's value, or null when it is absent or JSON null (OpenAI SDKs send explicit nulls). */
  static JsonNode present(JsonNode body, String field) {
    JsonNode n = body.get(field);
    return n == null || n.isNull() ? null : n;
  }
}
