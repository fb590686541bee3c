package dev.tokenwise.provider.sim;

import dev.tokenwise.testing.MutableClock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class SimOpenAiTest {
  private static final Instant START = Instant.parse("2026-11-20T10:00:00Z");
  private static MutableClock clock;
  private static Simulator sim;
  private static String url;

  @BeforeAll
  static void start() {
    clock = new MutableClock(START);
    sim = Simulator.start(0, clock);
    url = sim.baseUrl() + "/v1/chat/completions";
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  @BeforeEach
  void clean() {
    sim.reset();
  }

  private static HttpResponse<String> chat(String body) {
    return Http.post(url, body, Http.openAi());
  }

  private static String userAsks(String model, String text, String extra) {
    return "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]"
        + extra + "}";
  }

  @Test
  void answers_a_chat_completion_in_the_documented_shape() {
    HttpResponse<String> r = chat(userAsks("gpt-4o", "Say hi", ""));
    assertEquals(200, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("content-type").orElseThrow());
    assertTrue(r.headers().firstValue("x-request-id").orElseThrow().startsWith("req_"));
    JsonNode b = Http.json(r);
    assertTrue(b.get("id").asText().startsWith("chatcmpl-"));
    assertEquals("chat.completion", b.get("object").asText());
    assertEquals(START.getEpochSecond(), b.get("created").asLong());
    assertEquals("gpt-4o-2024-08-06", b.get("model").asText(), "the dated snapshot is reported");
    JsonNode choice = b.get("choices").get(0);
    assertEquals(0, choice.get("index").asInt());
    assertEquals("assistant", choice.at("/message/role").asText());
    assertTrue(choice.at("/message/refusal").isNull());
    assertTrue(choice.at("/message/annotations").isArray());
    assertTrue(choice.get("logprobs").isNull());
    assertEquals("stop", choice.get("finish_reason").asText());
    String content = choice.at("/message/content").asText();
    assertFalse(content.isBlank());
    JsonNode u = b.get("usage");
    assertEquals(Tokens.count(content), u.get("completion_tokens").asInt());
    // 3 per message + "user" + "Say hi" + 3 for the reply priming.
    assertEquals(3 + 1 + 2 + 3, u.get("prompt_tokens").asInt());
    assertEquals(u.get("prompt_tokens").asInt() + u.get("completion_tokens").asInt(),
        u.get("total_tokens").asInt());
    assertEquals(0, u.at("/prompt_tokens_details/cached_tokens").asInt());
    assertEquals(0, u.at("/completion_tokens_details/reasoning_tokens").asInt());
    assertEquals("default", b.get("service_tier").asText());
    assertTrue(b.get("system_fingerprint").asText().startsWith("fp_"));
  }

  @Test
  void the_same_request_gets_the_same_answer_and_another_one_a_different_answer() {
    String a = Http.json(chat(userAsks("gpt-4o-mini", "What is 2+2?", ""))).at("/choices/0/message/content").asText();
    String b = Http.json(chat(userAsks("gpt-4o-mini", "What is 2+2?", ""))).at("/choices/0/message/content").asText();
    String c = Http.json(chat(userAsks("gpt-4o-mini", "Name a colour.", ""))).at("/choices/0/message/content").asText();
    assertEquals(a, b);
    assertFalse(a.equals(c));
  }

  @Test
  void a_stream_without_include_usage_has_no_usage_key_and_ends_with_done() {
    HttpResponse<String> r = chat(userAsks("gpt-4o", "Say hi", ",\"stream\":true"));
    assertEquals("text/event-stream", r.headers().firstValue("content-type").orElseThrow());
    List<Http.Event> events = Http.events(r.body());
    assertEquals("[DONE]", events.get(events.size() - 1).data());
    List<JsonNode> chunks = events.subList(0, events.size() - 1).stream().map(Http.Event::json).toList();
    StringBuilder text = new StringBuilder();
    for (JsonNode c : chunks) {
      assertEquals("chat.completion.chunk", c.get("object").asText());
      assertEquals(chunks.get(0).get("id"), c.get("id"));
      assertFalse(c.has("usage"), "no usage key at all without include_usage");
      text.append(c.at("/choices/0/delta/content").asText(""));
    }
    JsonNode first = chunks.get(0).at("/choices/0/delta");
    assertEquals("assistant", first.get("role").asText());
    assertEquals("", first.get("content").asText());
    JsonNode last = chunks.get(chunks.size() - 1).at("/choices/0");
    assertTrue(last.get("delta").isEmpty());
    assertEquals("stop", last.get("finish_reason").asText());
    String whole = Http.json(chat(userAsks("gpt-4o", "Say hi", ""))).at("/choices/0/message/content").asText();
    assertEquals(whole, text.toString(), "streamed pieces join back into the same answer");
  }

  @Test
  void a_stream_with_include_usage_sends_null_usage_then_a_usage_chunk_with_no_choices() {
    HttpResponse<String> r = chat(userAsks("gpt-4o", "Say hi",
        ",\"stream\":true,\"stream_options\":{\"include_usage\":true}"));
    List<Http.Event> events = Http.events(r.body());
    assertEquals("[DONE]", events.get(events.size() - 1).data());
    JsonNode usageChunk = events.get(events.size() - 2).json();
    assertEquals(0, usageChunk.get("choices").size());
    JsonNode finish = events.get(events.size() - 3).json();
    assertEquals("stop", finish.at("/choices/0/finish_reason").asText());
    for (Http.Event e : events.subList(0, events.size() - 2)) {
      assertTrue(e.json().get("usage").isNull(), "usage is null before the usage chunk");
    }
    JsonNode whole = Http.json(chat(userAsks("gpt-4o", "Say hi", ""))).get("usage");
    assertEquals(whole, usageChunk.get("usage"));
  }

  @Test
  void a_tool_call_rule_answers_a_tool_call_with_arguments_as_a_json_string() {
    sim.on("gpt-4.1").toolCall("get_weather", "{\"city\":\"Paris\"}");
    JsonNode b = Http.json(chat(userAsks("gpt-4.1", "Weather in Paris?", "")));
    JsonNode choice = b.at("/choices/0");
    assertEquals("tool_calls", choice.get("finish_reason").asText());
    assertTrue(choice.at("/message/content").isNull());
    JsonNode call = choice.at("/message/tool_calls/0");
    assertTrue(call.get("id").asText().startsWith("call_"));
    assertEquals("function", call.get("type").asText());
    assertEquals("get_weather", call.at("/function/name").asText());
    assertEquals("{\"city\":\"Paris\"}", call.at("/function/arguments").asText());
  }

  @Test
  void a_tool_call_streams_as_fragments_keyed_by_index() {
    sim.on("gpt-4.1").toolCall("get_weather", "{\"city\":\"Paris\",\"unit\":\"celsius\"}");
    List<Http.Event> events = Http.events(chat(userAsks("gpt-4.1", "Weather?",
        ",\"stream\":true,\"stream_options\":{\"include_usage\":true}")).body());
    JsonNode first = events.get(0).json().at("/choices/0/delta");
    assertEquals("assistant", first.get("role").asText());
    assertTrue(first.get("content").isNull());
    JsonNode head = first.at("/tool_calls/0");
    assertEquals(0, head.get("index").asInt());
    assertTrue(head.get("id").asText().startsWith("call_"));
    assertEquals("get_weather", head.at("/function/name").asText());
    assertEquals("", head.at("/function/arguments").asText());
    StringBuilder args = new StringBuilder();
    int fragments = 0;
    for (Http.Event e : events.subList(1, events.size() - 3)) {
      JsonNode frag = e.json().at("/choices/0/delta/tool_calls/0");
      assertEquals(0, frag.get("index").asInt());
      assertFalse(frag.has("id"), "later fragments carry only the index");
      args.append(frag.at("/function/arguments").asText());
      fragments++;
    }
    assertTrue(fragments > 1);
    assertEquals("{\"city\":\"Paris\",\"unit\":\"celsius\"}", args.toString());
    assertEquals("tool_calls", events.get(events.size() - 3).json().at("/choices/0/finish_reason").asText());
  }

  @Test
  void json_mode_answers_a_parseable_json_object_that_fits_the_schema() {
    JsonNode any = Http.json(chat(userAsks("gpt-4o-mini", "Classify this",
        ",\"response_format\":{\"type\":\"json_object\"}")));
    JsonNode parsed = Json.tryParse(any.at("/choices/0/message/content").asText().getBytes(StandardCharsets.UTF_8));
    assertNotNull(parsed);
    assertTrue(parsed.isObject());
    JsonNode schema = Http.json(chat(userAsks("gpt-4o-mini", "Classify this",
        ",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"t\",\"schema\":"
            + "{\"type\":\"object\",\"properties\":{\"label\":{\"type\":\"string\",\"enum\":[\"bug\",\"billing\"]},"
            + "\"score\":{\"type\":\"number\"}},\"required\":[\"label\",\"score\"]}}}")));
    JsonNode obj = Json.tryParse(schema.at("/choices/0/message/content").asText().getBytes(StandardCharsets.UTF_8));
    assertTrue(List.of("bug", "billing").contains(obj.get("label").asText()));
    assertTrue(obj.get("score").isNumber());
  }

  @Test
  void reasoning_models_report_reasoning_tokens_inside_completion_tokens() {
    JsonNode u = Http.json(chat(userAsks("o3", "Think about it", ""))).get("usage");
    int reasoning = u.at("/completion_tokens_details/reasoning_tokens").asInt();
    assertTrue(reasoning > 0);
    assertTrue(reasoning < u.get("completion_tokens").asInt());
    assertEquals(400, chat(userAsks("o3", "Think", ",\"max_tokens\":10")).statusCode(),
        "reasoning models refuse max_tokens");
  }

  @Test
  void max_completion_tokens_cuts_the_answer_with_finish_reason_length() {
    JsonNode b = Http.json(chat(userAsks("gpt-4o", "Say hi", ",\"max_completion_tokens\":2")));
    assertEquals("length", b.at("/choices/0/finish_reason").asText());
    assertEquals(2, b.at("/usage/completion_tokens").asInt());
    assertEquals(2, Tokens.count(b.at("/choices/0/message/content").asText()));
  }

  @Test
  void a_missing_key_is_401_invalid_api_key() {
    HttpResponse<String> r = Http.post(url, userAsks("gpt-4o", "hi", ""), "content-type", "application/json");
    assertEquals(401, r.statusCode());
    assertEquals("invalid_api_key", Http.json(r).at("/error/code").asText());
  }

  @Test
  void invalid_requests_are_400_with_all_four_error_keys() {
    assertError(chat("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, "model");
    assertError(chat("{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), 400, "model");
    assertError(chat("{\"model\":\"gpt-4o\",\"messages\":[]}"), 400, "messages");
    assertError(chat("{\"model\":\"gpt-4o\",\"messages\":\"hi\"}"), 400, "messages");
    assertError(chat("{\"model\":\"gpt-4o\","), 400, null);
  }

  @Test
  void an_unknown_model_is_404_model_not_found() {
    HttpResponse<String> r = chat(userAsks("gpt-9", "hi", ""));
    assertError(r, 404, null);
    assertEquals("model_not_found", Http.json(r).at("/error/code").asText());
    sim.models("gpt-9");
    assertEquals(200, chat(userAsks("gpt-9", "hi", "")).statusCode(), "added models are known");
  }

  @Test
  void a_rate_limit_rule_answers_429_with_retry_after_then_lets_calls_through() {
    sim.on("gpt-4o").fail(429, Duration.ofSeconds(2)).times(1);
    HttpResponse<String> r = chat(userAsks("gpt-4o", "hi", ""));
    assertError(r, 429, null);
    assertEquals("2", r.headers().firstValue("retry-after").orElseThrow());
    assertEquals("rate_limit_exceeded", Http.json(r).at("/error/code").asText());
    assertEquals(200, chat(userAsks("gpt-4o", "hi", "")).statusCode());
  }

  @Test
  void a_repeated_long_prompt_reports_cached_tokens_until_the_prefix_expires() {
    String body = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"system\",\"content\":\""
        + Http.longText(1500) + "\"},{\"role\":\"user\",\"content\":\"Summarise.\"}]}";
    JsonNode first = Http.json(chat(body)).get("usage");
    int prompt = first.get("prompt_tokens").asInt();
    assertTrue(prompt >= 1500);
    assertEquals(0, first.at("/prompt_tokens_details/cached_tokens").asInt());
    clock.advance(Duration.ofMinutes(4));
    JsonNode second = Http.json(chat(body)).get("usage");
    assertEquals(prompt, second.get("prompt_tokens").asInt(), "prompt_tokens includes cached tokens");
    assertEquals(1024 + 128 * ((prompt - 1024) / 128), second.at("/prompt_tokens_details/cached_tokens").asInt());
    clock.advance(Duration.ofMinutes(4));
    assertTrue(Http.json(chat(body)).at("/usage/prompt_tokens_details/cached_tokens").asInt() > 0,
        "a hit refreshes the five minutes");
    clock.advance(Duration.ofMinutes(6));
    assertEquals(0, Http.json(chat(body)).at("/usage/prompt_tokens_details/cached_tokens").asInt());
    HttpResponse<String> otherKey = Http.post(url, body, "authorization", "Bearer sk-other");
    assertEquals(0, Http.json(otherKey).at("/usage/prompt_tokens_details/cached_tokens").asInt(),
        "prefixes are remembered per API key");
  }

  @Test
  void embeddings_are_deterministic_vectors_of_the_model_size_in_float_or_base64() {
    String e = sim.baseUrl() + "/v1/embeddings";
    JsonNode small = Http.json(Http.post(e, "{\"model\":\"text-embedding-3-small\",\"input\":[\"first text\",\"second text\"]}", Http.openAi()));
    assertEquals(2, small.get("data").size());
    assertEquals(1536, small.at("/data/0/embedding").size());
    assertEquals(1, small.at("/data/1/index").asInt());
    assertEquals(4, small.at("/usage/prompt_tokens").asInt());
    assertEquals(4, small.at("/usage/total_tokens").asInt());
    JsonNode large = Http.json(Http.post(e, "{\"model\":\"text-embedding-3-large\",\"input\":\"first text\"}", Http.openAi()));
    assertEquals(3072, large.at("/data/0/embedding").size());
    JsonNode cut = Http.json(Http.post(e, "{\"model\":\"text-embedding-3-small\",\"input\":\"first text\",\"dimensions\":256}", Http.openAi()));
    assertEquals(256, cut.at("/data/0/embedding").size());
    JsonNode b64 = Http.json(Http.post(e, "{\"model\":\"text-embedding-3-small\",\"input\":\"first text\",\"dimensions\":256,\"encoding_format\":\"base64\"}", Http.openAi()));
    ByteBuffer buf = ByteBuffer.wrap(Base64.getDecoder().decode(b64.at("/data/0/embedding").asText()))
        .order(ByteOrder.LITTLE_ENDIAN);
    assertEquals(256 * 4, buf.remaining());
    for (int i = 0; i < 256; i++) {
      assertEquals(cut.at("/data/0/embedding/" + i).floatValue(), buf.getFloat(), 0f);
    }
  }

  @Test
  void models_are_listed_and_an_unknown_one_is_404() {
    JsonNode list = Http.json(Http.get(sim.baseUrl() + "/v1/models", Http.openAi()));
    assertEquals("list", list.get("object").asText());
    assertTrue(list.get("data").findValuesAsText("id").contains("gpt-4o-mini"));
    assertFalse(list.get("data").findValuesAsText("id").contains("claude-sonnet-4-6"));
    JsonNode one = Http.json(Http.get(sim.baseUrl() + "/v1/models/gpt-4o", Http.openAi()));
    assertEquals("model", one.get("object").asText());
    assertEquals(404, Http.get(sim.baseUrl() + "/v1/models/gpt-9", Http.openAi()).statusCode());
  }

  static void assertError(HttpResponse<String> r, int status, String param) {
    assertEquals(status, r.statusCode(), r.body());
    JsonNode e = Http.json(r).get("error");
    for (String key : List.of("message", "type", "param", "code")) {
      assertTrue(e.has(key), "error has " + key + ": " + r.body());
    }
    if (param != null) {
      assertEquals(param, e.get("param").asText());
    }
  }
}
