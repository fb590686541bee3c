package dev.tokenwise.provider.sim;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;

/** Checks and error answers shared by the Anthropic endpoints (anthropic.md §1 and §5). */
final class AnthropicRequests {
  private AnthropicRequests() {}

  /** The key from {@code x-api-key} or a bearer header, or null after answering 401. */
  static String authenticate(Exchange ex) {
    String key = ex.header("x-api-key");
    if (key == null || key.isBlank()) {
      String auth = ex.header("authorization");
      key = auth != null && auth.regionMatches(true, 0, "Bearer ", 0, 7) ? auth.substring(7).trim() : null;
    }
    if (key == null || key.isBlank()) {
      invalid(ex, 401, "authentication_error", "x-api-key header is required");
      return null;
    }
    if (ex.header("anthropic-version") == null) {
      invalid(ex, 400, "invalid_request_error", "anthropic-version: header is required");
      return null;
    }
    return key;
  }

  /** The body as a JSON object with a model and messages, or null after answering 400. */
  static JsonNode parse(Exchange ex) {
    JsonNode root = Json.tryParse(ex.body);
    if (root == null || !root.isObject()) {
      invalid(ex, 400, "invalid_request_error", "The request body is not valid JSON.");
      return null;
    }
    JsonNode model = root.get("model");
    if (model == null || model.isNull()) {
      invalid(ex, 400, "invalid_request_error", "model: Field required");
      return null;
    }
    if (!model.isTextual() || model.asText().isBlank()) {
      invalid(ex, 400, "invalid_request_error", "model: Input should be a valid string");
      return null;
    }
    JsonNode messages = root.get("messages");
    if (messages == null || messages.isNull()) {
      invalid(ex, 400, "invalid_request_error", "messages: Field required");
      return null;
    }
    if (!messages.isArray()) {
      invalid(ex, 400, "invalid_request_error", "messages: Input should be a valid list");
      return null;
    }
    if (messages.isEmpty()) {
      invalid(ex, 400, "invalid_request_error", "messages: List should have at least 1 item");
      return null;
    }
    for (int i = 0; i < messages.size(); i++) {
      JsonNode m = messages.get(i);
      String role = m.path("role").asText("");
      if (!role.equals("user") && !role.equals("assistant")) {
        invalid(ex, 400, "invalid_request_error",
            "messages." + i + ".role: Input should be 'user' or 'assistant'");
        return null;
      }
      JsonNode c = m.get("content");
      boolean last = i == messages.size() - 1;
      if (c == null || !(c.isTextual() || c.isArray())
          || (!last || role.equals("user")) && (c.isTextual() ? c.asText().isEmpty() : c.isEmpty())) {
        invalid(ex, 400, "invalid_request_error",
            "messages." + i + ".content: content must be a non-empty string or list of blocks");
        return null;
      }
    }
    return root;
  }

  static void invalid(Exchange ex, int status, String type, String message) {
    ex.error(status, type, message, null, null, null);
  }

  static void modelNotFound(Exchange ex, String model) {
    invalid(ex, 404, "not_found_error", "model: " + model);
  }

  /**
   * Answers a rule's reset, failure or garbage before any answer is generated; returns whether it
   * did. A failure meant to come in-band in a stream is left to the stream ({@link #inBandError}).
   */
  static boolean applyFault(Exchange ex, Plan plan, boolean stream) {
    if (plan.reset()) {
      ex.reset();
    }
    if (plan.failStatus() != 0 && !(stream && plan.failAfterEvents() >= 0)) {
      if (plan.garbage()) {
        ex.garbage(plan.failStatus(), plan.retryAfter(), stream);
      } else {
        String[] f = Failures.anthropic(plan.failStatus());
        ex.error(plan.failStatus(), f[0], f[1], null, null, plan.retryAfter());
      }
      return true;
    }
    if (plan.garbage()) {
      ex.garbage(200, null, stream);
      return true;
    }
    return false;
  }

  /**
   * The {@code event: error} of a failure that starts mid-stream (anthropic.md §4.5): the error
   * types of the HTTP statuses, without the request id the HTTP body carries; or null.
   */
  static String inBandError(Plan plan) {
    if (plan.failStatus() == 0 || plan.failAfterEvents() < 0) {
      return null;
    }
    String[] f = Failures.anthropic(plan.failStatus());
    var body = Json.object().put("type", "error");
    body.putObject("error").put("type", f[0]).put("message", f[1]);
    return EventStream.named("error", body);
  }
}
