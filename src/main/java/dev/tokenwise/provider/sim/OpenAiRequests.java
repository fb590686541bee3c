package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;

/** Checks and error answers shared by the OpenAI endpoints (openai.md §7). */
final class OpenAiRequests {
  private OpenAiRequests() {}

  /** The bearer key, or null when there is none. */
  static String apiKey(Exchange ex) {
    String auth = ex.header("authorization");
    if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String key = auth.substring(7).trim();
    return key.isEmpty() ? null : key;
  }

  static void unauthorized(Exchange ex) {
    ex.error(401, "invalid_request_error", "You didn't provide an API key. Send it in an"
        + " 'Authorization: Bearer KEY' header.", null, "invalid_api_key", null);
  }

  /** The body as a JSON object, or null after answering 400. */
  static JsonNode parse(Exchange ex) {
    JsonNode root = Json.tryParse(ex.body);
    if (root == null || !root.isObject()) {
      ex.error(400, "invalid_request_error", "The body of the request is not valid JSON; a JSON"
          + " object was expected.", null, null, null);
      return null;
    }
    return root;
  }

  /** Checks that {@code model} is a non-empty string, answering 400 otherwise. */
  static boolean requireModel(Exchange ex, JsonNode root) {
    JsonNode model = root.get("model");
    if (model == null || model.isNull()) {
      invalid(ex, "Missing required parameter: 'model'.", "model", "missing_required_parameter");
      return false;
    }
    if (!model.isTextual()) {
      invalid(ex, "Invalid type for 'model': expected a string, but got " + Json.kind(model)
          + " instead.", "model", "invalid_type");
      return false;
    }
    if (model.asText().isBlank()) {
      invalid(ex, "Invalid value for 'model': it must not be empty.", "model", "invalid_value");
      return false;
    }
    return true;
  }

  static void invalid(Exchange ex, String message, String param, String code) {
    ex.error(400, "invalid_request_error", message, param, code, null);
  }

  static void modelNotFound(Exchange ex, String model) {
    ex.error(404, "invalid_request_error", "The model `" + model + "` does not exist or you do"
        + " not have access to it.", null, "model_not_found", null);
  }

  /**
   * Answers a rule's reset, failure or garbage before any answer is generated; returns whether it
   * did. A failure meant to come in-band in a stream is left to the stream ({@link #inBandError}).
   */
  static boolean applyFault(Exchange ex, Plan plan, String model, boolean stream) {
    if (plan.reset()) {
      ex.reset();
    }
    if (plan.failStatus() != 0 && !(stream && plan.failAfterEvents() >= 0)) {
      if (plan.garbage()) {
        ex.garbage(plan.failStatus(), plan.retryAfter(), stream);
      } else {
        String[] f = Failures.openAi(plan.failStatus(), model);
        ex.error(plan.failStatus(), f[0], f[2], null, f[1], plan.retryAfter());
      }
      return true;
    }
    if (plan.garbage()) {
      ex.garbage(200, null, stream);
      return true;
    }
    return false;
  }

  /** The {@code data: {"error":...}} event of a failure that starts mid-stream (openai.md §5.1), or null. */
  static String inBandError(Exchange ex, Plan plan, String model) {
    if (plan.failStatus() == 0 || plan.failAfterEvents() < 0) {
      return null;
    }
    String[] f = Failures.openAi(plan.failStatus(), model);
    return "data: " + Json.string(ex.errorBody(f[0], f[2], null, f[1])) + "\n\n";
  }
}
