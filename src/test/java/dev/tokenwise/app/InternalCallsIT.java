package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.config.Config;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.server.InternalCalls;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gateway's calls of itself: the same dispatch as a client's, but no policy, no log row, no guard. */
class InternalCallsIT {
  @TempDir static Path dir;
  static GatewayHarness h;

  @BeforeAll
  static void start() {
    h = new GatewayHarness(dir, Map.of(), new Config.Auth("test-salt", Map.of(), false, null), List.of(
        Map.of("match", Map.of("tag", "classify"), "route", Map.of("model", "gpt-4o-mini"),
            "cache", Map.of("exact", true, "ttl", "1h"))));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  private static final String BODY = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Ticket: the"
      + " parcel is late\"}]}";

  @Test
  void an_internal_call_runs_on_the_model_it_names_and_leaves_no_row() throws Exception {
    h.gateway.writer().flush(Duration.ofSeconds(5));
    long before = h.gateway.store().count();
    int simCalls = h.sim.calls().size();
    InternalCalls.Reply r = h.gateway.internalCalls().chat(Dialect.OPENAI, "openai",
        BODY.getBytes(StandardCharsets.UTF_8), Map.of("authorization", "Bearer sk-test", "x-tokenwise-tag", "classify"),
        Duration.ofSeconds(10));
    assertEquals(200, r.status(), new String(r.body(), StandardCharsets.UTF_8));
    assertNull(r.error());
    assertEquals("gpt-4o", Json.tryParse(h.sim.calls().get(h.sim.calls().size() - 1).body().getBytes())
        .path("model").asText(), "the policy's route does not apply to the gateway's own call");
    assertTrue(r.costPicoUsd() > 0, "the cost comes back: " + r.costPicoUsd());
    assertEquals("openai", r.provider());
    // asked again: the policy's exact cache does not answer it either
    InternalCalls.Reply again = h.gateway.internalCalls().chat(Dialect.OPENAI, "openai",
        BODY.getBytes(StandardCharsets.UTF_8), Map.of("authorization", "Bearer sk-test", "x-tokenwise-tag", "classify"),
        Duration.ofSeconds(10));
    assertEquals(200, again.status());
    assertEquals(simCalls + 2, h.sim.calls().size(), "both went to the provider");
    h.gateway.writer().flush(Duration.ofSeconds(5));
    assertEquals(before, h.gateway.store().count(), "no row in the request log");
  }

  @Test
  void an_anthropic_body_is_translated_for_an_openai_model() throws Exception {
    String body = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":100,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    InternalCalls.Reply r = h.gateway.internalCalls().chat(Dialect.ANTHROPIC, "openai",
        body.getBytes(StandardCharsets.UTF_8), Map.of("x-api-key", "sk-test"), Duration.ofSeconds(10));
    assertEquals(200, r.status(), new String(r.body(), StandardCharsets.UTF_8));
    assertEquals("message", Json.tryParse(r.body()).path("type").asText(), "the answer is in the caller's dialect");
  }

  @Test
  void a_forged_token_makes_an_ordinary_call() throws Exception {
    HttpResponse<String> res = h.post("/v1/chat/completions", BODY, "authorization", "Bearer sk-test",
        "content-type", "application/json", "x-tokenwise-tag", "classify", "x-tokenwise-internal", "guess");
    assertEquals(200, res.statusCode(), res.body());
    assertNotEquals(null, h.row(res.headers().firstValue("x-tokenwise-request-id").orElseThrow()),
        "logged as any call");
    assertEquals("gpt-4o-mini", res.headers().firstValue("x-tokenwise-model").orElseThrow()
        .replaceFirst("-\\d{4}-\\d{2}-\\d{2}$", ""), "the policy applied");
  }
}
