package dev.tokenwise.provider.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Rules that shape the answer: runaways, lengths, and rules that follow the input. */
class SimAnswerRulesTest {
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

  private static HttpResponse<String> chat(String body) {
    return Http.post(sim.baseUrl() + "/v1/chat/completions", body, Http.openAi());
  }

  private static HttpResponse<String> messages(String body) {
    return Http.post(sim.baseUrl() + "/v1/messages", body, Http.anthropic());
  }

  @Test
  void a_runaway_openai_answer_runs_to_max_tokens_and_ends_with_length() {
    sim.on("gpt-4o-mini").runaway();
    JsonNode r = Http.json(chat("{\"model\":\"gpt-4o-mini\",\"max_tokens\":300,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Extract the invoice\"}]}"));
    JsonNode choice = r.path("choices").path(0);
    assertEquals("length", choice.path("finish_reason").asText());
    assertEquals(300, r.path("usage").path("completion_tokens").asInt());
    assertEquals(300, Tokens.count(choice.path("message").path("content").asText()));
  }

  @Test
  void a_runaway_json_answer_is_cut_inside_a_string() {
    sim.on("gpt-4o-mini").runaway();
    JsonNode r = Http.json(chat("{\"model\":\"gpt-4o-mini\",\"max_completion_tokens\":120,"
        + "\"response_format\":{\"type\":\"json_object\"},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Extract the invoice as JSON\"}]}"));
    String content = r.path("choices").path(0).path("message").path("content").asText();
    assertTrue(content.startsWith("{\"answer\": \""), content);
    assertNull(Json.tryParse(content.getBytes(StandardCharsets.UTF_8)), "a cut answer is no JSON: " + content);
    assertEquals(120, r.path("usage").path("completion_tokens").asInt());
    assertEquals("length", r.path("choices").path(0).path("finish_reason").asText());
  }

  @Test
  void a_runaway_stream_carries_every_token_and_the_length_finish() {
    sim.on("gpt-4o").runaway();
    HttpResponse<String> r = chat("{\"model\":\"gpt-4o\",\"max_tokens\":80,\"stream\":true,"
        + "\"stream_options\":{\"include_usage\":true},"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Go on\"}]}");
    StringBuilder text = new StringBuilder();
    String finish = null;
    int completion = -1;
    for (Http.Event e : Http.events(r.body())) {
      if (e.data().equals("[DONE]")) {
        continue;
      }
      JsonNode chunk = e.json();
      JsonNode choice = chunk.path("choices").path(0);
      text.append(choice.path("delta").path("content").asText(""));
      if (choice.hasNonNull("finish_reason")) {
        finish = choice.get("finish_reason").asText();
      }
      if (chunk.hasNonNull("usage")) {
        completion = chunk.get("usage").path("completion_tokens").asInt();
      }
    }
    assertEquals("length", finish);
    assertEquals(80, completion);
    assertEquals(80, Tokens.count(text.toString()));
  }

  @Test
  void a_runaway_anthropic_answer_stops_at_max_tokens() {
    sim.on("claude-haiku-4-5").runaway();
    JsonNode r = Http.json(messages("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":250,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Summarise\"}]}"));
    assertEquals("max_tokens", r.path("stop_reason").asText());
    assertEquals(250, r.path("usage").path("output_tokens").asInt());
    assertEquals(250, Tokens.count(r.path("content").path(0).path("text").asText()));
  }

  @Test
  void an_uncapped_openai_runaway_stops_at_the_simulators_ceiling() {
    sim.on("gpt-4o").runaway();
    JsonNode r = Http.json(chat("{\"model\":\"gpt-4o\","
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Go on\"}]}"));
    assertEquals(Answer.RUNAWAY_CEILING, r.path("usage").path("completion_tokens").asInt());
    assertEquals("length", r.path("choices").path(0).path("finish_reason").asText());
  }

  @Test
  void a_runaway_rule_with_a_chance_leaves_the_other_answers_short() {
    sim.on("gpt-4o-mini").runaway().chance(0.25).seed(3);
    int runaways = 0;
    for (int i = 0; i < 200; i++) {
      JsonNode r = Http.json(chat("{\"model\":\"gpt-4o-mini\",\"max_tokens\":500,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Invoice " + i + "\"}]}"));
      String finish = r.path("choices").path(0).path("finish_reason").asText();
      int out = r.path("usage").path("completion_tokens").asInt();
      if (finish.equals("length")) {
        assertEquals(500, out);
        runaways++;
      } else {
        assertEquals("stop", finish);
        assertTrue(out < 40, "a normal answer is short: " + out);
      }
    }
    assertTrue(runaways > 30 && runaways < 70, runaways + " runaways of 200 at p = 0.25");
  }

  @Test
  void the_control_api_adds_a_runaway_rule_as_an_action_or_a_flag() {
    HttpResponse<String> a = Http.post(sim.baseUrl() + "/_sim/rules",
        "{\"model\":\"gpt-4o\",\"action\":\"runaway\",\"chance\":0.05}");
    assertEquals(201, a.statusCode(), a.body());
    assertTrue(Http.json(a).path("runaway").asBoolean());
    HttpResponse<String> b = Http.post(sim.baseUrl() + "/_sim/rules",
        "{\"model\":\"gpt-4o\",\"action\":\"stall\",\"ms\":1,\"runaway\":true}");
    assertTrue(Http.json(b).path("runaway").asBoolean());
    HttpResponse<String> bad = Http.post(sim.baseUrl() + "/_sim/rules",
        "{\"model\":\"gpt-4o\",\"action\":\"reply\",\"text\":\"x\",\"runaway\":\"yes\"}");
    assertEquals(400, bad.statusCode());
    assertEquals(2, Http.json(Http.get(sim.baseUrl() + "/_sim/rules")).size(), "the bad rule was not kept");
  }

  @Test
  void a_stop_sequence_still_ends_a_runaway_early() {
    sim.on("gpt-4o").runaway();
    JsonNode r = Http.json(chat("{\"model\":\"gpt-4o\",\"max_tokens\":400,\"stop\":[\".\"],"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Go on\"}]}"));
    assertEquals("stop", r.path("choices").path(0).path("finish_reason").asText());
    assertTrue(r.path("usage").path("completion_tokens").asInt() < 400);
  }

  @Test
  void a_rule_matching_the_last_user_message_follows_the_input_on_any_model() {
    sim.on(Rule.ANY_MODEL).runaway().matching("Scan quality: poor");
    String poor = "Invoice 17\nScan quality: poor\nTotal: 12.00";
    JsonNode openAi = Http.json(chat("{\"model\":\"gpt-4.1-mini\",\"max_tokens\":64,\"messages\":["
        + "{\"role\":\"user\",\"content\":" + Json.string(Json.MAPPER.getNodeFactory().textNode(poor)) + "}]}"));
    assertEquals("length", openAi.path("choices").path(0).path("finish_reason").asText());
    JsonNode clean = Http.json(chat("{\"model\":\"gpt-4.1-mini\",\"max_tokens\":64,\"messages\":["
        + "{\"role\":\"user\",\"content\":\"Invoice 18, Scan quality: good\"},"
        + "{\"role\":\"assistant\",\"content\":\"Scan quality: poor\"},"
        + "{\"role\":\"user\",\"content\":\"And this one?\"}]}"));
    assertEquals("stop", clean.path("choices").path(0).path("finish_reason").asText(),
        "only the last user message counts");
    JsonNode anthropic = Http.json(messages("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":64,"
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":"
        + Json.string(Json.MAPPER.getNodeFactory().textNode(poor)) + "}]}]}"));
    assertEquals("max_tokens", anthropic.path("stop_reason").asText());
    HttpResponse<String> rule = Http.post(sim.baseUrl() + "/_sim/rules",
        "{\"model\":\"*\",\"action\":\"runaway\",\"message_regex\":\"quality: (poor|bad)\"}");
    assertEquals("quality: (poor|bad)", Http.json(rule).path("message_regex").asText());
    assertEquals(400, Http.post(sim.baseUrl() + "/_sim/rules",
        "{\"model\":\"*\",\"action\":\"runaway\",\"message_regex\":\"(\"}").statusCode());
  }

  @Test
  void answer_tokens_makes_generated_answers_that_long_and_keeps_them_whole() {
    sim.on("claude-haiku-4-5").answerTokens(150, 250);
    java.util.Set<Integer> lengths = new java.util.HashSet<>();
    for (int i = 0; i < 20; i++) {
      JsonNode r = Http.json(messages("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":1024,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"Summarise report " + i + "\"}]}"));
      int out = r.path("usage").path("output_tokens").asInt();
      String text = r.path("content").path(0).path("text").asText();
      assertEquals("end_turn", r.path("stop_reason").asText());
      assertEquals(out, Tokens.count(text));
      assertTrue(out >= 150 && out < 250 + 40, "length " + out);
      assertTrue(text.endsWith("."), text);
      lengths.add(out);
    }
    assertTrue(lengths.size() > 5, "lengths vary with the request: " + lengths);
    JsonNode again = Http.json(messages("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":1024,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Summarise report 0\"}]}"));
    JsonNode first = Http.json(messages("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":1024,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Summarise report 0\"}]}"));
    assertEquals(first.path("content"), again.path("content"), "the same request, the same answer");
    JsonNode cut = Http.json(messages("{\"model\":\"claude-haiku-4-5\",\"max_tokens\":100,"
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Summarise report 1\"}]}"));
    assertEquals("max_tokens", cut.path("stop_reason").asText(), "the cap still cuts a long answer");
    assertEquals(100, cut.path("usage").path("output_tokens").asInt());
  }

  @Test
  void the_control_api_takes_answer_tokens_as_a_number_or_a_range() {
    HttpResponse<String> one = Http.post(sim.baseUrl() + "/_sim/rules",
        "{\"model\":\"gpt-4o\",\"action\":\"reply\",\"answer_tokens\":200}");
    assertEquals(201, one.statusCode(), one.body());
    assertEquals("[200,200]", Json.string(Http.json(one).path("answer_tokens")));
    HttpResponse<String> range = Http.post(sim.baseUrl() + "/_sim/rules",
        "{\"model\":\"gpt-4o\",\"action\":\"reply\",\"answer_tokens\":[80,120]}");
    assertEquals("[80,120]", Json.string(Http.json(range).path("answer_tokens")));
    for (String bad : new String[] {"{\"model\":\"gpt-4o\",\"action\":\"reply\"}",
        "{\"model\":\"gpt-4o\",\"action\":\"reply\",\"answer_tokens\":[120,80]}",
        "{\"model\":\"gpt-4o\",\"action\":\"reply\",\"answer_tokens\":\"long\"}"}) {
      assertEquals(400, Http.post(sim.baseUrl() + "/_sim/rules", bad).statusCode(), bad);
    }
    JsonNode r = Http.json(chat("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"));
    assertTrue(r.path("usage").path("completion_tokens").asInt() >= 200);
  }
}
