package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;

/**
 * {@code POST /v1/messages} (whole and streamed, anthropic.md §2–§4), {@code POST
 * /v1/messages/count_tokens} (§7) and {@code GET /v1/models[/{id}]} in the Anthropic shape (§8).
 */
final class AnthropicMessages {
  private static final int DEFAULT_PAGE = 20;

  private final Backend backend;

  AnthropicMessages(Backend backend) {
    this.backend = backend;
  }

  void messages(Exchange ex) {
    String key = AnthropicRequests.authenticate(ex);
    JsonNode root = key == null ? null : AnthropicRequests.parse(ex);
    if (root == null) {
      return;
    }
    JsonNode max = root.get("max_tokens");
    if (max == null || max.isNull()) {
      AnthropicRequests.invalid(ex, 400, "invalid_request_error", "max_tokens: Field required");
      return;
    }
    if (!max.canConvertToInt() || !max.isIntegralNumber() || max.asInt() < 0) {
      AnthropicRequests.invalid(ex, 400, "invalid_request_error",
          "max_tokens: Input should be a valid integer greater than or equal to 0");
      return;
    }
    AnthropicPrompt prompt = AnthropicPrompt.of(root);
    if (prompt.error != null) {
      AnthropicRequests.invalid(ex, 400, "invalid_request_error", prompt.error);
      return;
    }
    String modelId = root.get("model").asText();
    Catalog.Model model = backend.catalog().find(Dialect.ANTHROPIC, modelId);
    if (model == null) {
      AnthropicRequests.modelNotFound(ex, modelId);
      return;
    }
    String lastUser = AnthropicPrompt.lastUserText(root.get("messages"));
    Plan plan = backend.rules().next(modelId, backend.clock().instant(), lastUser);
    ex.stall(plan.stall());
    boolean stream = root.path("stream").asBoolean(false);
    if (AnthropicRequests.applyFault(ex, plan, stream)) {
      return;
    }
    PromptCache.AnthropicUse cache;
    int input;
    if (plan.forcedUsage()) {
      cache = new PromptCache.AnthropicUse(0, 0, 0);
      input = plan.inputTokens();
    } else {
      cache = backend.cache().anthropic(Backend.scope(key, model), prompt.positions,
          prompt.breakpoints, model.cacheMinimum());
      input = prompt.total() - cache.read() - cache.written();
    }
    JsonNode format = root.path("output_config").path("format");
    JsonNode schema = "json_schema".equals(format.path("type").asText())
        ? (format.path("schema").isObject() ? format.path("schema") : Json.object()) : null;
    Answer answer = Answer.compose(plan, lastUser, Quality.of(model, plan, lastUser), schema,
        OpenAiChat.stops(root.get("stop_sequences")), max.asInt(), false);
    ObjectNode usage = Json.object();
    usage.put("input_tokens", input);
    usage.put("cache_creation_input_tokens", cache.written());
    usage.put("cache_read_input_tokens", cache.read());
    usage.putObject("cache_creation").put("ephemeral_5m_input_tokens", cache.written5m())
        .put("ephemeral_1h_input_tokens", cache.written1h());
    usage.put("output_tokens", answer.outputTokens());
    usage.put("service_tier", "standard");
    ObjectNode message = Json.object();
    message.put("id", "msg_01" + Exchange.randomId(22));
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", model.answerId());
    if (stream) {
      AnthropicStream.write(ex, plan, message, answer, usage);
      return;
    }
    ArrayNode content = message.putArray("content");
    if (answer.isToolCall()) {
      content.addObject().put("type", "tool_use").put("id", toolUseId())
          .put("name", answer.toolName())
          .set("input", Json.tryParse(answer.toolArguments().getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } else if (!answer.text().isEmpty()) {
      content.addObject().put("type", "text").put("text", answer.text());
    }
    message.put("stop_reason", stopReason(answer));
    message.put("stop_sequence", answer.stopSequence());
    message.set("usage", usage);
    ex.answer("application/json", Json.bytes(message), plan);
  }

  static String toolUseId() {
    return "toolu_01" + Exchange.randomId(22);
  }

  static String stopReason(Answer a) {
    return switch (a.end()) {
      case TOOL -> "tool_use";
      case LENGTH -> "max_tokens";
      case STOP_SEQUENCE -> "stop_sequence";
      case NATURAL -> "end_turn";
    };
  }

  void countTokens(Exchange ex) {
    String key = AnthropicRequests.authenticate(ex);
    JsonNode root = key == null ? null : AnthropicRequests.parse(ex);
    if (root == null) {
      return;
    }
    AnthropicPrompt prompt = AnthropicPrompt.of(root);
    if (prompt.error != null) {
      AnthropicRequests.invalid(ex, 400, "invalid_request_error", prompt.error);
      return;
    }
    String modelId = root.get("model").asText();
    if (backend.catalog().find(Dialect.ANTHROPIC, modelId) == null) {
      AnthropicRequests.modelNotFound(ex, modelId);
      return;
    }
    ex.json(200, Json.object().put("input_tokens", prompt.total()));
  }

  void models(Exchange ex, String id) {
    if (AnthropicRequests.authenticate(ex) == null) {
      return;
    }
    if (id != null) {
      Catalog.Model m = backend.catalog().find(Dialect.ANTHROPIC, id);
      if (m == null) {
        AnthropicRequests.modelNotFound(ex, id);
      } else {
        ex.json(200, Json.MAPPER.valueToTree(Catalog.anthropicInfo(m)));
      }
      return;
    }
    var all = backend.catalog().list(Dialect.ANTHROPIC);
    int limit = ex.req.query().first("limit").map(Integer::parseInt).orElse(DEFAULT_PAGE);
    limit = Math.max(1, Math.min(1000, limit));
    int from = 0;
    int to = all.size();
    String after = ex.req.query().first("after_id").orElse(null);
    String before = ex.req.query().first("before_id").orElse(null);
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).id().equals(after)) {
        from = i + 1;
      }
      if (all.get(i).id().equals(before)) {
        to = i;
      }
    }
    if (before != null && after == null) {
      from = Math.max(0, to - limit);
    }
    to = Math.min(to, from + limit);
    ObjectNode out = Json.object();
    ArrayNode data = out.putArray("data");
    for (int i = from; i < to; i++) {
      data.add(Json.MAPPER.<JsonNode>valueToTree(Catalog.anthropicInfo(all.get(i))));
    }
    out.put("has_more", before != null && after == null ? from > 0 : to < all.size());
    out.put("first_id", data.isEmpty() ? null : data.get(0).path("id").asText());
    out.put("last_id", data.isEmpty() ? null : data.get(data.size() - 1).path("id").asText());
    ex.json(200, out);
  }
}
