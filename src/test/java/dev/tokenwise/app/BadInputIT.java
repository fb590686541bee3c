package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Every kind of bad input gets a clear 4xx in the caller's dialect, naming what was wrong. */
class BadInputIT extends SharedGateway {
  private static final String[] OPENAI = {"authorization", "Bearer sk-test", "content-type", "application/json"};
  private static final String[] ANTHROPIC = {"x-api-key", "sk-ant", "anthropic-version", "2023-06-01",
      "content-type", "application/json"};

  /** Asserts an OpenAI error body with the status, and that its message mentions {@code words}. */
  private static JsonNode openAiError(HttpResponse<String> res, int status, String... words) {
    assertEquals(status, res.statusCode(), res.body());
    JsonNode body = Json.tryParse(res.body().getBytes());
    assertTrue(body != null && body.path("error").isObject(), "an OpenAI error object: " + res.body());
    for (String k : new String[] {"message", "type", "param", "code"}) {
      assertTrue(body.get("error").has(k), "error." + k + " present: " + res.body());
    }
    for (String w : words) {
      assertTrue(body.get("error").get("message").asText().contains(w), "'" + w + "' in " + res.body());
    }
    assertTrue(res.headers().firstValue("x-tokenwise-request-id").isPresent());
    return body.get("error");
  }

  private static JsonNode anthropicError(HttpResponse<String> res, int status, String type, String... words) {
    assertEquals(status, res.statusCode(), res.body());
    JsonNode body = Json.tryParse(res.body().getBytes());
    assertTrue(body != null && "error".equals(body.path("type").asText()), "an Anthropic error: " + res.body());
    assertEquals(type, body.path("error").path("type").asText());
    for (String w : words) {
      assertTrue(body.get("error").get("message").asText().contains(w), "'" + w + "' in " + res.body());
    }
    return body.get("error");
  }

  @Test
  void malformed_json_names_the_line_and_column() throws Exception {
    openAiError(h.post("/v1/chat/completions", "{\"model\": \"gpt-4o\", \"messages\": [}", OPENAI), 400,
        "not valid JSON", "line 1");
    anthropicError(h.post("/v1/messages", "{\"model\": ", ANTHROPIC), 400, "invalid_request_error", "not valid JSON");
  }

  @Test
  void wrong_types_name_the_field() throws Exception {
    JsonNode e = openAiError(h.post("/v1/chat/completions", "{\"model\": 42, \"messages\": []}", OPENAI), 400,
        "'model' must be a string");
    assertEquals("model", e.get("param").asText());
    e = openAiError(h.post("/v1/chat/completions", "{\"model\": \"gpt-4o\", \"messages\": \"hi\"}", OPENAI), 400,
        "'messages' must be an array");
    assertEquals("messages", e.get("param").asText());
    openAiError(h.post("/v1/chat/completions",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}],\"stream\":\"yes\"}", OPENAI), 400,
        "'stream' must be true or false");
    openAiError(h.post("/v1/chat/completions", "[1,2]", OPENAI), 400, "must be a JSON object");
  }

  @Test
  void a_missing_model_is_named() throws Exception {
    JsonNode e = openAiError(h.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        OPENAI), 400, "'model' is required");
    assertEquals("model", e.get("param").asText());
    anthropicError(h.post("/v1/messages", "{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}",
        ANTHROPIC), 400, "invalid_request_error", "'model' is required");
  }

  @Test
  void an_unknown_provider_or_model_family_is_named() throws Exception {
    JsonNode e = openAiError(h.post("/v1/chat/completions",
        "{\"model\":\"acme/big-model\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", OPENAI), 400,
        "unknown provider 'acme'");
    assertEquals("model_not_found", e.get("code").asText());
    openAiError(h.post("/v1/chat/completions",
        "{\"model\":\"mystery-7b\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", OPENAI), 400,
        "mystery-7b", "provider/model");
  }

  @Test
  void a_body_over_the_limit_is_refused_with_413() throws Exception {
    String big = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(1_100_000) + "\"}]}";
    openAiError(h.post("/v1/chat/completions", big, OPENAI), 413, "limit of 1048576 bytes", "server.max_body");
    anthropicError(h.post("/v1/messages", big, ANTHROPIC), 413, "request_too_large");
    assertTrue(h.sim.calls().isEmpty(), "nothing reached the provider");
  }

  @Test
  void invalid_utf8_is_refused() throws Exception {
    byte[] body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"\u00ff\u00fe\"}]}"
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    HttpResponse<String> res = h.http.send(HttpRequest.newBuilder(URI.create(h.openAiBase() + "/chat/completions"))
        .headers(OPENAI).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
    openAiError(res, 400, "not valid UTF-8");
  }

  @Test
  void an_unknown_path_is_a_404_in_the_dialect() throws Exception {
    openAiError(h.post("/v1/completionz", "{}", OPENAI), 404, "/v1/completionz");
    anthropicError(h.post("/v1/messages/nope", "{}", ANTHROPIC), 404, "not_found_error", "/v1/messages/nope");
  }

  @Test
  void an_unreachable_provider_is_a_502_in_the_dialect() throws Exception {
    openAiError(h.post("/v1/chat/completions",
        "{\"model\":\"unreachable/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", OPENAI), 502,
        "unreachable", "cannot connect");
  }

  @Test
  void a_provider_answering_200_with_garbage_is_a_502() throws Exception {
    h.sim.on("gpt-4o").garbage();
    openAiError(h.post("/v1/chat/completions",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}", OPENAI), 502,
        "not a", "OpenAI");
  }

  @Test
  void an_endpoint_with_no_equivalent_in_the_other_dialect_is_explained() throws Exception {
    openAiError(h.post("/v1/embeddings", "{\"model\":\"claude-haiku-4-5\",\"input\":\"x\"}", OPENAI), 400,
        "Anthropic Messages", "/v1/embeddings");
  }

  @Test
  void health_and_metrics_answer() throws Exception {
    var health = h.http.send(HttpRequest.newBuilder(URI.create(h.anthropicBase() + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, health.statusCode());
    var metrics = h.http.send(HttpRequest.newBuilder(URI.create(h.anthropicBase() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertTrue(metrics.body().contains("tokenwise_log_dropped_total"), metrics.body());
  }
}
