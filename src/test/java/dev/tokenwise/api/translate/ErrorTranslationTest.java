package dev.tokenwise.api.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorTranslationTest {
  private static JsonNode json(String text) {
    return Json.tryParse(text.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode anthropicError(String type, String message) {
    return json("{'type':'error','error':{'type':'" + type + "','message':'" + message + "'},'request_id':'req_up'}");
  }

  private static JsonNode openAiError(String type, String code, String message) {
    ObjectNode error = Json.object();
    error.put("message", message);
    error.put("type", type);
    error.putNull("param");
    error.put("code", code);
    ObjectNode root = Json.object();
    root.set("error", error);
    return root;
  }

  private static JsonNode anthropicBody(String type, String message, String requestId) {
    return json("{'type':'error','error':{'type':'" + type + "','message':'" + message + "'},'request_id':'"
        + requestId + "'}");
  }

  @ParameterizedTest(name = "Anthropic {0} {1} -> OpenAI {2} {3} {4}")
  @CsvSource(nullValues = "null", value = {
      "400, invalid_request_error, 400, invalid_request_error, null",
      "401, authentication_error, 401, authentication_error, invalid_api_key",
      "402, billing_error, 429, rate_limit_error, insufficient_quota",
      "403, permission_error, 403, permission_error, null",
      "404, not_found_error, 404, invalid_request_error, model_not_found",
      "413, request_too_large, 413, invalid_request_error, null",
      "429, rate_limit_error, 429, rate_limit_error, rate_limit_exceeded",
      "529, overloaded_error, 503, server_error, null",
      "503, overloaded_error, 503, server_error, null",
      "502, api_error, 502, server_error, null",
      "500, api_error, 500, server_error, null",
      "504, timeout_error, 504, server_error, null",
  })
  void every_anthropic_error_maps_to_its_openai_row(
      int upstream, String upstreamType, int status, String type, String code) {
    ErrorTranslation.Mapped mapped =
        ErrorTranslation.toOpenAi(upstream, anthropicError(upstreamType, "Something specific"), "anthropic");
    assertEquals(status, mapped.status());
    assertEquals(openAiError(type, code, "anthropic: Something specific"), Json.tryParse(mapped.body()));
  }

  @Test
  void an_anthropic_spend_cap_rate_limit_becomes_insufficient_quota() {
    JsonNode body = json("{'type':'error','error':{'type':'rate_limit_error','message':'Spend limit reached',"
        + "'details':{'error_code':'enforced_spend_limit_reached'}}}");
    ErrorTranslation.Mapped mapped = ErrorTranslation.toOpenAi(429, body, "anthropic");
    assertEquals(429, mapped.status());
    assertEquals("insufficient_quota", Json.tryParse(mapped.body()).at("/error/code").asText());
  }

  @Test
  void an_anthropic_body_that_is_not_json_still_gives_an_openai_error() {
    ErrorTranslation.Mapped mapped = ErrorTranslation.toOpenAi(502, null, "anthropic");
    assertEquals(502, mapped.status());
    assertEquals(openAiError("server_error", null, "anthropic: answered HTTP 502 without a readable error message"),
        Json.tryParse(mapped.body()));
  }

  @Test
  void an_anthropic_body_of_the_wrong_shape_still_gives_an_openai_error() {
    ErrorTranslation.Mapped mapped =
        ErrorTranslation.toOpenAi(404, new TextNode("<html>not found</html>"), "anthropic");
    assertEquals(404, mapped.status());
    assertEquals(openAiError("invalid_request_error", "model_not_found",
        "anthropic: answered HTTP 404 without a readable error message"), Json.tryParse(mapped.body()));
  }

  @Test
  void an_anthropic_overload_with_an_unusual_status_is_still_a_503() {
    ErrorTranslation.Mapped mapped = ErrorTranslation.toOpenAi(500, anthropicError("overloaded_error", "Overloaded"), "a");
    assertEquals(503, mapped.status());
  }

  @ParameterizedTest(name = "OpenAI {0} {2} -> Anthropic {3} {4}")
  @CsvSource(nullValues = "null", value = {
      "400, invalid_request_error, context_length_exceeded, 400, invalid_request_error",
      "401, invalid_request_error, invalid_api_key, 401, authentication_error",
      "429, insufficient_quota, insufficient_quota, 402, billing_error",
      "403, invalid_request_error, null, 403, permission_error",
      "404, invalid_request_error, model_not_found, 404, not_found_error",
      "413, invalid_request_error, null, 413, request_too_large",
      "429, tokens, rate_limit_exceeded, 429, rate_limit_error",
      "503, server_error, null, 529, overloaded_error",
      "502, server_error, null, 500, api_error",
      "500, server_error, null, 500, api_error",
      "504, server_error, null, 504, timeout_error",
  })
  void every_openai_error_maps_to_its_anthropic_row(
      int upstream, String upstreamType, String upstreamCode, int status, String type) {
    ErrorTranslation.Mapped mapped = ErrorTranslation.toAnthropic(
        upstream, openAiError(upstreamType, upstreamCode, "Something specific"), "openai", "req_gw1");
    assertEquals(status, mapped.status());
    assertEquals(anthropicBody(type, "openai: Something specific", "req_gw1"), Json.tryParse(mapped.body()));
  }

  @Test
  void a_quota_429_known_only_by_its_type_is_still_a_billing_error() {
    ErrorTranslation.Mapped mapped = ErrorTranslation.toAnthropic(
        429, openAiError("insufficient_quota", null, "Out of credit"), "openrouter", "req_gw2");
    assertEquals(402, mapped.status());
  }

  @Test
  void an_openai_body_that_is_not_json_still_gives_an_anthropic_error() {
    ErrorTranslation.Mapped mapped = ErrorTranslation.toAnthropic(502, null, "openai", "req_gw3");
    assertEquals(500, mapped.status());
    assertEquals(anthropicBody("api_error", "openai: answered HTTP 502 without a readable error message", "req_gw3"),
        Json.tryParse(mapped.body()));
  }

  @Test
  void an_openai_body_of_the_wrong_shape_still_gives_an_anthropic_error() {
    ErrorTranslation.Mapped mapped = ErrorTranslation.toAnthropic(503, json("{'detail':'busy'}"), "vllm", "req_gw4");
    assertEquals(529, mapped.status());
    assertEquals(anthropicBody("overloaded_error", "vllm: answered HTTP 503 without a readable error message",
        "req_gw4"), Json.tryParse(mapped.body()));
  }

  @Test
  void gemini_and_mistral_error_shapes_keep_their_message() {
    ErrorTranslation.Mapped gemini = ErrorTranslation.toAnthropic(429,
        json("[{'error':{'code':429,'message':'Resource has been exhausted','status':'RESOURCE_EXHAUSTED'}}]"),
        "gemini", "req_gw5");
    assertEquals(anthropicBody("rate_limit_error", "gemini: Resource has been exhausted", "req_gw5"),
        Json.tryParse(gemini.body()));
    ErrorTranslation.Mapped mistral = ErrorTranslation.toAnthropic(400,
        json("{'object':'error','message':'Invalid model','type':'invalid_request_error','code':'1500'}"),
        "mistral", "req_gw6");
    assertEquals(anthropicBody("invalid_request_error", "mistral: Invalid model", "req_gw6"),
        Json.tryParse(mistral.body()));
  }

  @Test
  void a_missing_request_id_leaves_the_field_out() {
    ErrorTranslation.Mapped mapped =
        ErrorTranslation.toAnthropic(500, openAiError("server_error", null, "Oops"), "openai", null);
    assertEquals(json("{'type':'error','error':{'type':'api_error','message':'openai: Oops'}}"),
        Json.tryParse(mapped.body()));
  }
}
