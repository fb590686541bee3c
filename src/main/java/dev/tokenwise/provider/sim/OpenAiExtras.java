package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /v1/embeddings} and {@code GET /v1/models[/{id}]} in the OpenAI shape (openai.md §6).
 *
 * <p>An embedding is the normalised sum of one pseudo-random vector per (lower-cased) token, seeded
 * by the model and the token: deterministic, and texts that share words point the same way.
 */
final class OpenAiExtras {
  private static final int DEFAULT_DIMS = 1536;

  private final Backend backend;

  OpenAiExtras(Backend backend) {
    this.backend = backend;
  }

  void embeddings(Exchange ex) {
    if (OpenAiRequests.apiKey(ex) == null) {
      OpenAiRequests.unauthorized(ex);
      return;
    }
    JsonNode root = OpenAiRequests.parse(ex);
    if (root == null || !OpenAiRequests.requireModel(ex, root)) {
      return;
    }
    List<List<String>> inputs = inputs(root.get("input"));
    if (inputs == null) {
      OpenAiRequests.invalid(ex, "Invalid 'input': expected a non-empty string, an array of"
          + " non-empty strings, or token arrays.", "input", "invalid_value");
      return;
    }
    String modelId = root.get("model").asText();
    Catalog.Model model = backend.catalog().find(Dialect.OPENAI, modelId);
    if (model == null) {
      OpenAiRequests.modelNotFound(ex, modelId);
      return;
    }
    int dims = model.embeddingDims() > 0 ? model.embeddingDims()
        : "user".equals(model.owner()) ? DEFAULT_DIMS : 0;
    if (dims == 0) {
      OpenAiRequests.invalid(ex, "The model `" + modelId + "` does not support embeddings.",
          "model", null);
      return;
    }
    JsonNode d = root.get("dimensions");
    if (d != null && !d.isNull()) {
      if (!d.canConvertToInt() || d.asInt() < 1 || d.asInt() > dims) {
        OpenAiRequests.invalid(ex, "Invalid 'dimensions': expected an integer from 1 to " + dims
            + " for " + modelId + ".", "dimensions", "invalid_value");
        return;
      }
      dims = d.asInt();
    }
    String format = root.path("encoding_format").asText("float");
    if (!format.equals("float") && !format.equals("base64")) {
      OpenAiRequests.invalid(ex, "Invalid 'encoding_format': expected 'float' or 'base64'.",
          "encoding_format", "invalid_value");
      return;
    }
    Plan plan = backend.rules().next(modelId, backend.clock().instant(), null);
    ex.stall(plan.stall());
    if (OpenAiRequests.applyFault(ex, plan, modelId, false)) {
      return;
    }
    ObjectNode out = Json.object();
    out.put("object", "list");
    ArrayNode data = out.putArray("data");
    int tokens = 0;
    for (int i = 0; i < inputs.size(); i++) {
      tokens += inputs.get(i).size();
      float[] v = vector(model.answerId(), inputs.get(i), dims);
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      if (format.equals("base64")) {
        ByteBuffer buf = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
          buf.putFloat(f);
        }
        item.put("embedding", Base64.getEncoder().encodeToString(buf.array()));
      } else {
        ArrayNode arr = item.putArray("embedding");
        for (float f : v) {
          arr.add(f);
        }
      }
    }
    out.put("model", modelId);
    out.putObject("usage").put("prompt_tokens", plan.forcedUsage() ? plan.inputTokens() : tokens)
        .put("total_tokens", plan.forcedUsage() ? plan.inputTokens() : tokens);
    ex.answer("application/json", Json.bytes(out), plan);
  }

  /** The tokens of each input, or null when the input is missing, empty or of the wrong shape. */
  private static List<List<String>> inputs(JsonNode input) {
    List<List<String>> out = new ArrayList<>();
    if (input == null || input.isNull()) {
      return null;
    }
    if (input.isTextual()) {
      return input.asText().isEmpty() ? null : List.of(words(input.asText()));
    }
    if (!input.isArray() || input.isEmpty()) {
      return null;
    }
    if (input.get(0).isInt()) {
      out.add(tokenIds(input));
      return out.get(0) == null ? null : out;
    }
    for (JsonNode item : input) {
      List<String> t = item.isTextual() && !item.asText().isEmpty() ? words(item.asText())
          : item.isArray() && !item.isEmpty() ? tokenIds(item) : null;
      if (t == null) {
        return null;
      }
      out.add(t);
    }
    return out;
  }

  private static List<String> words(String text) {
    return Tokens.split(text.toLowerCase(Locale.ROOT));
  }

  private static List<String> tokenIds(JsonNode ids) {
    List<String> out = new ArrayList<>();
    for (JsonNode id : ids) {
      if (!id.isInt()) {
        return null;
      }
      out.add("#" + id.asInt());
    }
    return out;
  }

  static float[] vector(String model, List<String> tokens, int dims) {
    double[] sum = new double[dims];
    List<String> seeds = tokens.isEmpty() ? List.of("") : tokens;
    for (String t : seeds) {
      long state = Tokens.mix(Tokens.hash(model), t);
      for (int i = 0; i < dims; i++) {
        state += 0x9e3779b97f4a7c15L;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        z ^= z >>> 31;
        sum[i] += (z >>> 11) * 0x1.0p-53 * 2 - 1;
      }
    }
    double norm = 0;
    for (double x : sum) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    float[] v = new float[dims];
    for (int i = 0; i < dims; i++) {
      v[i] = (float) (sum[i] / norm);
    }
    return v;
  }

  void models(Exchange ex, String id) {
    if (OpenAiRequests.apiKey(ex) == null) {
      OpenAiRequests.unauthorized(ex);
      return;
    }
    if (id != null) {
      Catalog.Model m = backend.catalog().find(Dialect.OPENAI, id);
      if (m == null) {
        ex.error(404, "invalid_request_error", "The model '" + id + "' does not exist", "model",
            "model_not_found", null);
      } else {
        ex.json(200, model(m));
      }
      return;
    }
    ObjectNode out = Json.object().put("object", "list");
    ArrayNode data = out.putArray("data");
    backend.catalog().list(Dialect.OPENAI).forEach(m -> data.add(model(m)));
    ex.json(200, out);
  }

  private static ObjectNode model(Catalog.Model m) {
    return Json.object().put("id", m.id()).put("object", "model").put("created", m.created())
        .put("owned_by", m.owner());
  }
}
