package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.config.Config;
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

/** The request-rewriting tactics through the gateway: the provider sees the change, the log the saving. */
class TacticsIT {
  @TempDir static Path dir;
  static GatewayHarness h;

  @BeforeAll
  static void start() {
    h = new GatewayHarness(dir, Map.of(), new Config.Auth("test-salt", Map.of(), false, null), List.of(
        Map.of("match", Map.of("tag", "capped"), "max_tokens", Map.of("cap", 50)),
        Map.of("match", Map.of("tag", "chat"), "context", Map.of("keep_last_turns", 1)),
        Map.of("match", Map.of("tag", "manual"), "prompt_cache", "auto"),
        Map.of("match", Map.of("tag", "long-chat"), "context",
            Map.of("keep_last_turns", 1, "summarize_with", "gpt-4o-mini", "summarize_every", 2))));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  private static JsonNode sent() {
    return Json.tryParse(h.sim.calls().get(h.sim.calls().size() - 1).body().getBytes());
  }

  private static BigDecimal usd(HttpResponse<String> res, String header) {
    return new BigDecimal(res.headers().firstValue(header).orElseThrow());
  }

  @Test
  void the_cap_lowers_what_the_provider_is_allowed_to_generate() throws Exception {
    HttpResponse<String> res = h.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"max_tokens\":4096,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Classify: parcel late\"}]}", "authorization",
        "Bearer sk-test", "content-type", "application/json", "x-tokenwise-tag", "capped");
    assertEquals(200, res.statusCode(), res.body());
    assertEquals(50, sent().path("max_tokens").asInt());
    assertTrue(res.headers().firstValue("x-tokenwise-trace").orElseThrow().contains("4096 -> 50"));
  }

  @Test
  void trimming_sends_the_last_turns_and_the_baseline_counts_the_dropped_ones() throws Exception {
    String history = "{\"role\":\"user\",\"content\":\"" + "Tell me about the old order. ".repeat(40) + "\"},"
        + "{\"role\":\"assistant\",\"content\":\"" + "It was shipped late. ".repeat(40) + "\"},";
    HttpResponse<String> res = h.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":["
        + "{\"role\":\"system\",\"content\":\"You are a support agent.\"}," + history
        + "{\"role\":\"user\",\"content\":\"And the new one?\"}]}", "authorization", "Bearer sk-test",
        "content-type", "application/json", "x-tokenwise-tag", "chat");
    assertEquals(200, res.statusCode(), res.body());
    JsonNode messages = sent().path("messages");
    assertEquals(2, messages.size(), "the system prompt and the last turn");
    assertEquals("system", messages.get(0).path("role").asText());
    assertEquals("And the new one?", messages.get(1).path("content").asText());
    assertTrue(usd(res, "x-tokenwise-baseline-usd").compareTo(usd(res, "x-tokenwise-cost-usd")) > 0,
        "the dropped turns would have cost input tokens");
    assertTrue(res.headers().firstValue("x-tokenwise-trace").orElseThrow().contains("savings: context ~"));
  }

  @Test
  void prompt_caching_marks_a_long_stable_prefix_of_a_frequent_pattern_and_saves_on_reads() throws Exception {
    String system = "You answer questions about the product manual below.\\n" + "The device has a power button, "
        + "a reset switch and three status lights that blink in different patterns. ".repeat(120);
    HttpResponse<String> last = null;
    for (int i = 0; i < 4; i++) {
      last = h.post("/v1/messages", "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":100,\"system\":\"" + system
          + "\",\"messages\":[{\"role\":\"user\",\"content\":\"Question " + i + ": what does a blinking light mean?\"}]}",
          "x-api-key", "sk-ant", "anthropic-version", "2023-06-01", "content-type", "application/json",
          "x-tokenwise-tag", "manual");
      assertEquals(200, last.statusCode(), last.body());
    }
    JsonNode body = sent();
    assertEquals("ephemeral", body.at("/system/0/cache_control/type").asText(), body.path("system").toString());
    RequestRecord row = h.row(last.headers().firstValue("x-tokenwise-request-id").orElseThrow());
    assertTrue(row.cachedInputTokens() > 0, "the fourth call read the prefix the third one wrote");
    assertTrue(usd(last, "x-tokenwise-baseline-usd").compareTo(usd(last, "x-tokenwise-cost-usd")) > 0);
    assertFalse(row.trace() == null || !row.trace().contains("prompt_cache"), String.valueOf(row.trace()));
    assertTrue(row.trace().contains("savings: prompt_cache "), row.trace());

    var report = h.http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.anthropicBase()
        + "/tokenwise/api/tactics")).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode manual = Json.tryParse(report.body().getBytes()).at("/patterns/manual/prompt_cache");
    assertEquals(4, manual.path("calls").asInt(), report.body());
    assertTrue(manual.path("cached_tokens").asLong() > 0, report.body());
  }

  @Test
  void older_turns_are_replaced_by_a_summary_from_the_cheap_model_and_its_cost_is_counted() throws Exception {
    h.sim.on("gpt-4o-mini").reply("The customer ordered a lamp in May; it arrived broken.").times(1);
    StringBuilder turns = new StringBuilder();
    for (int i = 1; i <= 4; i++) {
      turns.append("{\"role\":\"user\",\"content\":\"Question ").append(i).append(" about my order\"},")
          .append("{\"role\":\"assistant\",\"content\":\"Answer ").append(i).append(" about the order\"},");
    }
    int before = h.sim.calls().size();
    HttpResponse<String> res = h.post("/v1/chat/completions", "{\"model\":\"gpt-4o\",\"messages\":["
        + "{\"role\":\"system\",\"content\":\"You are a support agent.\"}," + turns
        + "{\"role\":\"user\",\"content\":\"So what now?\"}]}", "authorization", "Bearer sk-test",
        "content-type", "application/json", "x-tokenwise-tag", "long-chat");
    assertEquals(200, res.statusCode(), res.body());
    assertEquals(before + 2, h.sim.calls().size(), "one call for the summary, one for the answer");
    JsonNode summaryCall = Json.tryParse(h.sim.calls().get(before).body().getBytes());
    assertEquals("gpt-4o-mini", summaryCall.path("model").asText());
    JsonNode messages = sent().path("messages");
    assertTrue(messages.toString().contains("Summary of the earlier conversation: The customer ordered a lamp"),
        messages.toString());
    assertEquals("So what now?", messages.get(messages.size() - 1).path("content").asText());
    String trace = res.headers().firstValue("x-tokenwise-trace").orElseThrow();
    assertTrue(trace.contains("summarised") && trace.contains("savings: context"), trace);
  }
}
