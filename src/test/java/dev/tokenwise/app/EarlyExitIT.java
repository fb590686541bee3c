package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.config.Config;
import dev.tokenwise.core.Json;
import dev.tokenwise.store.RequestRecord;
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

/**
 * {@code early_exit: json} through the gateway: the client gets the JSON and a finished stream (or, without a
 * stream, one whole answer), the provider a hang-up.
 */
class EarlyExitIT {
  private static final String JSON = "{\"label\":\"late\"}";
  private static final String RUNAWAY = JSON + " and then a long rambling explanation of why the parcel is late,"
      + " which nobody asked for and which goes on".repeat(30);

  /** How many complete answers of a pattern the gateway waits for before it exits early. */
  private static final int CALIBRATION_CALLS = 3;

  @TempDir static Path dir;
  static GatewayHarness h;

  @BeforeAll
  static void start() {
    h = new GatewayHarness(dir, Map.of(), new Config.Auth("test-salt", Map.of(), false, null),
        List.of(Map.of("match", Map.of("tag", "extract"), "early_exit", "json")));
    // complete answers of the pattern first: later exits are priced against their length
    h.sim.on("gpt-4o-mini").reply(RUNAWAY).times(CALIBRATION_CALLS);
    for (int i = 0; i < CALIBRATION_CALLS; i++) {
      try {
        h.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\","
            + "\"content\":\"Classify: parcel late\"}]}", "authorization", "Bearer sk-test",
            "content-type", "application/json", "x-tokenwise-tag", "extract");
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    h.sim.reset();
  }


  @AfterAll
  static void stop() {
    h.close();
  }

  /** The text of the data lines' deltas, in either dialect. */
  private static String text(String sse) {
    StringBuilder sb = new StringBuilder();
    for (String line : sse.split("\n")) {
      if (line.startsWith("data: {")) {
        JsonNode n = Json.tryParse(line.substring(6).getBytes(StandardCharsets.UTF_8));
        sb.append(n.path("choices").path(0).path("delta").path("content").asText(""));
        sb.append(n.path("delta").path("text").asText(""));
      }
    }
    return sb.toString();
  }

  private static void assertStoppedEarly(int call, String id) {
    var upstream = h.sim.awaitCall(call, Duration.ofSeconds(5));
    assertTrue(upstream.cancelled(), "the provider saw the gateway hang up: " + upstream.state());
    RequestRecord row = h.row(id);
    assertEquals(200, row.status(), row.toString());
    assertTrue(row.usageEstimated(), row.toString());
    assertTrue(row.inputTokens() > 0 && row.outputTokens() > 0 && row.outputTokens() < 20, row.toString());
    assertTrue(row.costPicoUsd() != null && row.costPicoUsd() > 0, row.toString());
    assertTrue(row.trace().contains("early_exit: stopped after the JSON value, ~" + row.outputTokens()
        + " output tokens relayed"), row.trace());
    assertTrue(row.baselinePicoUsd() > row.costPicoUsd(), "the rest of a complete answer is the saving: " + row);
    assertTrue(row.trace().contains("savings: early_exit ~"), row.trace());
  }

  @Test
  void an_openai_stream_ends_after_the_json_with_finish_usage_and_done() throws Exception {
    h.sim.on("gpt-4o-mini").reply(RUNAWAY).streamDelay(Duration.ofMillis(20));
    int call = h.sim.calls().size();
    HttpResponse<String> res = h.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\",\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Classify: parcel late\"}]}",
        "authorization", "Bearer sk-test", "content-type", "application/json", "x-tokenwise-tag", "extract");
    assertEquals(200, res.statusCode(), res.body());
    String body = res.body();
    assertEquals(JSON, text(body));
    assertTrue(body.endsWith("data: [DONE]\n\n"), body);
    assertTrue(body.contains("\"finish_reason\":\"stop\""), body);
    assertTrue(body.contains("\"choices\":[],\"usage\":{\"prompt_tokens\":"), body);
    assertTrue(body.contains(": x-tokenwise-cost-usd="), body);
    assertFalse(body.contains("rambling"), body);
    assertTrue(res.headers().firstValue("x-tokenwise-trace").orElseThrow().contains("early_exit: json"));
    assertStoppedEarly(call, res.headers().firstValue("x-tokenwise-request-id").orElseThrow());
  }

  @Test
  void an_anthropic_stream_ends_after_the_json_with_block_stop_message_delta_and_message_stop() throws Exception {
    h.sim.on("claude-haiku-4-5").reply(RUNAWAY).streamDelay(Duration.ofMillis(20));
    int call = h.sim.calls().size();
    HttpResponse<String> res = h.post("/v1/messages", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":500,"
        + "\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Classify: parcel late\"}]}",
        "x-api-key", "sk-ant", "anthropic-version", "2023-06-01", "content-type", "application/json",
        "x-tokenwise-tag", "extract");
    assertEquals(200, res.statusCode(), res.body());
    String body = res.body();
    assertEquals(JSON, text(body));
    assertTrue(body.contains("event: content_block_stop\n"), body);
    assertTrue(body.contains("\"stop_reason\":\"end_turn\""), body);
    assertTrue(body.endsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"), body);
    assertFalse(body.contains("rambling"), body);
    assertStoppedEarly(call, res.headers().firstValue("x-tokenwise-request-id").orElseThrow());
  }

  @Test
  void an_openai_call_without_a_stream_is_answered_whole_with_just_the_json() throws Exception {
    h.sim.on("gpt-4o-mini").reply(RUNAWAY).streamDelay(Duration.ofMillis(20));
    int call = h.sim.calls().size();
    HttpResponse<String> res = h.post("/v1/chat/completions", "{\"model\":\"gpt-4o-mini\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Classify: parcel late\"}]}",
        "authorization", "Bearer sk-test", "content-type", "application/json", "x-tokenwise-tag", "extract");
    assertEquals(200, res.statusCode(), res.body());
    assertTrue(res.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
    JsonNode answer = Json.tryParse(res.body().getBytes(StandardCharsets.UTF_8));
    assertEquals("chat.completion", answer.path("object").asText(), res.body());
    JsonNode choice = answer.path("choices").path(0);
    assertEquals(JSON, choice.path("message").path("content").asText(), res.body());
    assertEquals("assistant", choice.path("message").path("role").asText());
    assertEquals("stop", choice.path("finish_reason").asText());
    assertTrue(answer.path("usage").path("prompt_tokens").asLong() > 0, res.body());
    assertTrue(answer.path("usage").path("completion_tokens").asLong() > 0, res.body());
    assertTrue(res.headers().firstValue("x-tokenwise-baseline-usd").isPresent());
    assertTrue(res.headers().firstValue("x-tokenwise-trace").orElseThrow().contains("early_exit: json"));
    assertStoppedEarly(call, res.headers().firstValue("x-tokenwise-request-id").orElseThrow());
  }

  @Test
  void an_anthropic_call_without_a_stream_is_answered_whole_with_just_the_json() throws Exception {
    h.sim.on("claude-haiku-4-5").reply(RUNAWAY).streamDelay(Duration.ofMillis(20));
    int call = h.sim.calls().size();
    HttpResponse<String> res = h.post("/v1/messages", "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":500,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Classify: parcel late\"}]}",
        "x-api-key", "sk-ant", "anthropic-version", "2023-06-01", "content-type", "application/json",
        "x-tokenwise-tag", "extract");
    assertEquals(200, res.statusCode(), res.body());
    assertTrue(res.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
    JsonNode answer = Json.tryParse(res.body().getBytes(StandardCharsets.UTF_8));
    assertEquals("message", answer.path("type").asText(), res.body());
    assertEquals("text", answer.path("content").path(0).path("type").asText(), res.body());
    assertEquals(JSON, answer.path("content").path(0).path("text").asText(), res.body());
    assertEquals("end_turn", answer.path("stop_reason").asText());
    assertTrue(answer.path("usage").path("input_tokens").asLong() > 0, res.body());
    assertTrue(answer.path("usage").path("output_tokens").asLong() > 0, res.body());
    assertStoppedEarly(call, res.headers().firstValue("x-tokenwise-request-id").orElseThrow());
  }
}
