package dev.tokenwise.provider.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Model skill against input difficulty: who answers right, and what a wrong text answer is. */
class SimQualityTest {
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

  /** What every model answers when it gets the input right: today's answer, unchanged. */
  private static String right(String question) {
    return Answer.sentences(Tokens.hash(question));
  }

  private static void hard(int difficulty) {
    sim.on(Rule.ANY_MODEL).matching("HARD").difficulty(difficulty);
  }

  @Test
  void a_frontier_model_answers_a_difficulty_5_input_right() {
    hard(5);
    String q = "HARD: reconcile the ledgers";
    assertEquals(right(q), Ask.text(sim, "gpt-4o", q));
    assertEquals(right(q), Ask.text(sim, "o3", q));
  }

  @Test
  void gpt_4o_mini_gets_a_difficulty_4_input_wrong_and_gpt_4_1_mini_gets_it_right() {
    hard(4);
    String q = "HARD: classify the ticket";
    assertNotEquals(right(q), Ask.text(sim, "gpt-4o-mini", q));
    assertEquals(right(q), Ask.text(sim, "gpt-4.1-mini", q));
  }

  @Test
  void the_smallest_model_gets_a_difficulty_2_input_wrong_and_a_difficulty_1_input_right() {
    hard(2);
    sim.on(Rule.ANY_MODEL).matching("EASY").difficulty(1);
    assertNotEquals(right("HARD: sum the column"), Ask.text(sim, "llama-3.1-8b-instant", "HARD: sum the column"));
    assertEquals(right("EASY: sum the column"), Ask.text(sim, "llama-3.1-8b-instant", "EASY: sum the column"));
  }

  @Test
  void the_same_input_to_the_same_model_gets_the_same_wrong_answer_and_other_models_another() {
    hard(5);
    String q = "HARD: extract the parties";
    String first = Ask.text(sim, "gpt-4o-mini", q);
    assertEquals(first, Ask.text(sim, "gpt-4o-mini", q));
    assertEquals(first, Ask.text(sim, "gpt-4o-mini-2024-07-18", q), "a snapshot answers as its alias");
    assertNotEquals(first, Ask.text(sim, "gpt-4.1-nano", q), "two weak models are wrong in different ways");
  }

  @Test
  void a_wrong_text_answer_is_as_long_but_shares_no_word_with_the_right_one() {
    hard(5);
    for (int i = 0; i < 20; i++) {
      String q = "HARD: case " + i;
      String good = right(q);
      String bad = Ask.text(sim, "gemini-2.5-flash-lite", q);
      assertEquals(good.split("\\.").length, bad.split("\\.").length, bad);
      assertEquals(good.split(" ").length, bad.split(" ").length, bad);
      Set<String> shared = words(good);
      shared.retainAll(words(bad));
      assertTrue(shared.isEmpty(), "shared " + shared + " between " + good + " and " + bad);
      assertEquals(0, Words.tally(bad).onTopic(), bad);
    }
  }

  @Test
  void wrong_answers_stream_as_they_come_whole_with_usage_counted_from_the_text_in_both_dialects() {
    hard(5);
    String q = "HARD: draft the reply";
    Ask.Reply whole = Ask.openAi(sim, Ask.openAiBody("gpt-4o-mini", null, q, null));
    Ask.Reply streamed = Ask.openAiStream(sim, Ask.openAiBody("gpt-4o-mini", null, q, null));
    assertNotEquals(right(q), whole.text());
    assertEquals(whole, streamed);
    assertEquals(Tokens.count(whole.text()), whole.outputTokens());

    Ask.Reply claude = Ask.anthropic(sim, Ask.anthropicBody("claude-3-5-haiku-20241022", null, q, null));
    Ask.Reply claudeStreamed = Ask.anthropicStream(sim, Ask.anthropicBody("claude-3-5-haiku-20241022", null, q, null));
    assertNotEquals(right(q), claude.text());
    assertEquals(claude, claudeStreamed);
    assertEquals(Tokens.count(claude.text()), claude.outputTokens());
    assertEquals(right(q), Ask.anthropic(sim, Ask.anthropicBody("claude-sonnet-4-5", null, q, null)).text());
  }

  @Test
  void a_reasoning_model_counts_its_hidden_tokens_on_a_wrong_answer_too() {
    hard(5);
    Ask.Reply r = Ask.openAi(sim, Ask.openAiBody("gpt-5-nano", null, "HARD: plan the route", null));
    assertNotEquals(right("HARD: plan the route"), r.text());
    assertEquals(Tokens.count(r.text()) * (1 + Answer.REASONING_RATIO), r.outputTokens());
  }

  @Test
  void a_difficulty_only_rule_combines_with_an_ordinary_rule_for_the_same_calls() {
    String plain = "weigh the offers";
    String before = Ask.text(sim, "gpt-4o-mini", plain);
    Rule difficulty = sim.on(Rule.ANY_MODEL).matching("HARD").difficulty(5);
    Rule slow = sim.on("gpt-4o-mini").streamDelay(Duration.ofMillis(1));
    Rule answer = sim.on("gpt-4o").reply("scripted");
    String q = "HARD: weigh the offers";
    assertNotEquals(right(q), Ask.text(sim, "gpt-4o-mini", q));
    assertEquals(1, slow.applied(), "the ordinary rule still shapes the call");
    assertEquals("scripted", Ask.text(sim, "gpt-4o", q), "a rule's own text is never made wrong");
    assertEquals(2, difficulty.applied());
    assertEquals(1, answer.applied());
    assertEquals(before, Ask.text(sim, "gpt-4o-mini", plain), "an input the rule does not match is as before");
    assertEquals(2, difficulty.applied());
  }

  @Test
  void a_rule_that_does_more_than_set_a_difficulty_sets_it_for_the_calls_it_wins() {
    sim.on("gpt-4.1-mini").streamDelay(Duration.ofMillis(1)).difficulty(5);
    sim.on(Rule.ANY_MODEL).difficulty(1);
    String q = "compare the quotes";
    assertNotEquals(right(q), Ask.text(sim, "gpt-4.1-mini", q), "the winning rule's difficulty counts");
    assertEquals(right(q), Ask.text(sim, "llama-3.1-8b-instant", q), "the difficulty-only rule made it easy");
  }

  @Test
  void scripted_tool_calls_and_length_rules_are_not_made_wrong() {
    hard(5);
    sim.on("gpt-4o-mini").matching("tool").toolCall("lookup", "{\"id\":7}");
    sim.on("gpt-4o-mini").matching("long").answerTokens(40, 40);
    JsonNode call = Http.json(Http.post(sim.baseUrl() + "/v1/chat/completions",
        Json.string(Ask.openAiBody("gpt-4o-mini", null, "HARD tool", null)), Http.openAi()));
    assertEquals("{\"id\":7}", call.at("/choices/0/message/tool_calls/0/function/arguments").asText());
    String longer = Ask.text(sim, "gpt-4o-mini", "HARD long");
    assertTrue(Words.tally(longer).offTopic() == 0 && Tokens.count(longer) >= 40, longer);
  }

  @Test
  void the_difficulty_rule_and_a_models_skill_can_be_set_over_the_control_api() {
    HttpResponse<String> r = Http.post(sim.baseUrl() + "/_sim/rules",
        "{\"model\":\"*\",\"message_regex\":\"HARD\",\"difficulty\":3}");
    assertEquals(201, r.statusCode(), r.body());
    assertEquals(3, Http.json(r).path("difficulty").asInt());
    assertEquals(200, Http.post(sim.baseUrl() + "/_sim/models", "{\"models\":[\"house-small\"],\"skill\":2}")
        .statusCode());
    assertEquals(200, Http.post(sim.baseUrl() + "/_sim/models", "{\"models\":[\"house-big\"]}").statusCode());
    String q = "HARD: route the claim";
    assertNotEquals(right(q), Ask.text(sim, "house-small", q));
    assertEquals(right(q), Ask.text(sim, "house-big", q), "an added model has skill 5 unless given one");
    assertEquals(right(q), Ask.text(sim, "gpt-4o-mini", q), "skill 3 reaches difficulty 3");

    assertEquals(400, Http.post(sim.baseUrl() + "/_sim/rules", "{\"model\":\"*\",\"difficulty\":6}").statusCode());
    assertEquals(400, Http.post(sim.baseUrl() + "/_sim/rules", "{\"model\":\"*\",\"difficulty\":\"hard\"}")
        .statusCode());
    assertEquals(400, Http.post(sim.baseUrl() + "/_sim/models", "{\"models\":[\"m\"],\"skill\":0}").statusCode());
    assertEquals(400, Http.post(sim.baseUrl() + "/_sim/rules", "{\"model\":\"*\"}").statusCode(),
        "a rule needs an action or a difficulty");
  }

  @Test
  void a_model_given_a_skill_in_java_answers_to_it() {
    try (Simulator own = Simulator.start(0)) {
      own.model("house-tiny", 1).model("gpt-4o", 2);
      own.on(Rule.ANY_MODEL).matching("HARD").difficulty(3);
      String q = "HARD: tag the photo";
      assertNotEquals(right(q), Ask.text(own, "house-tiny", q));
      assertNotEquals(right(q), Ask.text(own, "gpt-4o", q), "a known model can be given a lower skill");
      assertEquals(right(q), Ask.text(own, "gpt-4o-2024-08-06", q), "only that id: its snapshot keeps skill 5");
      own.model("gpt-4o", 3);
      assertEquals(right(q), Ask.text(own, "gpt-4o", q));
      assertThrows(IllegalArgumentException.class, () -> own.model("x", 6));
      assertThrows(IllegalArgumentException.class, () -> own.on("*").difficulty(0));
    }
  }

  @Test
  void the_default_difficulty_follows_the_documented_shares() {
    int[] counts = new int[6];
    int n = 2000;
    for (int i = 0; i < n; i++) {
      counts[Quality.difficulty("Summarise support ticket #" + i + " for the weekly report")]++;
    }
    int[] expected = {0, 55, 20, 12, 8, 5};
    for (int d = 1; d <= 5; d++) {
      double share = 100.0 * counts[d] / n;
      assertTrue(Math.abs(share - expected[d]) <= 3, "difficulty " + d + ": " + share + " %");
    }
  }

  @Test
  void cheaper_models_get_fewer_ordinary_inputs_right() {
    int n = 200;
    int[] rightBySkill = new int[6];
    String[] bySkill = {null, "llama-3.1-8b-instant", "gpt-4.1-nano", "gpt-4o-mini", "gpt-4.1-mini", "gpt-4o"};
    for (int i = 0; i < n; i++) {
      String q = "Invoice " + i + ": what is due?";
      for (int s = 1; s <= 5; s++) {
        if (Ask.text(sim, bySkill[s], q).equals(right(q))) {
          rightBySkill[s]++;
        }
      }
    }
    assertEquals(n, rightBySkill[5]);
    double[] expected = {0, 55, 75, 87, 95};
    for (int s = 1; s <= 4; s++) {
      double share = 100.0 * rightBySkill[s] / n;
      assertTrue(Math.abs(share - expected[s]) <= 8, "skill " + s + ": " + share + " % right");
      assertTrue(rightBySkill[s] <= rightBySkill[s + 1], "skill " + s + " beat skill " + (s + 1));
    }
  }

  private static Set<String> words(String text) {
    Set<String> out = new HashSet<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}]+")) {
      if (!w.isEmpty()) {
        out.add(w);
      }
    }
    return out;
  }
}
