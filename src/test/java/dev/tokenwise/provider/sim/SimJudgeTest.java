package dev.tokenwise.provider.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The simulated judge: grading requests in both dialects, its grades and its position bias. */
class SimJudgeTest {
  private static final String SYSTEM = "You compare two answers to the same input. Grade each from 1"
      + " (wrong) to 5 (as good as it gets). Reply with JSON only.";

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

  /** The grading prompt in the shape the product's judge sends. */
  private static String prompt(String input, String rubric, String a, String b) {
    return "<input>\n" + input + "\n</input>\n"
        + (rubric == null ? "" : "<rubric>\n" + rubric + "\n</rubric>\n")
        + "<answer_a>\n" + a + "\n</answer_a>\n<answer_b>\n" + b + "\n</answer_b>\n"
        + "Reply with a JSON object {\"a\": <1-5>, \"b\": <1-5>, \"reason\": \"<short>\"}.";
  }

  private static JsonNode judge(String model, String a, String b) {
    Ask.Reply r = Ask.openAi(sim, Ask.openAiBody(model, SYSTEM, prompt("Summarise the ticket", null, a, b), null));
    return parse(r.text());
  }

  private static int[] grades(JsonNode verdict) {
    return new int[] {verdict.path("a").asInt(), verdict.path("b").asInt()};
  }

  @Test
  void the_reply_is_a_bare_json_object_with_two_grades_and_a_reason_counted_as_usual() {
    String q = "Summarise the ticket";
    String right = Answer.sentences(Tokens.hash(q));
    Ask.Reply r = Ask.openAi(sim, Ask.openAiBody("gpt-4o", SYSTEM, prompt(q, "Be strict.", right, right), null));
    assertTrue(r.text().startsWith("{") && r.text().endsWith("}"), "no code fences: " + r.text());
    JsonNode v = parse(r.text());
    List<String> fields = new ArrayList<>();
    v.fieldNames().forEachRemaining(fields::add);
    assertEquals(List.of("a", "b", "reason"), fields);
    assertTrue(v.get("a").isInt() && v.get("b").isInt() && v.get("reason").isTextual(), r.text());
    assertEquals(Tokens.count(r.text()), r.outputTokens());
    assertEquals(r, Ask.openAiStream(sim, Ask.openAiBody("gpt-4o", SYSTEM, prompt(q, "Be strict.", right, right),
        null)));
  }

  @Test
  void identical_answers_get_5_each_and_two_different_wrong_ones_1_each_before_the_bias() {
    String right = Answer.sentences(Tokens.hash("x"));
    int[] same = grades(judge("gpt-4o", right, "  " + right + "\n"));
    assertEquals(List.of(5, 5), List.of(same[0], same[1]));
    int[] bothWrong = grades(judge("gpt-4o", "orbit violin", "harbour tide"));
    assertEquals(List.of(2, 1), List.of(bothWrong[0], bothWrong[1]), "two wrong answers: 1 each, plus the bias");
  }

  @Test
  void a_wrong_free_text_answer_gets_a_low_grade_in_either_position() {
    sim.on(Rule.ANY_MODEL).matching("HARD").difficulty(5);
    String q = "HARD: explain the refund";
    String right = Ask.text(sim, "gpt-4o", q);
    String wrong = Ask.text(sim, "gpt-4o-mini", q);
    int[] rightFirst = grades(judge("gpt-4o", right, wrong));
    int[] wrongFirst = grades(judge("gpt-4o", wrong, right));
    assertEquals(5, rightFirst[0]);
    assertEquals(1, rightFirst[1]);
    assertEquals(2, wrongFirst[0], "position a gets one more");
    assertEquals(5, wrongFirst[1]);
  }

  @Test
  void position_bias_favours_answer_a_in_one_order_and_cancels_over_both() {
    // Two different labels: nothing tells the judge which is right.
    int[] travelFirst = grades(judge("gpt-4o", "travel", "meals"));
    int[] mealsFirst = grades(judge("gpt-4o", "meals", "travel"));
    assertTrue(travelFirst[0] > travelFirst[1], "in one order the first answer wins");
    assertTrue(mealsFirst[0] > mealsFirst[1], "and in the other order the other answer wins");
    double travel = (travelFirst[0] + mealsFirst[1]) / 2.0;
    double meals = (travelFirst[1] + mealsFirst[0]) / 2.0;
    assertEquals(travel, meals, "asked both ways, neither label is preferred");
    assertEquals(List.of(5, 2), List.of(travelFirst[0], travelFirst[1]));
  }

  @Test
  void a_json_answer_with_some_wrong_strings_gets_partial_credit() {
    String right = "{\"vendor\":\"the gateway\",\"city\":\"cache reads\",\"paid\":true}";
    String half = "{\"vendor\":\"orbit violin\",\"city\":\"cache reads\",\"paid\":false}";
    String none = "{\"vendor\":\"orbit violin\",\"city\":\"harbour tide\",\"paid\":false}";
    int[] partial = grades(judge("gpt-4o", right, half));
    assertEquals(List.of(5, 3), List.of(partial[0], partial[1]));
    assertEquals(1, grades(judge("gpt-4o", right, none))[1]);
    assertEquals(1, Judge.onTopic(none));
    assertEquals(3, Judge.onTopic(half));
    assertEquals(5, Judge.onTopic(right));
    assertEquals(5, Judge.onTopic("{\"category\":\"meals\",\"lines\":3}"), "no off-topic word: nothing seen wrong");
  }

  @Test
  void the_judges_own_skill_and_the_inputs_difficulty_play_no_part() {
    sim.on(Rule.ANY_MODEL).difficulty(5);
    String right = Answer.sentences(Tokens.hash("a"));
    String wrong = WrongAnswer.text(Tokens.hash("a"), 42);
    JsonNode strong = judge("gpt-5.5", right, wrong);
    JsonNode weak = judge("llama-3.1-8b-instant", right, wrong);
    assertEquals(strong, weak);
    assertEquals(List.of(5, 1), List.of(grades(weak)[0], grades(weak)[1]));
  }

  @Test
  void the_judge_answers_in_the_anthropic_dialect_too_streamed_or_whole() {
    String right = Answer.sentences(Tokens.hash("b"));
    String wrong = WrongAnswer.text(Tokens.hash("b"), 7);
    var body = Ask.anthropicBody("claude-haiku-4-5", SYSTEM, prompt("Summarise", null, wrong, right), null);
    Ask.Reply whole = Ask.anthropic(sim, body);
    assertEquals(whole, Ask.anthropicStream(sim, body));
    assertEquals(Tokens.count(whole.text()), whole.outputTokens());
    JsonNode v = parse(whole.text());
    assertEquals(2, v.path("a").asInt());
    assertEquals(5, v.path("b").asInt());
  }

  @Test
  void a_message_without_both_answer_blocks_is_no_grading_request_and_a_scripted_reply_still_wins() {
    String half = "<input>\nq\n</input>\n<answer_a>\nthe gateway\n</answer_a>";
    String text = Ask.text(sim, "gpt-4o", half);
    assertEquals(Answer.sentences(Tokens.hash(half)), text);
    assertFalse(text.startsWith("{"));
    sim.on("gpt-4o").reply("{\"a\":1,\"b\":1,\"reason\":\"scripted\"}");
    assertEquals("scripted", judge("gpt-4o", "x", "y").path("reason").asText());
  }

  private static JsonNode parse(String text) {
    JsonNode n = Json.tryParse(text.getBytes(StandardCharsets.UTF_8));
    assertNotNull(n, "not JSON: " + text);
    return n;
  }
}
