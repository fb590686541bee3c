package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.config.Config;
import dev.tokenwise.core.Json;
import dev.tokenwise.provider.sim.Call;
import dev.tokenwise.store.RequestRecord;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What passes through untouched, the other endpoints, unpriced models and gateway keys. */
class PassThroughIT {
  private static final String[] OPENAI = {"authorization", "Bearer sk-client", "content-type", "application/json"};

  @TempDir static Path dir;
  static GatewayHarness h;

  @BeforeAll
  static void start() {
    h = new GatewayHarness(dir, Map.of(), new Config.Auth("test-salt", Map.of(
        "tw-team-alpha", new Config.GatewayKey("alpha", Map.of("openai", "sk-held-by-gateway"))), false, null));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @BeforeEach
  void reset() {
    h.sim.reset();
  }

  private static Call lastCall() {
    return h.sim.calls().get(h.sim.calls().size() - 1);
  }

  @Test
  void fields_the_gateway_does_not_own_reach_the_provider_byte_for_byte() throws Exception {
    String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\","
        + "\"text\":\"What is here?\"},{\"type\":\"image_url\",\"image_url\":{\"url\":\"https://example.com/cat.png\","
        + "\"detail\":\"low\"}},{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,iVBORw0KGgo=\"}}]}],"
        + "\"n\":1,\"logprobs\":true,\"top_logprobs\":2,\"temperature\":0.30,\"x_vendor_option\":{\"deep\":[1,2.50,\"\u00e9\"]},"
        + "\"metadata\":{\"tenant\":\"acme\"}}";
    HttpResponse<String> res = h.post("/v1/chat/completions", body, OPENAI);
    assertEquals(200, res.statusCode(), res.body());
    assertArrayEquals(body.getBytes(StandardCharsets.UTF_8), lastCall().body().getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void a_large_image_survives_a_rewrite_of_the_body_byte_for_byte() throws Exception {
    String image = "data:image/png;base64," + "iVBORw0KGgoAAAANSUhEUgAA".repeat(20_000);
    String body = "{\"model\":\"openai/gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
        + "\"image_url\":{\"url\":\"" + image + "\"}},{\"type\":\"text\",\"text\":\"What is this?\"}]}]}";
    HttpResponse<String> res = h.post("/v1/chat/completions", body, OPENAI);
    assertEquals(200, res.statusCode(), res.body());
    String sent = lastCall().body();
    assertEquals(body.replace("openai/gpt-4o", "gpt-4o"), sent, "only the model id changed");
  }

  @Test
  void anthropic_version_and_beta_headers_are_forwarded_as_given() throws Exception {
    HttpResponse<String> res = h.post("/v1/messages", "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":20,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key", "sk-ant", "anthropic-version",
        "2026-10-21", "anthropic-beta", "context-1m-2025-08-07", "anthropic-beta", "files-api-2025-04-14",
        "content-type", "application/json");
    assertEquals(200, res.statusCode(), res.body());
    assertEquals("2026-10-21", lastCall().headers().get("anthropic-version"));
    assertEquals("context-1m-2025-08-07,files-api-2025-04-14", lastCall().headers().get("anthropic-beta"));
  }

  @Test
  void embeddings_are_forwarded_and_priced_at_the_input_price() throws Exception {
    HttpResponse<String> res = h.post("/v1/embeddings",
        "{\"model\":\"text-embedding-3-small\",\"input\":[\"first text\",\"second text\"]}", OPENAI);
    assertEquals(200, res.statusCode(), res.body());
    JsonNode answer = Json.tryParse(res.body().getBytes());
    assertEquals(2, answer.path("data").size());
    long tokens = answer.path("usage").path("prompt_tokens").asLong();
    // text-embedding-3-small: $0.02 per 1M input tokens
    BigDecimal expected = new BigDecimal("0.02").multiply(BigDecimal.valueOf(tokens)).divide(BigDecimal.valueOf(1_000_000));
    assertEquals(0, expected.compareTo(new BigDecimal(res.headers().firstValue("x-tokenwise-cost-usd").orElseThrow())));
    RequestRecord row = h.row(res.headers().firstValue("x-tokenwise-request-id").orElseThrow());
    assertEquals("/v1/embeddings", row.endpoint());
    assertEquals(tokens, row.inputTokens());
  }

  @Test
  void models_are_listed_in_each_dialect() throws Exception {
    var openai = h.http.send(HttpRequest.newBuilder(URI.create(h.openAiBase() + "/models"))
        .header("authorization", "Bearer sk-x").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, openai.statusCode(), openai.body());
    assertEquals("list", Json.tryParse(openai.body().getBytes()).path("object").asText());
    var anthropic = h.http.send(HttpRequest.newBuilder(URI.create(h.anthropicBase() + "/v1/models"))
        .header("x-api-key", "sk-ant").header("anthropic-version", "2023-06-01").build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, anthropic.statusCode(), anthropic.body());
    assertTrue(Json.tryParse(anthropic.body().getBytes()).path("data").get(0).path("type").asText().equals("model"));
    var one = h.http.send(HttpRequest.newBuilder(URI.create(h.openAiBase() + "/models/gpt-4o-mini"))
        .header("authorization", "Bearer sk-x").build(), HttpResponse.BodyHandlers.ofString());
    assertEquals("gpt-4o-mini", Json.tryParse(one.body().getBytes()).path("id").asText());
  }

  @Test
  void a_model_without_a_price_is_logged_as_cost_unknown_never_zero() throws Exception {
    h.sim.models("acme-finetune-1");
    HttpResponse<String> res = h.post("/v1/chat/completions",
        "{\"model\":\"openai/acme-finetune-1\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", OPENAI);
    assertEquals(200, res.statusCode(), res.body());
    assertEquals("unknown", res.headers().firstValue("x-tokenwise-cost-usd").orElseThrow());
    RequestRecord row = h.row(res.headers().firstValue("x-tokenwise-request-id").orElseThrow());
    assertNull(row.costPicoUsd());
    assertTrue(row.outputTokens() > 0);
  }

  @Test
  void a_gateway_key_names_its_tenant_and_uses_the_provider_key_the_gateway_holds() throws Exception {
    HttpResponse<String> res = h.post("/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "authorization", "Bearer tw-team-alpha", "content-type", "application/json");
    assertEquals(200, res.statusCode(), res.body());
    assertEquals("alpha", h.row(res.headers().firstValue("x-tokenwise-request-id").orElseThrow()).tenant());
    assertEquals(1, h.sim.calls().size());

    HttpResponse<String> unknown = h.post("/v1/chat/completions",
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "authorization", "Bearer tw-nobody", "content-type", "application/json");
    assertEquals(401, unknown.statusCode());
    assertTrue(unknown.body().contains("unknown gateway key"));
    assertEquals(1, h.sim.calls().size(), "an unknown gateway key never reaches a provider");
  }

  @Test
  void the_same_client_key_is_always_the_same_tenant_and_another_key_another() throws Exception {
    String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    String a1 = h.row(h.post("/v1/chat/completions", body, OPENAI).headers().firstValue("x-tokenwise-request-id")
        .orElseThrow()).tenant();
    String a2 = h.row(h.post("/v1/chat/completions", body, OPENAI).headers().firstValue("x-tokenwise-request-id")
        .orElseThrow()).tenant();
    String b = h.row(h.post("/v1/chat/completions", body, "authorization", "Bearer sk-other", "content-type",
        "application/json").headers().firstValue("x-tokenwise-request-id").orElseThrow()).tenant();
    assertEquals(a1, a2);
    assertTrue(!a1.equals(b));
  }
}
