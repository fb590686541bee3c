package dev.tokenwise.provider.sim;

import dev.tokenwise.testing.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimAnthropicTest {
  private static MutableClock clock;
  private static Simulator sim;
  private static String url;

  @BeforeAll
  static void start() {
    clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
    sim = Simulator.start(0, clock);
    url = sim.baseUrl() + "/v1/messages";
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @BeforeEach
  void clean() {
    sim.reset();
  }

  private static HttpResponse<String> messages(String body) {
    return Http.post(url, body, Http.anthropic());
  }

  private static String ask(String model, String text, String extra) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":256,\"messages\":[{\"role\":\"user\",\"content\":\""
        + text + "\"}]" + extra + "}";
  }

  @Test
  void answers_a_message_in_the_documented_shape() {
    HttpResponse<String> r = messages(ask("claude-haiku-4-5", "Hello, Claude", ""));
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("request-id").orElseThrow().startsWith("req_"));
    JsonNode b = Http.json(r);
    assertTrue(b.get("id").asText().startsWith("msg_"));
    assertEquals("message", b.get("type").asText());
    assertEquals("assistant", b.get("role").asText());
    assertEquals("claude-haiku-4-5-20251001", b.get("model").asText(), "aliases answer with the pinned id");
    assertEquals("text", b.at("/content/0/type").asText());
    assertEquals("end_turn", b.get("stop_reason").asText());
    assertTrue(b.get("stop_sequence").isNull());
    JsonNode u = b.get("usage");
    assertEquals(Tokens.count("Hello, Claude"), u.get("input_tokens").asInt());
    assertEquals(0, u.get("cache_creation_input_tokens").asInt());
    assertEquals(0, u.get("cache_read_input_tokens").asInt());
    assertEquals(0, u.at("/cache_creation/ephemeral_5m_input_tokens").asInt());
    assertEquals(0, u.at("/cache_creation/ephemeral_1h_input_tokens").asInt());
    assertEquals(Tokens.count(b.at("/content/0/text").asText()), u.get("output_tokens").asInt());
    assertEquals("standard", u.get("service_tier").asText());
  }

  @Test
  void accepts_a_bearer_key_as_well_as_x_api_key() {
    HttpResponse<String> r = Http.post(url, ask("claude-sonnet-4-6", "hi", ""),
        "authorization", "Bearer sk-ant-oauth", "anthropic-version", "2026-10-21");
    assertEquals(200, r.statusCode());
  }

  @Test
  void a_stream_sends_the_documented_events_in_order_with_cumulative_usage() {
    HttpResponse<String> r = messages(ask("claude-sonnet-4-6", "Hello there", ",\"stream\":true"));
    assertEquals("text/event-stream", r.headers().firstValue("content-type").orElseThrow());
    List<Http.Event> events = Http.events(r.body());
    List<String> names = events.stream().map(Http.Event::name).toList();
    assertEquals(List.of("message_start", "content_block_start", "ping"), names.subList(0, 3));
    assertEquals(List.of("content_block_stop", "message_delta", "message_stop"),
        names.subList(names.size() - 3, names.size()));
    assertTrue(names.subList(3, names.size() - 3).stream().allMatch("content_block_delta"::equals));
    for (Http.Event e : events) {
      assertEquals(e.name(), e.json().get("type").asText(), "the type field equals the event name");
    }
    JsonNode start = events.get(0).json().get("message");
    assertEquals(0, start.get("content").size());
    assertTrue(start.get("stop_reason").isNull());
    assertEquals(1, start.at("/usage/output_tokens").asInt(), "output placeholder");
    StringBuilder text = new StringBuilder();
    events.stream().filter(e -> "content_block_delta".equals(e.name()))
        .forEach(e -> text.append(e.json().at("/delta/text").asText()));
    JsonNode whole = Http.json(messages(ask("claude-sonnet-4-6", "Hello there", "")));
    assertEquals(whole.at("/content/0/text").asText(), text.toString());
    JsonNode delta = events.get(events.size() - 2).json();
    assertEquals("end_turn", delta.at("/delta/stop_reason").asText());
    assertEquals(whole.at("/usage/output_tokens").asInt(), delta.at("/usage/output_tokens").asInt());
    assertEquals(start.at("/usage/input_tokens").asInt(), delta.at("/usage/input_tokens").asInt(),
        "message_delta repeats the cumulative input figure");
    assertFalse(r.body().contains("[DONE]"));
  }

  @Test
  void a_tool_call_rule_answers_a_tool_use_block_whole_and_streamed() {
    sim.on("claude-sonnet-4-6").toolCall("get_weather", "{\"location\":\"Paris\"}");
    JsonNode b = Http.json(messages(ask("claude-sonnet-4-6", "Weather?", "")));
    assertEquals("tool_use", b.get("stop_reason").asText());
    JsonNode block = b.at("/content/0");
    assertEquals("tool_use", block.get("type").asText());
    assertTrue(block.get("id").asText().startsWith("toolu_"));
    assertEquals("Paris", block.at("/input/location").asText(), "input is an object");
    List<Http.Event> events = Http.events(messages(ask("claude-sonnet-4-6", "Weather?", ",\"stream\":true")).body());
    JsonNode startBlock = events.get(1).json().get("content_block");
    assertEquals("tool_use", startBlock.get("type").asText());
    assertEquals(0, startBlock.get("input").size());
    StringBuilder json = new StringBuilder();
    events.stream().filter(e -> "content_block_delta".equals(e.name())).forEach(e -> {
      assertEquals("input_json_delta", e.json().at("/delta/type").asText());
      json.append(e.json().at("/delta/partial_json").asText());
    });
    assertEquals(Json.tryParse("{\"location\":\"Paris\"}".getBytes(StandardCharsets.UTF_8)),
        Json.tryParse(json.toString().getBytes(StandardCharsets.UTF_8)));
    assertEquals("tool_use", events.get(events.size() - 2).json().at("/delta/stop_reason").asText());
  }

  @Test
  void output_config_format_gets_a_json_answer() {
    JsonNode b = Http.json(messages(ask("claude-sonnet-4-6", "Extract", ",\"output_config\":{\"format\":"
        + "{\"type\":\"json_schema\",\"schema\":{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},"
        + "\"age\":{\"type\":\"integer\"}}}}}")));
    JsonNode parsed = Json.tryParse(b.at("/content/0/text").asText().getBytes(StandardCharsets.UTF_8));
    assertTrue(parsed.get("name").isTextual());
    assertTrue(parsed.get("age").isInt());
  }

  @Test
  void errors_keep_the_anthropic_shape_and_status() {
    assertError(Http.post(url, ask("claude-sonnet-4-6", "hi", ""), "anthropic-version", "2023-06-01"),
        401, "authentication_error");
    assertError(Http.post(url, ask("claude-sonnet-4-6", "hi", ""), "x-api-key", "k"), 400,
        "invalid_request_error");
    HttpResponse<String> noMax = messages("{\"model\":\"claude-sonnet-4-6\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
    assertError(noMax, 400, "invalid_request_error");
    assertEquals("max_tokens: Field required", Http.json(noMax).at("/error/message").asText());
    assertError(messages("{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":5,\"messages\":[]}"), 400,
        "invalid_request_error");
    assertError(messages("{\"model\":\"claude-sonnet-4-6\","), 400, "invalid_request_error");
    HttpResponse<String> unknown = messages(ask("claude-sonnet-9", "hi", ""));
    assertError(unknown, 404, "not_found_error");
    sim.on("claude-sonnet-4-6").fail(529).times(1);
    assertError(messages(ask("claude-sonnet-4-6", "hi", "")), 529, "overloaded_error");
    sim.on("claude-sonnet-4-6").fail(429, Duration.ofMillis(1500)).times(1);
    HttpResponse<String> limited = messages(ask("claude-sonnet-4-6", "hi", ""));
    assertError(limited, 429, "rate_limit_error");
    assertEquals("1.5", limited.headers().firstValue("retry-after").orElseThrow());
  }

  @Test
  void count_tokens_matches_the_input_of_an_uncached_call() {
    String body = "{\"model\":\"claude-sonnet-4-6\",\"system\":\"You are a scientist\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello, Claude\"}]}";
    JsonNode count = Http.json(Http.post(url + "/count_tokens", body, Http.anthropic()));
    assertEquals(Tokens.count("You are a scientist") + Tokens.count("Hello, Claude"), count.get("input_tokens").asInt());
    JsonNode call = Http.json(messages(body.replace("{\"model\"", "{\"max_tokens\":50,\"model\"")));
    assertEquals(count.get("input_tokens").asInt(), call.at("/usage/input_tokens").asInt());
  }

  @Test
  void models_answer_in_the_anthropic_shape_when_the_version_header_is_sent() {
    JsonNode list = Http.json(Http.get(sim.baseUrl() + "/v1/models?limit=100", Http.anthropic()));
    assertFalse(list.get("has_more").asBoolean());
    JsonNode first = list.at("/data/0");
    assertEquals("model", first.get("type").asText());
    assertTrue(first.has("display_name") && first.has("created_at"));
    assertEquals(first.get("id"), list.get("first_id"));
    JsonNode page = Http.json(Http.get(sim.baseUrl() + "/v1/models?limit=2", Http.anthropic()));
    assertEquals(2, page.get("data").size());
    assertTrue(page.get("has_more").asBoolean());
    JsonNode one = Http.json(Http.get(sim.baseUrl() + "/v1/models/claude-haiku-4-5", Http.anthropic()));
    assertEquals("Claude Haiku 4.5", one.get("display_name").asText());
  }

  @Test
  void cache_breakpoints_write_then_read_with_the_ttl_split() {
    String system = Http.longText(1500);
    String context = Http.longText(300).replace("policy", "context");
    String body = "{\"model\":\"claude-sonnet-4-6\",\"max_tokens\":64,"
        + "\"system\":[{\"type\":\"text\",\"text\":\"" + system + "\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}],"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"" + context
        + "\",\"cache_control\":{\"type\":\"ephemeral\"}},{\"type\":\"text\",\"text\":\"What applies?\"}]}]}";
    int s = Tokens.count(system);
    int c = Tokens.count(context);
    int tail = Tokens.count("What applies?");
    JsonNode first = Http.json(messages(body)).get("usage");
    assertUsage(first, tail, s + c, 0, c, s);
    clock.advance(Duration.ofMinutes(1));
    assertUsage(Http.json(messages(body)).get("usage"), tail, 0, s + c, 0, 0);
    clock.advance(Duration.ofMinutes(7));
    // The 5-minute entry is gone, the 1-hour one is still there.
    assertUsage(Http.json(messages(body)).get("usage"), tail, c, s, c, 0);
    clock.advance(Duration.ofMinutes(61));
    assertUsage(Http.json(messages(body)).get("usage"), tail, s + c, 0, c, s);
  }

  @Test
  void the_top_level_cache_control_caches_up_to_the_last_block() {
    String body = ask("claude-sonnet-4-6", Http.longText(1200), ",\"cache_control\":{\"type\":\"ephemeral\"}");
    int total = Tokens.count(Http.longText(1200));
    assertUsage(Http.json(messages(body)).get("usage"), 0, total, 0, total, 0);
    JsonNode again = Http.json(messages(body)).get("usage");
    assertUsage(again, 0, 0, total, 0, 0);
  }

  @Test
  void a_prefix_below_the_model_minimum_is_not_cached() {
    String body = ask("claude-haiku-4-5", Http.longText(1500), ",\"cache_control\":{\"type\":\"ephemeral\"}");
    messages(body);
    JsonNode u = Http.json(messages(body)).get("usage");
    assertUsage(u, Tokens.count(Http.longText(1500)), 0, 0, 0, 0);
  }

  private static void assertUsage(JsonNode u, int input, int creation, int read, int w5m, int w1h) {
    assertEquals(input, u.get("input_tokens").asInt(), "input_tokens in " + u);
    assertEquals(creation, u.get("cache_creation_input_tokens").asInt(), "creation in " + u);
    assertEquals(read, u.get("cache_read_input_tokens").asInt(), "read in " + u);
    assertEquals(w5m, u.at("/cache_creation/ephemeral_5m_input_tokens").asInt(), "5m in " + u);
    assertEquals(w1h, u.at("/cache_creation/ephemeral_1h_input_tokens").asInt(), "1h in " + u);
  }

  static void assertError(HttpResponse<String> r, int status, String type) {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode b = Http.json(r);
    assertEquals("error", b.get("type").asText());
    assertEquals(type, b.at("/error/type").asText());
    assertTrue(b.at("/error/message").isTextual());
    assertEquals(r.headers().firstValue("request-id").orElseThrow(), b.get("request_id").asText());
  }
}
