package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.config.Config;
import dev.tokenwise.core.Json;
import dev.tokenwise.provider.sim.Simulator;
import dev.tokenwise.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The circuit breakers through the gateway: a model that keeps failing is skipped without an upstream
 * call until its cool-down has passed (on the gateway's clock, which the test moves), then one probe
 * call decides. Breakers open after 2 consecutive failures here, and stay open 30 s.
 */
class BreakerIT {
  @TempDir static Path dir;
  static Simulator sim;
  static GatewayHarness h;
  static final MutableClock clock = new MutableClock(Instant.parse("2026-11-02T10:00:00Z"));

  @BeforeAll
  static void start() {
    sim = Simulator.start(0);
    h = new GatewayHarness(sim, dir, Map.of("anthropic", "sk-ant-gateway"),
        List.of(Map.of("match", Map.of("tag", "guarded"), "fallback", List.of("anthropic/claude-haiku-4-5"))),
        c -> new Config(c.server(), c.store(), c.redis(), c.providers(), c.models(), c.prices(), c.auth(),
            new Config.Retry(2, Duration.ofSeconds(5), Duration.ofMillis(10), Duration.ofMillis(50),
                new Config.Retry.Breaker(2, 1.0, 20, Duration.ofSeconds(30))),
            c.guard(), c.log(), c.cache(), c.policies()),
        clock);
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

  private static HttpResponse<String> chat(String model, String tag) throws Exception {
    String body = "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"status?\"}]}";
    return tag == null ? h.post("/v1/chat/completions", body, "authorization", "Bearer sk-client", "content-type",
        "application/json")
        : h.post("/v1/chat/completions", body, "authorization", "Bearer sk-client", "content-type",
            "application/json", "x-tokenwise-tag", tag);
  }

  private static long callsOf(String model) {
    return sim.calls().stream().filter(c -> model.equals(c.json().path("model").asText())).count();
  }

  private static String header(HttpResponse<?> res, String name) {
    return res.headers().firstValue(name).orElse(null);
  }

  private static JsonNode circuit(String key) throws Exception {
    String body = h.http.send(HttpRequest.newBuilder(URI.create(h.anthropicBase() + "/tokenwise/api/providers"))
        .build(), HttpResponse.BodyHandlers.ofString()).body();
    return Json.tryParse(body.getBytes(StandardCharsets.UTF_8)).path("circuits").path(key);
  }

  private static String metrics() throws Exception {
    return h.http.send(HttpRequest.newBuilder(URI.create(h.anthropicBase() + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void an_open_circuit_is_skipped_without_an_upstream_call_and_a_probe_closes_it_after_the_cooldown()
      throws Exception {
    sim.on("gpt-4o").fail(503);
    for (int i = 0; i < 2; i++) {
      HttpResponse<String> res = chat("gpt-4o", "guarded");
      assertEquals("anthropic", header(res, "x-tokenwise-provider"), res.body());
    }
    assertEquals(2, callsOf("gpt-4o"));
    assertEquals("open", circuit("openai/gpt-4o").path("state").asText());
    assertTrue(metrics().contains("tokenwise_circuit_open{provider=\"openai\",model=\"gpt-4o\"} 1"), metrics());

    clock.advance(Duration.ofSeconds(12));
    HttpResponse<String> skipped = chat("gpt-4o", "guarded");
    assertEquals(200, skipped.statusCode());
    assertEquals("anthropic", header(skipped, "x-tokenwise-provider"));
    assertEquals(2, callsOf("gpt-4o"), "no upstream attempt while the circuit is open");
    assertEquals("1", header(skipped, "x-tokenwise-attempts"));
    assertTrue(header(skipped, "x-tokenwise-trace").contains("fallback: skipped openai/gpt-4o (circuit open, 18 s left)"),
        header(skipped, "x-tokenwise-trace"));

    sim.reset(); // the provider is back
    clock.advance(Duration.ofSeconds(18));
    HttpResponse<String> probe = chat("gpt-4o", "guarded");
    assertEquals("openai", header(probe, "x-tokenwise-provider"), "the cool-down is over: this call is the probe");
    assertEquals(1, callsOf("gpt-4o"), "one call since the reset: the probe");
    assertEquals("closed", circuit("openai/gpt-4o").path("state").asText());
    assertTrue(metrics().contains("tokenwise_circuit_open{provider=\"openai\",model=\"gpt-4o\"} 0"), metrics());
  }

  @Test
  void with_every_model_open_the_call_is_refused_at_once_and_a_failed_probe_opens_it_again() throws Exception {
    sim.on("gpt-4o-mini").fail(503);
    HttpResponse<String> first = chat("gpt-4o-mini", null);
    assertEquals(503, first.statusCode());
    assertEquals(2, callsOf("gpt-4o-mini"), "both attempts of the budget");

    HttpResponse<String> refused = chat("gpt-4o-mini", null);
    assertEquals(503, refused.statusCode());
    assertEquals(2, callsOf("gpt-4o-mini"), "no attempt at all");
    assertEquals("30", header(refused, "retry-after"));
    assertEquals("0", header(refused, "x-tokenwise-attempts"));
    String message = Json.tryParse(refused.body().getBytes(StandardCharsets.UTF_8)).path("error").path("message").asText();
    assertTrue(message.startsWith("tokenwise: no attempt was made: every model of the chain has its circuit open"
        + " (skipped openai/gpt-4o-mini (circuit open, 30 s left)); retry in 30 s"), message);

    clock.advance(Duration.ofSeconds(30));
    HttpResponse<String> probe = chat("gpt-4o-mini", null);
    assertEquals(503, probe.statusCode());
    assertEquals(3, callsOf("gpt-4o-mini"), "one probe, which failed");
    assertEquals("open", circuit("openai/gpt-4o-mini").path("state").asText());
    assertEquals(2, circuit("openai/gpt-4o-mini").path("opened").asInt());

    assertEquals(503, chat("gpt-4o-mini", null).statusCode());
    assertEquals(3, callsOf("gpt-4o-mini"), "open for another cool-down");
  }
}
