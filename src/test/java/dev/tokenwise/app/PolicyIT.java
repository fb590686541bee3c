package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.config.Config;
import dev.tokenwise.analytics.Cost;
import dev.tokenwise.core.Json;
import dev.tokenwise.store.RequestRecord;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A policy's model swap: the call runs on the cheaper model and the saving shows against the baseline. */
class PolicyIT {
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);
  @TempDir static Path dir;
  static GatewayHarness h;

  @BeforeAll
  static void start() {
    h = new GatewayHarness(dir, Map.of(), new Config.Auth("test-salt", Map.of(), false, null), List.of(
        Map.of("match", Map.of("tag", "classify-ticket"), "route", Map.of("model", "gpt-4o-mini")),
        Map.of("match", Map.of("tag", "summarise"), "route", Map.of("model", "claude-haiku-4-5"))));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  private static HttpResponse<String> ask(String tag) throws Exception {
    return h.post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\","
        + "\"content\":\"Ticket: my parcel is late\"}]}", "authorization", "Bearer sk-test",
        "content-type", "application/json", "x-tokenwise-tag", tag);
  }

  private static BigDecimal usd(HttpResponse<String> res, String header) {
    return new BigDecimal(res.headers().firstValue(header).orElseThrow());
  }

  @Test
  void a_swapped_call_costs_the_cheaper_model_and_its_baseline_the_model_asked_for() throws Exception {
    HttpResponse<String> res = ask("classify-ticket");
    assertEquals(200, res.statusCode(), res.body());
    assertEquals("gpt-4o-mini", Json.tryParse(h.sim.calls().get(h.sim.calls().size() - 1).body().getBytes())
        .path("model").asText(), "the provider got the cheaper model");
    RequestRecord row = h.row(res.headers().firstValue("x-tokenwise-request-id").orElseThrow());
    BigDecimal in = BigDecimal.valueOf(row.inputTokens());
    BigDecimal out = BigDecimal.valueOf(row.outputTokens());
    // gpt-4o-mini $0.15 / $0.60 per 1M; gpt-4o $2.50 / $10.00 per 1M, on the same tokens
    BigDecimal cost = new BigDecimal("0.15").multiply(in).add(new BigDecimal("0.60").multiply(out)).divide(MILLION);
    BigDecimal baseline = new BigDecimal("2.50").multiply(in).add(new BigDecimal("10.00").multiply(out))
        .divide(MILLION);
    assertEquals(0, cost.compareTo(usd(res, "x-tokenwise-cost-usd")));
    assertEquals(0, baseline.compareTo(usd(res, "x-tokenwise-baseline-usd")));
    assertEquals(0, baseline.compareTo(BigDecimal.valueOf(row.baselinePicoUsd(), 12)));
    assertTrue(res.headers().firstValue("x-tokenwise-trace").orElseThrow().contains("gpt-4o -> gpt-4o-mini"));

    var api = h.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.anthropicBase()
        + "/tokenwise/api/requests/" + row.id())).build(), HttpResponse.BodyHandlers.ofString());
    var json = Json.tryParse(api.body().getBytes());
    assertEquals(0, baseline.subtract(cost).compareTo(new BigDecimal(json.path("saved_usd").asText())));
    assertTrue(json.path("trace").toString().contains("policies[0]"), json.toString());
    assertTrue(json.path("trace").toString().contains("savings: route " + Cost.usd(
        baseline.subtract(cost).movePointRight(12).longValueExact()) + " USD"), json.toString());
  }

  @Test
  void a_policy_may_move_a_call_to_another_provider_and_format() throws Exception {
    HttpResponse<String> res = ask("summarise");
    assertEquals(200, res.statusCode(), res.body());
    assertEquals("anthropic", res.headers().firstValue("x-tokenwise-provider").orElseThrow());
    assertEquals("/v1/messages", h.sim.calls().get(h.sim.calls().size() - 1).path());
    assertEquals("chat.completion", Json.tryParse(res.body().getBytes()).path("object").asText(),
        "the client still gets its own format");
    assertTrue(usd(res, "x-tokenwise-baseline-usd").compareTo(usd(res, "x-tokenwise-cost-usd")) > 0);
  }

  @Test
  void a_call_no_policy_matches_is_left_alone() throws Exception {
    HttpResponse<String> res = ask("something-else");
    assertEquals("gpt-4o", Json.tryParse(h.sim.calls().get(h.sim.calls().size() - 1).body().getBytes())
        .path("model").asText());
    assertEquals(usd(res, "x-tokenwise-cost-usd"), usd(res, "x-tokenwise-baseline-usd"));
  }
}
