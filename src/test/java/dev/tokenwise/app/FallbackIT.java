package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.config.Config;
import dev.tokenwise.config.ProviderConfig;
import dev.tokenwise.core.Json;
import dev.tokenwise.provider.sim.Call;
import dev.tokenwise.provider.sim.Simulator;
import dev.tokenwise.store.AttemptRecord;
import dev.tokenwise.store.RequestRecord;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults injected at the simulator, through the gateway: outages, rate-limit storms, slow first bytes,
 * truncated streams and 200s that are no answer are answered by the fallback chain within the attempt
 * budget, and every attempt is logged with its cost. Each test has a tag of its own, and so a policy and
 * a chain of its own.
 */
class FallbackIT {
  private static final String OPENAI = "/v1/chat/completions";
  private static final String[] OPENAI_HEADERS = {"authorization", "Bearer sk-client", "content-type",
      "application/json"};

  @TempDir static Path dir;
  static Simulator sim;
  static GatewayHarness h;

  @BeforeAll
  static void start() {
    sim = Simulator.start(0);
    List<Map<String, Object>> policies = List.of(
        policy("outage", null, List.of("anthropic/claude-haiku-4-5")),
        policy("limits", null, List.of("groq/llama-3.3-70b-versatile")),
        policy("slow", "edge/gpt-4.1", List.of("groq/llama-3.1-8b-instant")),
        policy("chain", null, List.of("claude-haiku-4-5", "groq/llama-3.3-70b-versatile", "openai/gpt-4o-mini")),
        policy("keyless", null, List.of("deepseek/deepseek-chat", "groq/llama-3.1-70b-versatile")),
        Map.of("match", Map.of("tag", "cached"), "cache", Map.of("exact", true),
            "fallback", List.of("groq/llama-3.1-70b-versatile")),
        Map.of("match", Map.of("tag", "extract"), "early_exit", "json"));
    h = new GatewayHarness(sim, dir, Map.of("anthropic", "sk-ant-gateway", "groq", "gsk-gateway"), policies,
        FallbackIT::tweak, java.time.Clock.systemUTC());
  }

  /**
   * Short backoffs and a 5-second deadline for the whole call; the breakers stay quiet (the breaker's
   * own test has them open); an {@code edge} provider that waits 300 ms at most for a first byte; and a
   * {@code deepseek} provider with no key of the gateway's own.
   */
  private static Config tweak(Config c) {
    Map<String, ProviderConfig> providers = new LinkedHashMap<>(c.providers());
    providers.put("edge", new ProviderConfig("edge", ProviderConfig.Kind.OPENAI, sim.baseUrl() + "/v1", "edge-key",
        Duration.ofSeconds(10), Map.of(), List.of(), Duration.ofSeconds(2), Duration.ofMillis(300),
        Duration.ofSeconds(10)));
    providers.put("deepseek", new ProviderConfig("deepseek", ProviderConfig.Kind.OPENAI, sim.baseUrl() + "/v1", null,
        Duration.ofSeconds(10), Map.of(), List.of()));
    Config.Retry retry = new Config.Retry(3, Duration.ofSeconds(5), Duration.ofMillis(50), Duration.ofMillis(200),
        GatewayHarness.QUIET_BREAKERS.breaker());
    return new Config(c.server(), c.store(), c.redis(), providers, c.models(), c.prices(), c.auth(), retry, c.guard(),
        c.log(), c.cache(), c.policies());
  }

  private static Map<String, Object> policy(String tag, String route, List<String> fallback) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("match", Map.of("tag", tag));
    if (route != null) {
      p.put("route", Map.of("model", route));
    }
    p.put("fallback", fallback);
    return p;
  }

  @AfterAll
  static void stop() {
    h.close();
    sim.close();
  }

  @BeforeEach
  void reset() {
    sim.reset();
  }

  private static HttpResponse<String> chat(String tag, String model, boolean stream) throws Exception {
    String body = "{\"model\":\"" + model + "\"," + (stream ? "\"stream\":true," : "")
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Where is my parcel?\"}]}";
    return tag == null ? h.post(OPENAI, body, OPENAI_HEADERS)
        : h.post(OPENAI, body, "authorization", "Bearer sk-client", "content-type", "application/json",
            "x-tokenwise-tag", tag);
  }

  private static String header(HttpResponse<?> res, String name) {
    return res.headers().firstValue(name).orElse(null);
  }

  private static RequestRecord row(HttpResponse<?> res) {
    return h.row(header(res, "x-tokenwise-request-id"));
  }

  /** The model of each call the simulator received, in order. */
  private static List<String> upstreamModels() {
    return sim.calls().stream().map(c -> c.json().path("model").asText()).toList();
  }

  private static JsonNode json(String body) {
    return Json.tryParse(body.getBytes(StandardCharsets.UTF_8));
  }

  /** The attempts' costs add up to the call's cost (no summary or embedding in these calls). */
  private static void assertCostsAddUp(RequestRecord row) {
    long sum = row.attemptLog().stream().mapToLong(a -> a.costPicoUsd() == null ? -1 : a.costPicoUsd()).sum();
    assertEquals(row.costPicoUsd(), sum, row.attemptLog().toString());
  }

  @Test
  void an_outage_of_the_primary_is_answered_by_the_fallback_in_the_clients_dialect() throws Exception {
    sim.on("gpt-4o").fail(503);
    HttpResponse<String> res = chat("outage", "gpt-4o", false);

    assertEquals(200, res.statusCode(), res.body());
    assertEquals("chat.completion", json(res.body()).path("object").asText(), "an OpenAI answer from Claude");
    assertEquals("anthropic", header(res, "x-tokenwise-provider"));
    assertEquals("2", header(res, "x-tokenwise-attempts"));
    String trace = header(res, "x-tokenwise-trace");
    assertTrue(trace.matches(".*fallback: attempt 1 openai/gpt-4o: 503 \\(.*\\) in \\d+ ms.*"), trace);
    assertTrue(trace.matches(".*fallback: attempt 2 anthropic/claude-haiku-4-5: 200 in \\d+ ms.*"), trace);
    assertEquals(List.of("/v1/chat/completions", "/v1/messages"), sim.calls().stream().map(Call::path).toList());

    RequestRecord row = row(res);
    assertEquals(2, row.attempts());
    List<AttemptRecord> attempts = row.attemptLog();
    assertEquals(List.of("failed", "ok"), attempts.stream().map(AttemptRecord::outcome).toList());
    assertEquals(503, attempts.get(0).status());
    assertEquals(0L, attempts.get(0).costPicoUsd(), "a 503 costs nothing");
    assertTrue(attempts.get(1).costPicoUsd() > 0);
    assertCostsAddUp(row);
    assertEquals("claude-haiku-4-5-20251001", row.modelUsed());
    assertTrue(row.trace().contains("savings: fallback "), "priced at the serving model, against gpt-4o: " + row.trace());
  }

  @Test
  void a_streamed_call_fails_over_before_its_first_byte_and_the_client_sees_one_clean_stream() throws Exception {
    sim.on("gpt-4o").dropAfter(0); // headers, then the connection is cut before any event
    HttpResponse<String> res = chat("outage", "gpt-4o", true);

    assertEquals(200, res.statusCode());
    assertEquals("anthropic", header(res, "x-tokenwise-provider"), "the headers are the serving attempt's");
    assertEquals("claude-haiku-4-5", header(res, "x-tokenwise-model"));
    assertTrue(res.body().endsWith("data: [DONE]\n\n"), res.body());
    assertFalse(res.body().contains("\"error\""), res.body());
    RequestRecord row = row(res);
    assertEquals(200, row.status());
    assertEquals(List.of("failed", "ok"), row.attemptLog().stream().map(AttemptRecord::outcome).toList());
  }

  @Test
  void after_its_first_byte_a_broken_stream_ends_with_an_error_event_and_is_logged_with_its_tokens() throws Exception {
    sim.on("gpt-4o").reply("one two three four five six seven eight nine ten").dropAfter(4);
    HttpResponse<String> res = chat("outage", "gpt-4o", true);

    assertEquals(200, res.statusCode());
    assertTrue(res.body().contains("data: {\"error\":"), res.body());
    assertFalse(res.body().contains("[DONE]"), "a broken stream must not look complete");
    assertEquals(1, sim.calls().size(), "too late for another model: the client has part of an answer");
    RequestRecord row = row(res);
    assertEquals(502, row.status());
    assertTrue(row.usageEstimated() && row.inputTokens() > 0 && row.outputTokens() > 0, row.toString());
    assertTrue(row.costPicoUsd() > 0, "the tokens the provider generated are billed");
    AttemptRecord only = row.attemptLog().get(0);
    assertEquals("broken", only.outcome());
    assertCostsAddUp(row);
  }

  @Test
  void an_anthropic_client_gets_its_own_error_event_when_the_stream_breaks_after_its_first_byte() throws Exception {
    sim.on("claude-haiku-4-5").dropAfter(3);
    HttpResponse<String> res = h.post("/v1/messages", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":50,"
        + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}", "x-api-key", "sk-ant",
        "anthropic-version", "2023-06-01", "content-type", "application/json");
    assertEquals(200, res.statusCode());
    assertTrue(res.body().contains("event: error"), res.body());
    assertFalse(res.body().contains("message_stop"), res.body());
  }

  @Test
  void a_short_retry_after_is_waited_for_and_the_same_model_asked_again() throws Exception {
    sim.on("gpt-4o-mini").fail(429, Duration.ofMillis(300)).times(1);
    long start = System.nanoTime();
    HttpResponse<String> res = chat("limits", "gpt-4o-mini", false);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertEquals(200, res.statusCode(), res.body());
    assertEquals("openai", header(res, "x-tokenwise-provider"));
    assertEquals(List.of("gpt-4o-mini", "gpt-4o-mini"), upstreamModels());
    assertTrue(millis >= 300, "waited " + millis + " ms");
    assertTrue(header(res, "x-tokenwise-trace").matches(".*fallback: waited (2\\d\\d|300) ms \\(Retry-After\\) before"
        + " asking openai/gpt-4o-mini again.*"), header(res, "x-tokenwise-trace"));
  }

  @Test
  void a_retry_after_longer_than_the_deadline_allows_moves_to_the_next_model_at_once() throws Exception {
    sim.on("gpt-4o-mini").fail(429, Duration.ofSeconds(30));
    long start = System.nanoTime();
    HttpResponse<String> res = chat("limits", "gpt-4o-mini", false);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertEquals(200, res.statusCode(), res.body());
    assertEquals("groq", header(res, "x-tokenwise-provider"));
    assertEquals(List.of("gpt-4o-mini", "llama-3.3-70b-versatile"), upstreamModels());
    assertTrue(millis < 3000, "no wait for a Retry-After past the deadline: " + millis + " ms");
  }

  @Test
  void a_provider_slow_to_its_first_byte_is_left_for_the_next_model() throws Exception {
    sim.on("gpt-4.1").stall(Duration.ofSeconds(3));
    long start = System.nanoTime();
    HttpResponse<String> res = chat("slow", "gpt-4o", false);
    long millis = (System.nanoTime() - start) / 1_000_000;

    assertEquals(200, res.statusCode(), res.body());
    assertEquals("groq", header(res, "x-tokenwise-provider"));
    assertTrue(millis < 2500, "gave up on the first byte after 300 ms, answered in " + millis + " ms");
    AttemptRecord slow = row(res).attemptLog().get(0);
    assertEquals("edge", slow.provider());
    assertEquals(0, slow.status());
    assertTrue(slow.error().contains("no response headers within 300 ms (first_byte_timeout)"), slow.error());
  }

  @Test
  void a_200_that_is_no_answer_is_asked_again_whole_and_streamed() throws Exception {
    sim.on("gpt-4o").garbage().times(1);
    HttpResponse<String> whole = chat(null, "gpt-4o", false);
    assertEquals(200, whole.statusCode(), whole.body());
    assertEquals("2", header(whole, "x-tokenwise-attempts"));
    assertEquals(List.of("gpt-4o", "gpt-4o"), upstreamModels());
    assertTrue(row(whole).attemptLog().get(0).error().contains("not a valid OpenAI answer"),
        row(whole).attemptLog().toString());

    sim.reset();
    sim.on("gpt-4o").garbage().times(2);
    HttpResponse<String> streamed = chat(null, "gpt-4o", true);
    assertEquals(200, streamed.statusCode());
    assertEquals("3", header(streamed, "x-tokenwise-attempts"));
    assertTrue(streamed.body().startsWith("data: {"), "no garbage reached the client: " + streamed.body());
    assertTrue(streamed.body().endsWith("data: [DONE]\n\n"), streamed.body());
    assertTrue(row(streamed).attemptLog().get(0).error().contains("began with an event that is not JSON"),
        row(streamed).attemptLog().toString());
  }

  @Test
  void when_every_model_fails_the_budget_holds_and_the_error_lists_every_attempt() throws Exception {
    sim.on(dev.tokenwise.provider.sim.Rule.ANY_MODEL).fail(503);
    HttpResponse<String> res = chat("chain", "gpt-4o", false);

    assertEquals(3, sim.calls().size(), "three attempts in all, though the chain has four models");
    assertEquals(503, res.statusCode(), "the last provider's status");
    assertEquals("3", header(res, "x-tokenwise-attempts"));
    JsonNode error = json(res.body()).path("error");
    String message = error.path("message").asText();
    assertTrue(message.startsWith("tokenwise: no model answered after 3 attempts (retry.max_attempts (3) reached):"
        + " attempt 1 openai/gpt-4o: 503"), message);
    assertTrue(message.contains("; attempt 2 anthropic/claude-haiku-4-5: 503"), message);
    assertTrue(message.contains("; attempt 3 groq/llama-3.3-70b-versatile: 503"), message);
    assertEquals("server_error", error.path("type").asText());

    RequestRecord row = row(res);
    assertEquals(503, row.status());
    assertEquals(0L, row.costPicoUsd());
    assertEquals(List.of("failed", "failed", "failed"), row.attemptLog().stream().map(AttemptRecord::outcome).toList());
  }

  @Test
  void an_anthropic_client_gets_the_list_of_attempts_in_its_own_shape() throws Exception {
    sim.on(dev.tokenwise.provider.sim.Rule.ANY_MODEL).fail(529);
    HttpResponse<String> res = h.post("/v1/messages", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":10,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "x-api-key", "sk-ant", "anthropic-version",
        "2023-06-01", "content-type", "application/json");

    assertEquals(3, sim.calls().size(), "a chain of one model: retried with backoff, three attempts in all");
    assertEquals(529, res.statusCode());
    JsonNode body = json(res.body());
    assertEquals("error", body.path("type").asText());
    assertEquals("overloaded_error", body.path("error").path("type").asText());
    assertTrue(body.path("error").path("message").asText().contains("attempt 3 anthropic/claude-haiku-4-5: 529"),
        res.body());
  }

  @Test
  void a_request_error_is_never_retried() throws Exception {
    sim.on("gpt-4o").fail(400);
    HttpResponse<String> res = chat("outage", "gpt-4o", false);

    assertEquals(400, res.statusCode());
    assertEquals(1, sim.calls().size(), "one upstream call, although the chain has another model");
    assertEquals("1", header(res, "x-tokenwise-attempts"));
    assertEquals("The request could not be processed.", json(res.body()).path("error").path("message").asText(),
        "the provider's own error, passed through");
    assertEquals("rejected", row(res).attemptLog().get(0).outcome());
  }

  @Test
  void the_clients_key_is_not_sent_to_a_fallback_provider_the_gateway_has_no_key_for() throws Exception {
    sim.on("gpt-4o").fail(503);
    HttpResponse<String> res = chat("keyless", "gpt-4o", false);

    assertEquals(200, res.statusCode(), res.body());
    assertEquals("groq", header(res, "x-tokenwise-provider"));
    assertEquals(List.of("gpt-4o", "llama-3.1-70b-versatile"), upstreamModels(), "deepseek was never called");
    assertTrue(header(res, "x-tokenwise-trace").contains("fallback: skipped deepseek/deepseek-chat (no key of the"
        + " gateway's own for deepseek; set providers.deepseek.api_key)"), header(res, "x-tokenwise-trace"));
  }

  @Test
  void attempts_are_in_the_admin_api_and_in_metrics() throws Exception {
    sim.on("gpt-4o").fail(502);
    HttpResponse<String> res = chat("outage", "gpt-4o", false);
    String id = header(res, "x-tokenwise-request-id");
    row(res);

    HttpResponse<String> api = h.http.send(HttpRequest.newBuilder(URI.create(h.anthropicBase()
        + "/tokenwise/api/requests/" + id)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode attempts = json(api.body()).path("attempts");
    assertEquals(2, attempts.size(), api.body());
    assertEquals("openai", attempts.get(0).path("provider").asText());
    assertEquals(502, attempts.get(0).path("status").asInt());
    assertEquals(0, attempts.get(0).path("cost_pico_usd").asLong(-1));
    assertEquals("ok", attempts.get(1).path("outcome").asText());
    assertEquals(json(api.body()).path("cost_usd").asText(), attempts.get(1).path("cost_usd").asText());

    String metrics = h.http.send(HttpRequest.newBuilder(URI.create(h.anthropicBase() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertTrue(metrics.matches("(?s).*tokenwise_upstream_attempts_total\\{provider=\"openai\",model=\"gpt-4o\","
        + "outcome=\"failed\"} [1-9].*"), metrics);
    assertTrue(metrics.matches("(?s).*tokenwise_fallbacks_served_total\\{provider=\"anthropic\","
        + "model=\"claude-haiku-4-5\"} [1-9].*"), metrics);
    assertTrue(metrics.matches("(?s).*tokenwise_retries_total [1-9].*"), metrics);
  }

  @Test
  void an_answer_from_a_fallback_model_is_not_kept_under_the_first_models_cache_key() throws Exception {
    String body = "{\"model\":\"gpt-4.1-mini\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Name a colour.\"}]}";
    String[] headers = {"authorization", "Bearer sk-client", "content-type", "application/json", "x-tokenwise-tag",
        "cached"};
    sim.on("gpt-4.1-mini").fail(503).times(1);
    HttpResponse<String> byFallback = h.post(OPENAI, body, headers);
    assertEquals("groq", header(byFallback, "x-tokenwise-provider"));
    assertEquals("miss", header(byFallback, "x-tokenwise-cache"));

    HttpResponse<String> byPrimary = h.post(OPENAI, body, headers);
    assertEquals("openai", header(byPrimary, "x-tokenwise-provider"), "the fallback's answer was not kept");
    assertEquals("miss", header(byPrimary, "x-tokenwise-cache"));
    h.awaitStored("cached", 1);

    HttpResponse<String> hit = h.post(OPENAI, body, headers);
    assertEquals("hit-exact", header(hit, "x-tokenwise-cache"));
    assertEquals(json(byPrimary.body()).path("choices"), json(hit.body()).path("choices"));
    assertEquals(1, h.stored("cached"), "only the first model's own answer is kept");
  }

  @Test
  void a_failed_attempt_the_provider_billed_adds_to_the_calls_cost() throws Exception {
    String answer = "{\"label\":\"late\",\"reason\":\"the parcel is held at the depot for a missing customs form\"}"
        + " and then a rambling explanation nobody asked for, on and on and on";
    String body = "{\"model\":\"gpt-4.1-nano\",\"messages\":[{\"role\":\"user\",\"content\":\"Classify: late\"}]}";
    String[] headers = {"authorization", "Bearer sk-client", "content-type", "application/json", "x-tokenwise-tag",
        "extract"};
    sim.on("gpt-4.1-nano").reply(answer).times(3);
    for (int i = 0; i < 3; i++) {
      h.post(OPENAI, body, headers); // complete answers first: early exit learns their length
    }
    sim.reset();
    // early exit reads a stream for this whole answer: the first breaks off after some generated text
    sim.on("gpt-4.1-nano").reply(answer).dropAfter(4).times(1);
    sim.on("gpt-4.1-nano").reply(answer);
    HttpResponse<String> res = h.post(OPENAI, body, headers);

    assertEquals(200, res.statusCode(), res.body());
    assertEquals("2", header(res, "x-tokenwise-attempts"));
    RequestRecord row = row(res);
    AttemptRecord broken = row.attemptLog().get(0);
    assertEquals("failed", broken.outcome());
    assertTrue(broken.costPicoUsd() > 0, "the text generated before the break was billed: " + broken);
    assertCostsAddUp(row);
    assertEquals(dev.tokenwise.analytics.Cost.usd(row.costPicoUsd()), header(res, "x-tokenwise-cost-usd"));
  }

  @Test
  void a_call_without_a_chain_keeps_one_attempt_and_a_quiet_trace() throws Exception {
    HttpResponse<String> res = chat(null, "gpt-4o-mini", false);
    assertEquals(200, res.statusCode());
    assertEquals("1", header(res, "x-tokenwise-attempts"));
    String trace = header(res, "x-tokenwise-trace");
    assertTrue(trace == null || !trace.contains("fallback"), trace);
    assertNull(row(res).error());
    assertEquals(1, row(res).attemptLog().size());
  }
}
