package dev.tokenwise.provider.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SimFaultsTest {
  private static final String CHAT =
      "{\"model\":\"gpt-4o\",\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"Tell me more\"}]}";
  private static final String MESSAGES = "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":100,"
      + "\"stream\":%s,\"messages\":[{\"role\":\"user\",\"content\":\"Tell me more\"}]}";
  private static final String LONG_REPLY = "one two three four five six seven eight nine ten eleven"
      + " twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty twenty-one"
      + " twenty-two twenty-three twenty-four twenty-five twenty-six twenty-seven twenty-eight";
  private static Simulator sim;

  @BeforeAll
  static void start() {
    sim = Simulator.start(0);
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @BeforeEach
  void clean() {
    sim.reset();
  }

  private static String chatUrl() {
    return sim.baseUrl() + "/v1/chat/completions";
  }

  private static HttpRequest chatRequest(boolean stream, Duration timeout) {
    return HttpRequest.newBuilder(URI.create(chatUrl())).timeout(timeout)
        .header("authorization", "Bearer sk-test")
        .POST(HttpRequest.BodyPublishers.ofString(CHAT.formatted(stream))).build();
  }

  private static String rawChat(boolean stream) {
    return Http.raw(sim.port(), "/v1/chat/completions", CHAT.formatted(stream),
        "Authorization: Bearer sk-test");
  }

  private static String rawMessages(boolean stream) {
    return Http.raw(sim.port(), "/v1/messages", MESSAGES.formatted(stream), "x-api-key: k",
        "anthropic-version: 2023-06-01");
  }

  /** The data lines of a raw HTTP answer (its chunk-size lines are not data lines). */
  private static List<String> dataLines(String raw) {
    List<String> out = new ArrayList<>();
    for (String line : raw.split("\r?\n")) {
      if (line.startsWith("data: ")) {
        out.add(line.substring(6));
      }
    }
    return out;
  }

  @Test
  void drop_after_cuts_the_stream_after_n_events_without_the_final_ones() {
    sim.on("gpt-4o").reply(LONG_REPLY).dropAfter(3);
    String raw = Http.raw(sim.port(), "/v1/chat/completions", CHAT.formatted(true),
        "Authorization: Bearer sk-test");
    assertTrue(raw.startsWith("HTTP/1.1 200"), raw);
    List<String> data = dataLines(raw);
    assertEquals(3, data.size(), raw);
    assertFalse(data.contains("[DONE]"));
    assertFalse(raw.endsWith("\r\n0\r\n\r\n"), "the chunked body never ends properly");
    Call call = sim.awaitCall(0, Http.TIMEOUT);
    assertEquals(Call.State.DROPPED, call.state());
    assertFalse(call.completed());
  }

  @Test
  void drop_after_on_an_anthropic_stream_never_sends_message_stop() {
    sim.on("claude-sonnet-4-6").dropAfter(4);
    String raw = Http.raw(sim.port(), "/v1/messages", "{\"model\":\"claude-sonnet-4-6\","
        + "\"max_tokens\":100,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
        "x-api-key: k", "anthropic-version: 2023-06-01");
    List<String> data = dataLines(raw);
    assertEquals(4, data.size(), raw);
    assertTrue(data.stream().noneMatch(d -> d.contains("message_stop")));
  }

  @Test
  void drop_after_on_a_whole_answer_cuts_the_body() {
    sim.on("gpt-4o").dropAfter(0);
    assertThrows(IOException.class, () -> HttpClient.newHttpClient()
        .send(chatRequest(false, Http.TIMEOUT), HttpResponse.BodyHandlers.ofString()));
    assertEquals(Call.State.DROPPED, sim.awaitCall(0, Http.TIMEOUT).state());
  }

  @Test
  void garbage_answers_200_with_a_body_that_is_not_the_wire_format() {
    sim.on("gpt-4o").garbage();
    HttpResponse<String> whole = Http.post(chatUrl(), CHAT.formatted(false), Http.openAi());
    assertEquals(200, whole.statusCode());
    assertNull(Json.tryParse(whole.body().getBytes(StandardCharsets.UTF_8)));
    HttpResponse<String> stream = Http.post(chatUrl(), CHAT.formatted(true), Http.openAi());
    assertEquals(200, stream.statusCode());
    String data = Http.events(stream.body()).get(0).data();
    assertNull(Json.tryParse(data.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void a_client_that_goes_away_mid_stream_gets_its_call_marked_cancelled() throws Exception {
    sim.on("gpt-4o").reply(LONG_REPLY).streamDelay(Duration.ofMillis(40));
    HttpClient client = HttpClient.newHttpClient();
    HttpResponse<InputStream> r = client.send(chatRequest(true, Http.TIMEOUT),
        HttpResponse.BodyHandlers.ofInputStream());
    BufferedReader reader = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    assertTrue(reader.readLine().startsWith("data: "));
    r.body().close();
    client.shutdownNow();
    // 30 events at 40 ms would take over a second; the call must end long before.
    Call call = sim.awaitCall(0, Duration.ofMillis(900));
    assertTrue(call.cancelled(), "state was " + call.state());
  }

  @Test
  void a_stall_delays_the_first_byte() {
    sim.on("gpt-4o").stall(Duration.ofMillis(400));
    assertThrows(HttpTimeoutException.class, () -> HttpClient.newHttpClient()
        .send(chatRequest(false, Duration.ofMillis(50)), HttpResponse.BodyHandlers.ofString()));
    sim.awaitCall(0, Http.TIMEOUT);
  }

  @Test
  void a_rule_with_times_applies_that_often_then_the_next_rule_takes_over() {
    sim.on("gpt-4o").fail(500).times(2);
    sim.on(Rule.ANY_MODEL).reply("fine");
    assertEquals(500, Http.post(chatUrl(), CHAT.formatted(false), Http.openAi()).statusCode());
    assertEquals(500, Http.post(chatUrl(), CHAT.formatted(false), Http.openAi()).statusCode());
    for (int i = 0; i < 2; i++) {
      JsonNode ok = Http.json(Http.post(chatUrl(), CHAT.formatted(false), Http.openAi()));
      assertEquals("fine", ok.at("/choices/0/message/content").asText());
      assertEquals(1, ok.at("/usage/completion_tokens").asInt());
    }
  }

  @Test
  void forced_usage_figures_are_reported_as_given() {
    sim.on("gpt-4o").reply("hi", 1200, 30);
    JsonNode u = Http.json(Http.post(chatUrl(), CHAT.formatted(false), Http.openAi())).get("usage");
    assertEquals(1200, u.get("prompt_tokens").asInt());
    assertEquals(30, u.get("completion_tokens").asInt());
    assertEquals(1230, u.get("total_tokens").asInt());
  }

  @Test
  void calls_are_recorded_oldest_first_with_secrets_redacted() {
    Http.post(chatUrl(), CHAT.formatted(false), Http.openAi());
    Http.post(sim.baseUrl() + "/v1/messages", "{}", Http.anthropic());
    List<Call> calls = sim.calls();
    assertEquals(2, calls.size());
    Call first = calls.get(0);
    assertEquals("POST", first.method());
    assertEquals("/v1/chat/completions", first.path());
    assertEquals(Call.REDACTED, first.header("Authorization"));
    assertEquals("gpt-4o", first.json().get("model").asText());
    assertEquals(200, first.status());
    assertTrue(first.completed());
    assertEquals(Call.REDACTED, calls.get(1).headers().get("x-api-key"));
    assertEquals("2023-06-01", calls.get(1).headers().get("anthropic-version"));
    assertEquals(400, sim.awaitCall(1, Http.TIMEOUT).status());
  }

  @Test
  void awaiting_a_call_that_never_comes_fails_after_the_timeout() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> sim.awaitCall(0, Duration.ofMillis(20)));
    assertTrue(e.getMessage().contains("0 calls"));
  }

  @Test
  void the_http_control_surface_scripts_rules_and_lists_calls() {
    String rules = sim.baseUrl() + "/_sim/rules";
    HttpResponse<String> added = Http.post(rules,
        "{\"model\":\"gpt-4o\",\"action\":\"fail\",\"status\":503,\"retry_after_s\":1,\"times\":1}");
    assertEquals(201, added.statusCode(), added.body());
    HttpResponse<String> failed = Http.post(chatUrl(), CHAT.formatted(false), Http.openAi());
    assertEquals(503, failed.statusCode());
    assertEquals("1", failed.headers().firstValue("retry-after").orElseThrow());
    assertEquals(200, Http.post(chatUrl(), CHAT.formatted(false), Http.openAi()).statusCode());

    JsonNode calls = Http.json(Http.get(sim.baseUrl() + "/_sim/calls"));
    assertEquals(2, calls.size());
    assertEquals(503, calls.get(0).get("status").asInt());
    assertEquals("completed", calls.get(1).get("state").asText());
    assertEquals(Call.REDACTED, calls.get(0).at("/headers/authorization").asText());

    Http.post(rules, "{\"model\":\"*\",\"action\":\"tool_call\",\"name\":\"lookup\",\"arguments\":{\"id\":7}}");
    JsonNode tool = Http.json(Http.post(chatUrl(), CHAT.formatted(false), Http.openAi()));
    assertEquals("{\"id\":7}", tool.at("/choices/0/message/tool_calls/0/function/arguments").asText());
    assertEquals(1, Http.json(Http.get(rules)).size() - 1, "two rules listed, one of them used up");

    assertEquals(200, Http.delete(rules).statusCode());
    assertEquals(0, Http.json(Http.get(rules)).size());
    assertEquals(400, Http.post(rules, "{\"model\":\"gpt-4o\",\"action\":\"explode\"}").statusCode());
    assertEquals(400, Http.post(rules, "{\"model\":\"gpt-4o\",\"action\":\"fail\",\"status\":200}").statusCode());
    assertEquals(0, Http.json(Http.get(rules)).size(), "a rejected spec leaves no rule behind");

    Http.post(sim.baseUrl() + "/_sim/models", "{\"models\":[\"house-model\"]}");
    Http.post(rules, "{\"model\":\"house-model\",\"action\":\"reply\",\"text\":\"from the house\"}");
    JsonNode house = Http.json(Http.post(chatUrl(),
        CHAT.formatted(false).replace("gpt-4o", "house-model"), Http.openAi()));
    assertEquals("from the house", house.at("/choices/0/message/content").asText());
    assertEquals(200, Http.post(sim.baseUrl() + "/_sim/reset", "").statusCode());
    assertEquals(0, sim.calls().size());
  }
  @ParameterizedTest
  @ValueSource(ints = {500, 502, 503, 504})
  void server_errors_carry_each_dialects_error_body(int status) {
    sim.on("gpt-4o").fail(status);
    sim.on("claude-haiku-4-5").fail(status);
    HttpResponse<String> openAi = Http.post(chatUrl(), CHAT.formatted(false), Http.openAi());
    assertEquals(status, openAi.statusCode());
    JsonNode e = Http.json(openAi).get("error");
    assertEquals("server_error", e.get("type").asText());
    assertTrue(e.get("message").isTextual() && e.has("param") && e.has("code"), e.toString());
    assertTrue(openAi.headers().firstValue("x-request-id").isPresent());
    HttpResponse<String> anthropic = Http.post(sim.baseUrl() + "/v1/messages", MESSAGES.formatted(false),
        Http.anthropic());
    SimAnthropicTest.assertError(anthropic, status, status == 504 ? "timeout_error" : "api_error");
  }

  @Test
  void a_rate_limit_says_when_to_come_back_in_seconds() {
    sim.on("gpt-4o").fail(429, Duration.ofSeconds(2));
    HttpResponse<String> r = Http.post(chatUrl(), CHAT.formatted(true), Http.openAi());
    assertEquals(429, r.statusCode(), "a streamed call is refused before the stream starts");
    assertEquals("2", r.headers().firstValue("retry-after").orElseThrow());
    assertEquals("rate_limit_exceeded", Http.json(r).at("/error/code").asText());
  }

  @Test
  void a_failure_with_garbage_answers_the_status_with_an_html_page() {
    sim.on("gpt-4o").fail(502, Duration.ofSeconds(1)).garbage();
    HttpResponse<String> r = Http.post(chatUrl(), CHAT.formatted(false), Http.openAi());
    assertEquals(502, r.statusCode());
    assertEquals("text/html", r.headers().firstValue("content-type").orElseThrow());
    assertEquals("1", r.headers().firstValue("retry-after").orElseThrow());
    assertNull(Json.tryParse(r.body().getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void reset_closes_the_connection_without_a_byte_of_an_answer() {
    sim.on("gpt-4o").reset().times(1);
    assertEquals("", rawChat(true));
    assertEquals(Call.State.DROPPED, sim.awaitCall(0, Http.TIMEOUT).state());
    sim.on("claude-haiku-4-5").reset();
    assertEquals("", rawMessages(false));
    sim.on("gpt-4o").reset();
    assertThrows(IOException.class, () -> HttpClient.newHttpClient()
        .send(chatRequest(false, Http.TIMEOUT), HttpResponse.BodyHandlers.ofString()));
  }

  @Test
  void truncate_ends_an_openai_stream_cleanly_without_done() {
    sim.on("gpt-4o").reply(LONG_REPLY).truncate();
    String raw = rawChat(true);
    assertTrue(raw.startsWith("HTTP/1.1 200"), raw);
    assertTrue(raw.endsWith("\r\n0\r\n\r\n"), "the chunked body ends properly: " + raw);
    List<String> data = dataLines(raw);
    assertFalse(data.contains("[DONE]"));
    JsonNode last = Json.tryParse(data.get(data.size() - 1).getBytes(StandardCharsets.UTF_8));
    assertEquals("stop", last.at("/choices/0/finish_reason").asText(), "every event but the terminal one");
    assertEquals(Call.State.TRUNCATED, sim.awaitCall(0, Http.TIMEOUT).state());
    HttpResponse<String> viaClient = Http.post(chatUrl(), CHAT.formatted(true), Http.openAi());
    assertEquals(200, viaClient.statusCode());
    assertFalse(viaClient.body().contains("[DONE]"));
  }

  @Test
  void truncate_ends_an_anthropic_stream_cleanly_without_message_stop() {
    sim.on("claude-haiku-4-5").truncate();
    String raw = rawMessages(true);
    assertTrue(raw.endsWith("\r\n0\r\n\r\n"), raw);
    assertTrue(raw.contains("event: message_delta"), raw);
    assertFalse(raw.contains("message_stop"), raw);
  }

  @Test
  void truncate_after_n_events_ends_the_stream_cleanly_there() {
    sim.on("gpt-4o").reply(LONG_REPLY).truncate(2);
    String raw = rawChat(true);
    assertEquals(2, dataLines(raw).size(), raw);
    assertTrue(raw.endsWith("\r\n0\r\n\r\n"), raw);
    assertEquals(Call.State.TRUNCATED, sim.awaitCall(0, Http.TIMEOUT).state());
  }

  @Test
  void truncate_on_a_whole_answer_sends_half_the_json_as_a_complete_body() {
    sim.on("gpt-4o").truncate();
    HttpResponse<String> r = Http.post(chatUrl(), CHAT.formatted(false), Http.openAi());
    assertEquals(200, r.statusCode());
    assertTrue(r.body().startsWith("{\"id\":\"chatcmpl-"), r.body());
    assertNull(Json.tryParse(r.body().getBytes(StandardCharsets.UTF_8)));
    assertEquals(String.valueOf(r.body().length()), r.headers().firstValue("content-length").orElseThrow());
    assertEquals(Call.State.TRUNCATED, sim.awaitCall(0, Http.TIMEOUT).state());
  }

  @Test
  void a_failure_after_events_arrives_in_band_in_an_openai_stream() {
    sim.on("gpt-4o").reply(LONG_REPLY).fail(503).afterEvents(3);
    String raw = rawChat(true);
    assertTrue(raw.startsWith("HTTP/1.1 200"), raw);
    assertTrue(raw.endsWith("\r\n0\r\n\r\n"), raw);
    List<String> data = dataLines(raw);
    assertEquals(4, data.size(), raw);
    JsonNode error = Json.tryParse(data.get(3).getBytes(StandardCharsets.UTF_8));
    assertEquals("server_error", error.at("/error/type").asText());
    assertFalse(data.contains("[DONE]"));
    assertEquals(503, Http.post(chatUrl(), CHAT.formatted(false), Http.openAi()).statusCode(),
        "a call that is not streamed gets the status");
  }

  @Test
  void a_failure_after_events_arrives_as_an_error_event_in_an_anthropic_stream() {
    sim.on("claude-haiku-4-5").fail(529).afterEvents(2);
    HttpResponse<String> r = Http.post(sim.baseUrl() + "/v1/messages", MESSAGES.formatted(true),
        Http.anthropic());
    assertEquals(200, r.statusCode());
    List<Http.Event> events = Http.events(r.body());
    assertEquals(List.of("message_start", "content_block_start", "error"),
        events.stream().map(Http.Event::name).toList());
    assertEquals("overloaded_error", events.get(2).json().at("/error/type").asText());
    assertEquals("error", events.get(2).json().get("type").asText());
  }

  @Test
  void a_stall_then_reset_waits_before_closing() {
    sim.on("gpt-4o").stall(Duration.ofMillis(300)).reset();
    long start = System.nanoTime();
    assertEquals("", rawChat(false));
    assertTrue(System.nanoTime() - start >= 300_000_000L);
  }

  @Test
  void stats_count_the_calls_by_state_and_status_without_their_bodies() {
    sim.on("gpt-4o").fail(503).times(1);
    sim.on("gpt-4o").reset().times(1);
    Http.post(chatUrl(), CHAT.formatted(false), Http.openAi());
    rawChat(false);
    Http.post(chatUrl(), CHAT.formatted(false), Http.openAi());
    sim.awaitCall(2, Http.TIMEOUT);
    JsonNode stats = Http.json(Http.get(sim.baseUrl() + "/_sim/stats"));
    assertEquals(3, stats.get("calls").asInt(), stats.toString());
    assertEquals(2, stats.at("/by_state/completed").asInt());
    assertEquals(1, stats.at("/by_state/dropped").asInt());
    assertEquals(1, stats.at("/by_status/200").asInt());
    assertEquals(1, stats.at("/by_status/503").asInt());
    assertEquals(1, stats.at("/by_status/0").asInt(), "nothing was sent on the reset call");
  }
}
