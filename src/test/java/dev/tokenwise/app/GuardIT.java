package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.config.Config;
import dev.tokenwise.core.Json;
import dev.tokenwise.provider.sim.Simulator;
import dev.tokenwise.store.RequestRecord;
import dev.tokenwise.testing.MutableClock;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spend guard through the gateway, on the simulator's exact usage: gpt-4o answers with 1M input
 * tokens (2.50 USD a call), claude-haiku-4-5 likewise (1 USD), gpt-4o-mini with 10k (0.0015 USD). Caps
 * trip and refuse in the caller's dialect, other tenants and patterns keep working, and each guard clears
 * as the clock moves past its window; the anomaly guard trips on a burst over a steady baseline; two
 * instances on one Redis share a cap.
 */
class GuardIT {
  private static final Config.Auth AUTH = new Config.Auth("test-salt", Map.of(), false, null);
  private static final String TWO_FIFTY = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final String CHEAP = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  @TempDir static Path dir;
  static Simulator sim;

  @BeforeAll
  static void start() {
    sim = Simulator.start(0);
    sim.on("gpt-4o").reply("ok", 1_000_000, 0);
    sim.on("claude-haiku-4-5").reply("ok", 1_000_000, 0);
    sim.on("gpt-4o-mini").reply("ok", 10_000, 0);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static MutableClock clock() {
    return new MutableClock(Instant.parse("2026-03-02T10:00:00Z"));
  }

  private static GatewayHarness gateway(String name, Config.Guard guard, MutableClock clock, String redis)
      throws Exception {
    return new GatewayHarness(sim, Files.createDirectories(dir.resolve(name)), AUTH, c -> new Config(c.server(),
        c.store(), redis == null ? c.redis() : new Config.Redis(redis), c.providers(), c.models(), c.prices(), c.auth(),
        c.retry(), guard, c.log(), c.cache(), c.policies()), clock);
  }

  private static Config.Guard guard(Config.Caps tenant, Map<String, Config.Caps> patterns, Config.Anomaly anomaly) {
    return new Config.Guard(tenant, Config.Caps.NONE, Map.of(), patterns, anomaly);
  }

  private static Config.Caps hourly(String usd) {
    return new Config.Caps(new BigDecimal(usd), null);
  }

  /** An OpenAI call with {@code key}, tagged when {@code tag} is given; waits until its spend is counted. */
  private static HttpResponse<String> chat(GatewayHarness h, String key, String body, String tag) throws Exception {
    HttpResponse<String> r = tag == null
        ? h.post("/v1/chat/completions", body, "authorization", "Bearer " + key)
        : h.post("/v1/chat/completions", body, "authorization", "Bearer " + key, "x-tokenwise-tag", tag);
    // the spend is counted just before the log row is queued, so the row means it is counted
    h.row(r.headers().firstValue("x-tokenwise-request-id").orElseThrow());
    return r;
  }

  private static JsonNode json(String text) {
    return Json.tryParse(text.getBytes(StandardCharsets.UTF_8));
  }

  private static JsonNode get(GatewayHarness h, String path) throws Exception {
    HttpResponse<String> r = h.http.send(HttpRequest.newBuilder(URI.create(h.anthropicBase() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    return json(r.body());
  }

  private static String metrics(GatewayHarness h) throws Exception {
    return h.http.send(HttpRequest.newBuilder(URI.create(h.anthropicBase() + "/metrics")).GET().build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  /** The newest alert, once the writer has kept it. */
  private static JsonNode newestAlert(GatewayHarness h) throws Exception {
    h.gateway.alerts().flush(Duration.ofSeconds(5));
    JsonNode data = get(h, "/tokenwise/api/alerts").path("data");
    assertFalse(data.isEmpty(), "no alert kept");
    return data.get(0);
  }

  /** Calls of a tenant the guard refused, from the log. */
  private static long refusals(GatewayHarness h, String tenant) {
    return h.gateway.store().recent(500).stream().filter(r -> tenant.equals(r.tenant()) && r.status() == 429).count();
  }

  /**
   * The refusals of a tenant once the log holds at least {@code expected} of them (a client can hold its
   * answer a moment before the gateway hands the row to the log writer), then flushed once more so that
   * rows beyond the expected ones would be counted too.
   */
  private static long refusalsOnceLogged(GatewayHarness h, String tenant, long expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (refusals(h, tenant) < expected && System.nanoTime() < deadline) {
      h.gateway.writer().flush(Duration.ofSeconds(5));
      Thread.sleep(10);
    }
    h.gateway.writer().flush(Duration.ofSeconds(5));
    return refusals(h, tenant);
  }

  private static String key() {
    return "sk-guard-" + UUID.randomUUID();
  }

  @Test
  void a_tenant_over_its_hourly_cap_is_refused_in_both_dialects_until_the_hour_moves_on() throws Exception {
    MutableClock clock = clock();
    try (GatewayHarness h = gateway("tenant", guard(hourly("5"), Map.of(), null), clock, null)) {
      String spender = key();
      assertEquals(200, chat(h, spender, TWO_FIFTY, null).statusCode());
      HttpResponse<String> second = chat(h, spender, TWO_FIFTY, null);
      assertEquals("2.5", second.headers().firstValue("x-tokenwise-cost-usd").orElseThrow());
      int calls = sim.calls().size();

      HttpResponse<String> refused = chat(h, spender, TWO_FIFTY, null);
      assertEquals(429, refused.statusCode(), refused.body());
      assertEquals(calls, sim.calls().size(), "nothing went to the provider");
      JsonNode error = json(refused.body()).path("error");
      assertEquals("tokenwise_spend_guard", error.path("type").asText());
      assertEquals("spend_guard", error.path("code").asText());
      String tenant = h.row(second.headers().firstValue("x-tokenwise-request-id").orElseThrow()).tenant();
      assertEquals("tenant " + tenant + " spent 5 USD in the last hour; guard.tenant.usd_per_hour is 5, so its calls"
          + " are refused for about 60 minutes", error.path("message").asText());
      assertEquals("3600", refused.headers().firstValue("retry-after").orElseThrow());
      assertEquals("false", refused.headers().firstValue("x-should-retry").orElseThrow());
      assertEquals("0.0", refused.headers().firstValue("x-tokenwise-cost-usd").orElseThrow());
      assertEquals("0", refused.headers().firstValue("x-tokenwise-attempts").orElseThrow());
      RequestRecord row = h.row(refused.headers().firstValue("x-tokenwise-request-id").orElseThrow());
      assertEquals(429, row.status());
      assertEquals(0L, row.costPicoUsd());
      assertEquals(error.path("message").asText(), row.error());

      HttpResponse<String> anthropic = h.post("/v1/messages", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":20,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "x-api-key", spender, "anthropic-version",
          "2023-06-01");
      assertEquals(429, anthropic.statusCode(), anthropic.body());
      JsonNode body = json(anthropic.body());
      assertEquals("error", body.path("type").asText());
      assertEquals("tokenwise_spend_guard", body.path("error").path("type").asText());
      assertEquals(error.path("message").asText(), body.path("error").path("message").asText());
      assertEquals(anthropic.headers().firstValue("x-tokenwise-request-id").orElseThrow(),
          body.path("request_id").asText());

      assertEquals(200, chat(h, key(), TWO_FIFTY, null).statusCode(), "another tenant keeps working");

      long before = refusals(h, tenant);
      com.openai.client.OpenAIClient sdk = com.openai.client.okhttp.OpenAIOkHttpClient.builder()
          .baseUrl(h.openAiBase()).apiKey(spender).build();
      try {
        com.openai.errors.RateLimitException e = org.junit.jupiter.api.Assertions.assertThrows(
            com.openai.errors.RateLimitException.class, () -> sdk.chat().completions().create(
                com.openai.models.chat.completions.ChatCompletionCreateParams.builder().model("gpt-4o")
                    .addUserMessage("Hi").build()));
        assertTrue(e.getMessage().contains("guard.tenant.usd_per_hour is 5"), e.getMessage());
      } finally {
        sdk.close();
      }
      assertEquals(before + 1, refusalsOnceLogged(h, tenant, before + 1),
          "the SDK, which retries a 429 twice, did not retry this one");

      JsonNode alert = newestAlert(h);
      assertEquals("tenant_cap", alert.path("kind").asText());
      assertEquals(tenant, alert.path("scope").asText());
      assertEquals("1h", alert.path("period").asText());
      assertEquals(0, new BigDecimal("5").compareTo(new BigDecimal(alert.path("figure_usd").asText())));
      assertTrue(alert.path("tripped").asBoolean(), alert.toString());
      String m = metrics(h);
      assertTrue(m.contains("tokenwise_guard_refused_total{kind=\"tenant_cap\"} 3\n"), m);
      assertTrue(m.contains("tokenwise_guard_trips_total{kind=\"tenant_cap\"} 1\n"), m);

      clock.advance(Duration.ofMinutes(59).plusSeconds(59));
      assertEquals(429, chat(h, spender, TWO_FIFTY, null).statusCode());
      clock.advance(Duration.ofSeconds(1));
      assertEquals(200, chat(h, spender, TWO_FIFTY, null).statusCode(), "the hour has moved on");
      JsonNode cleared = newestAlert(h);
      assertEquals(alert.path("id").asText(), cleared.path("id").asText(), "one alert for the whole trip");
      assertEquals("window", cleared.path("cleared_by").asText());
      assertEquals("2026-03-02T11:00:00Z", cleared.path("cleared_at").asText());
    }
  }

  @Test
  void a_pattern_cap_refuses_the_pattern_for_every_tenant_and_clears() throws Exception {
    MutableClock clock = clock();
    try (GatewayHarness h = gateway("pattern", guard(Config.Caps.NONE, Map.of("bulk", hourly("4")), null), clock,
        null)) {
      chat(h, key(), TWO_FIFTY, "bulk");
      chat(h, key(), TWO_FIFTY, "bulk");

      String other = key();
      HttpResponse<String> refused = chat(h, other, TWO_FIFTY, "bulk");
      assertEquals(429, refused.statusCode(), refused.body());
      assertEquals("pattern bulk spent 5 USD in the last hour; guard.patterns.bulk.usd_per_hour is 4, so its calls are"
          + " refused for about 60 minutes", json(refused.body()).path("error").path("message").asText());
      assertEquals("bulk", refused.headers().firstValue("x-tokenwise-pattern").orElseThrow());
      assertEquals(200, chat(h, other, TWO_FIFTY, "chat").statusCode(), "another pattern keeps working");

      JsonNode alert = newestAlert(h);
      assertEquals("pattern_cap", alert.path("kind").asText());
      assertEquals("bulk", alert.path("scope").asText());

      clock.advance(Duration.ofHours(1));
      assertEquals(200, chat(h, other, TWO_FIFTY, "bulk").statusCode());
      assertEquals("window", newestAlert(h).path("cleared_by").asText());
    }
  }

  @Test
  void the_anomaly_guard_trips_on_a_burst_after_a_steady_baseline_and_clears() throws Exception {
    MutableClock clock = clock();
    Config.Anomaly anomaly = new Config.Anomaly(BigDecimal.valueOf(5), Duration.ofMinutes(5), Duration.ofHours(24),
        new BigDecimal("0.50"));
    try (GatewayHarness h = gateway("anomaly", guard(Config.Caps.NONE, Map.of(), anomaly), clock, null)) {
      String app = key();
      for (int minute = 0; minute < 70; minute++) {
        assertEquals(200, chat(h, app, CHEAP, "summarise").statusCode(), "minute " + minute);
        clock.advance(Duration.ofMinutes(1));
      }
      assertEquals(200, chat(h, app, TWO_FIFTY, "summarise").statusCode(), "the burst's first call goes through");

      HttpResponse<String> refused = chat(h, key(), CHEAP, "summarise");
      assertEquals(429, refused.statusCode(), refused.body());
      String message = json(refused.body()).path("error").path("message").asText();
      assertTrue(message.startsWith("pattern summarise spent 2.506 USD in the last 5 minutes (30.072 USD an hour),"
          + " more than 5 times its rate over the 1 h 6 min before (0.09 USD an hour); guard.anomaly.factor is 5"),
          message);
      assertEquals("300", refused.headers().firstValue("retry-after").orElseThrow());
      assertEquals(200, chat(h, app, CHEAP, "translate").statusCode(), "another pattern keeps working");
      JsonNode alert = newestAlert(h);
      assertEquals("anomaly", alert.path("kind").asText());
      assertEquals("5m", alert.path("period").asText());
      assertEquals("summarise", alert.path("scope").asText());

      clock.advance(Duration.ofMinutes(5));
      assertEquals(200, chat(h, app, CHEAP, "summarise").statusCode(), "the window moved past the burst");
      JsonNode cleared = newestAlert(h);
      assertEquals(alert.path("id").asText(), cleared.path("id").asText());
      assertEquals("window", cleared.path("cleared_by").asText());
      assertTrue(metrics(h).contains("tokenwise_guard_trips_total{kind=\"anomaly\"} 1\n"));
    }
  }

  @Test
  void an_administrator_clears_a_tripped_cap_early() throws Exception {
    MutableClock clock = clock();
    try (GatewayHarness h = gateway("admin", guard(hourly("2"), Map.of(), null), clock, null)) {
      String spender = key();
      HttpResponse<String> first = chat(h, spender, TWO_FIFTY, null);
      assertEquals(429, chat(h, spender, TWO_FIFTY, null).statusCode());
      String tenant = h.row(first.headers().firstValue("x-tokenwise-request-id").orElseThrow()).tenant();
      assertTrue(get(h, "/tokenwise/api/guard").path("tripped").get(0).path("message").asText()
          .startsWith("tenant " + tenant + " spent 2.5 USD"));

      HttpResponse<String> cleared = h.http.send(HttpRequest.newBuilder(URI.create(h.anthropicBase()
          + "/tokenwise/api/guard?tenant=" + tenant)).DELETE().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, cleared.statusCode(), cleared.body());
      assertEquals("tenant_cap", json(cleared.body()).path("cleared").get(0).path("kind").asText());
      clock.advance(Duration.ofMinutes(1));
      assertEquals(200, chat(h, spender, TWO_FIFTY, null).statusCode(), "cleared within the hour");
      assertEquals("admin", newestAlert(h).path("cleared_by").asText());
      assertEquals(429, chat(h, spender, TWO_FIFTY, null).statusCode(), "new spend counts again");

      HttpResponse<String> neither = h.http.send(HttpRequest.newBuilder(URI.create(h.anthropicBase()
          + "/tokenwise/api/guard")).DELETE().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(400, neither.statusCode());
    }
  }

  @Test
  void two_instances_on_one_redis_share_a_tenant_cap() throws Exception {
    String url = System.getenv("TOKENWISE_TEST_REDIS_URL");
    if (url == null || url.isBlank()) {
      fail("TOKENWISE_TEST_REDIS_URL is not set, so there is no Redis to test against. Start one with\n"
          + "  eval \"$(bash .ci/services.sh redis)\"");
    }
    MutableClock clock = clock();
    Config.Guard cap = guard(hourly("5"), Map.of(), null);
    try (GatewayHarness a = gateway("redis-a", cap, clock, url);
        GatewayHarness b = gateway("redis-b", cap, clock, url)) {
      String spender = key();
      assertEquals(200, chat(a, spender, TWO_FIFTY, null).statusCode());
      assertEquals(200, chat(a, spender, TWO_FIFTY, null).statusCode());

      HttpResponse<String> refused = chat(b, spender, TWO_FIFTY, null);
      assertEquals(429, refused.statusCode(), "b counts what a spent: " + refused.body());
      assertTrue(json(refused.body()).path("error").path("message").asText().contains("spent 5 USD in the last hour"));
      assertEquals(429, chat(a, spender, TWO_FIFTY, null).statusCode());
      assertEquals(200, chat(b, key(), TWO_FIFTY, null).statusCode(), "another tenant keeps working");
      JsonNode alert = newestAlert(b);
      assertNotNull(alert);
      assertEquals(0, get(a, "/tokenwise/api/alerts").path("data").size(), "the trip is alerted once, by b");

      clock.advance(Duration.ofHours(1));
      assertEquals(200, chat(a, spender, TWO_FIFTY, null).statusCode());
      assertEquals(0, get(a, "/tokenwise/api/guard").path("backend_failures").asLong());
    }
  }
}
