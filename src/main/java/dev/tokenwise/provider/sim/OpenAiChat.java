package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code POST /v1/chat/completions}, whole and streamed, as openai.md §2–§5 describe it.
 *
 * <p>Input tokens: tool definitions and a {@code response_format} count as their JSON text; each
 * message costs 3 tokens plus its role, name and content (text parts, tool-call names and arguments;
 * an image, audio or file part counts 85); every request adds 3 for the reply priming.
 */
final class OpenAiChat {
  private static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool", "function");

  private final Backend backend;

  OpenAiChat(Backend backend) {
    this.backend = backend;
  }

  void handle(Exchange ex) {
    String key = OpenAiRequests.apiKey(ex);
    if (key == null) {
      OpenAiRequests.unauthorized(ex);
      return;
    }
    JsonNode root = OpenAiRequests.parse(ex);
    if (root == null || !OpenAiRequests.requireModel(ex, root) || !validMessages(ex, root)) {
      return;
    }
    String modelId = root.get("model").asText();
    Catalog.Model model = backend.catalog().find(Dialect.OPENAI, modelId);
    if (model == null || model.embeddingDims() > 0) {
      OpenAiRequests.modelNotFound(ex, modelId);
      return;
    }
    if (model.reasoning() && !validForReasoning(ex, root, modelId)) {
      return;
    }
    String lastUser = lastUserText(root.get("messages"));
    Plan plan = backend.rules().next(modelId, backend.clock().instant(), lastUser);
    ex.stall(plan.stall());
    boolean stream = root.path("stream").asBoolean(false);
    if (OpenAiRequests.applyFault(ex, plan, modelId, stream)) {
      return;
    }
    Tokens.Tally tally = tally(root);
    int prompt;
    int cached;
    if (plan.forcedUsage()) {
      prompt = plan.inputTokens();
      cached = 0;
    } else {
      prompt = tally.count();
      cached = backend.cache().openAi(Backend.scope(key, model), tally.openAiBoundaries());
    }
    Answer answer = Answer.compose(plan, lastUser, Quality.of(model, plan, lastUser), schema(root),
        stops(root.get("stop")), maxTokens(root), model.reasoning());
    ObjectNode usage = usage(prompt, cached, answer);
    ObjectNode base = Json.object();
    base.put("id", "chatcmpl-" + Exchange.randomId(29));
    base.put("object", stream ? "chat.completion.chunk" : "chat.completion");
    base.put("created", backend.clock().instant().getEpochSecond());
    base.put("model", model.answerId());
    base.put("service_tier", serviceTier(root));
    base.put("system_fingerprint", "fp_" + Long.toHexString(Tokens.hash(model.answerId())).substring(0, 10));
    if (stream) {
      OpenAiStream.write(ex, plan, base, answer, usage, root.path("stream_options"));
    } else {
      ex.answer("application/json", Json.bytes(whole(base, answer, usage)), plan);
    }
  }

  private static ObjectNode whole(ObjectNode base, Answer answer, ObjectNode usage) {
    ObjectNode out = base.deepCopy();
    ObjectNode choice = out.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (answer.isToolCall()) {
      message.putNull("content");
      message.putNull("refusal");
      ObjectNode call = message.putArray("tool_calls").addObject();
      call.put("id", "call_" + Exchange.randomId(24));
      call.put("type", "function");
      call.putObject("function").put("name", answer.toolName()).put("arguments", answer.toolArguments());
    } else {
      message.put("content", answer.text());
      message.putNull("refusal");
    }
    message.putArray("annotations");
    choice.putNull("logprobs");
    choice.put("finish_reason", finishReason(answer));
    // Keep the documented key order: usage, service_tier and system_fingerprint come last.
    String tier = out.remove("service_tier").asText();
    String fingerprint = out.remove("system_fingerprint").asText();
    out.set("usage", usage);
    out.put("service_tier", tier);
    out.put("system_fingerprint", fingerprint);
    return out;
  }

  static String finishReason(Answer a) {
    return switch (a.end()) {
      case TOOL -> "tool_calls";
      case LENGTH -> "length";
      case NATURAL, STOP_SEQUENCE -> "stop";
    };
  }

  static ObjectNode usage(int prompt, int cached, Answer answer) {
    ObjectNode u = Json.object();
    u.put("prompt_tokens", prompt);
    u.put("completion_tokens", answer.outputTokens());
    u.put("total_tokens", prompt + answer.outputTokens());
    u.putObject("prompt_tokens_details").put("cached_tokens", cached).put("audio_tokens", 0);
    u.putObject("completion_tokens_details")
        .put("reasoning_tokens", answer.reasoningTokens())
        .put("audio_tokens", 0)
        .put("accepted_prediction_tokens", 0)
        .put("rejected_prediction_tokens", 0);
    return u;
  }

  private static boolean validMessages(Exchange ex, JsonNode root) {
    JsonNode messages = root.get("messages");
    if (messages == null || messages.isNull()) {
      OpenAiRequests.invalid(ex, "Missing required parameter: 'messages'.", "messages",
          "missing_required_parameter");
      return false;
    }
    if (!messages.isArray()) {
      OpenAiRequests.invalid(ex, "Invalid type for 'messages': expected an array, but got "
          + Json.kind(messages) + " instead.", "messages", "invalid_type");
      return false;
    }
    if (messages.isEmpty()) {
      OpenAiRequests.invalid(ex, "Invalid 'messages': empty array. Expected an array with at least"
          + " 1 element, but got an empty array instead.", "messages", "empty_array");
      return false;
    }
    for (int i = 0; i < messages.size(); i++) {
      JsonNode role = messages.get(i).path("role");
      if (!role.isTextual() || !ROLES.contains(role.asText())) {
        OpenAiRequests.invalid(ex, "Invalid value for 'messages[" + i + "].role': expected one of"
            + " 'system', 'developer', 'user', 'assistant', 'tool' or 'function'.",
            "messages[" + i + "].role", "invalid_value");
        return false;
      }
    }
    return true;
  }

  /** openai.md §2.1 and §7.4: reasoning models refuse max_tokens and non-default sampling. */
  private static boolean validForReasoning(Exchange ex, JsonNode root, String model) {
    if (root.hasNonNull("max_tokens")) {
      OpenAiRequests.invalid(ex, "Unsupported parameter: 'max_tokens' is not supported with this"
          + " model. Use 'max_completion_tokens' instead.", "max_tokens", "unsupported_parameter");
      return false;
    }
    for (String p : List.of("temperature", "top_p")) {
      JsonNode v = root.get(p);
      if (v != null && v.isNumber() && v.decimalValue().compareTo(java.math.BigDecimal.ONE) != 0) {
        OpenAiRequests.invalid(ex, "Unsupported value: '" + p + "' does not support " + v
            + " with this model. Only the default (1) value is supported.", p, "unsupported_value");
        return false;
      }
    }
    return true;
  }

  /** The prompt in the order the provider caches it: tools, response format, then messages. */
  static Tokens.Tally tally(JsonNode root) {
    Tokens.Tally t = new Tokens.Tally();
    if (root.has("tools")) {
      t.text(Json.string(root.get("tools")));
    }
    JsonNode format = root.path("response_format");
    if (format.isObject() && !"text".equals(format.path("type").asText())) {
      t.text(Json.string(format));
    }
    for (JsonNode m : root.get("messages")) {
      t.fixed("<|message|>", 3);
      t.text(m.path("role").asText());
      if (m.hasNonNull("name")) {
        t.fixed("<|name|>", 1);
        t.text(m.get("name").asText());
      }
      if (m.hasNonNull("tool_call_id")) {
        t.tag(m.get("tool_call_id").asText());
      }
      content(t, m.get("content"));
      for (JsonNode call : m.path("tool_calls")) {
        t.text(call.path("function").path("name").asText());
        t.text(call.path("function").path("arguments").asText());
      }
    }
    t.fixed("<|reply|>", 3);
    return t;
  }

  private static void content(Tokens.Tally t, JsonNode content) {
    if (content == null || content.isNull()) {
      return;
    }
    if (content.isTextual()) {
      t.text(content.asText());
      return;
    }
    for (JsonNode part : content) {
      String type = part.path("type").asText();
      switch (type) {
        case "text" -> t.text(part.path("text").asText());
        case "refusal" -> t.text(part.path("refusal").asText());
        default -> {
          // Media is a fixed 85 tokens; its identity still goes into the prefix hash.
          t.tag(Long.toHexString(Tokens.hash(Json.string(part))));
          t.fixed("<|media|>", 85);
        }
      }
    }
  }

  /**
   * The text of the last user message, the seed of the generated answer: its text parts joined by newlines,
   * so that a message sent as one string and as one text block (as a translated call sends it) get one answer.
   */
  static String lastUserText(JsonNode messages) {
    JsonNode last = messages.get(messages.size() - 1);
    for (JsonNode m : messages) {
      if ("user".equals(m.path("role").asText())) {
        last = m;
      }
    }
    JsonNode c = last.get("content");
    if (c == null || c.isNull()) {
      return "";
    }
    if (c.isTextual()) {
      return c.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : c) {
      String text = part.path("text").asText("");
      if (!text.isEmpty()) {
        sb.append(sb.isEmpty() ? "" : "\n").append(text);
      }
    }
    return sb.toString();
  }

  /** The JSON schema the answer must fit, an empty object for any JSON object, or null for text. */
  private static JsonNode schema(JsonNode root) {
    JsonNode f = root.path("response_format");
    return switch (f.path("type").asText("")) {
      case "json_object" -> Json.object();
      case "json_schema" -> f.path("json_schema").path("schema").isObject()
          ? f.path("json_schema").path("schema") : Json.object();
      default -> null;
    };
  }

  static List<String> stops(JsonNode stop) {
    List<String> out = new ArrayList<>();
    if (stop != null && stop.isTextual()) {
      out.add(stop.asText());
    } else if (stop != null && stop.isArray()) {
      stop.forEach(s -> out.add(s.asText()));
    }
    return out;
  }

  private static int maxTokens(JsonNode root) {
    JsonNode n = root.hasNonNull("max_completion_tokens") ? root.get("max_completion_tokens")
        : root.get("max_tokens");
    return n != null && n.canConvertToInt() ? Math.max(0, n.asInt()) : -1;
  }

  private static String serviceTier(JsonNode root) {
    return switch (root.path("service_tier").asText("auto")) {
      case "flex" -> "flex";
      case "scale" -> "scale";
      case "priority", "fast" -> "priority";
      default -> "default";
    };
  }
}
