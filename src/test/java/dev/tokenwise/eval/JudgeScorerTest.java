package dev.tokenwise.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class JudgeScorerTest {
  private static final String INPUT = "system:\nAnswer briefly.\n\nuser:\nWhat is the boiling point of water at sea level?";
  private static final String REFERENCE = "100 °C (212 °F).";
  private static final String GOOD = "Water boils at 100 degrees Celsius at sea level.";
  private static final String WRONG = "Water boils at 90 degrees Celsius.";
  private static final String PARTLY = "About 100 degrees.";

  /**
   * A grader that knows each answer's true grade and, like real judges, leans to the answer it reads
   * first: answer a gets one point more (at most 5). Replies can be scripted instead; calls are recorded.
   */
  private static final class LeaningJudge implements ModelClient {
    private static final Pattern A = Pattern.compile("<answer_a>\n(.*?)\n</answer_a>", Pattern.DOTALL);
    private static final Pattern B = Pattern.compile("<answer_b>\n(.*?)\n</answer_b>", Pattern.DOTALL);
    final Map<String, Integer> truth;
    final List<ObjectNode> bodies = new ArrayList<>();
    final List<String> models = new ArrayList<>();
    final Deque<Reply> scripted = new ArrayDeque<>();
    long cost = 1_000_000;

    LeaningJudge(Map<String, Integer> truth) {
      this.truth = truth;
    }

    @Override
    public Reply chat(String model, ObjectNode body) {
      models.add(model);
      bodies.add(body.deepCopy());
      if (!scripted.isEmpty()) {
        return scripted.poll();
      }
      String user = body.get("messages").get(1).get("content").asText();
      int a = Math.min(5, grade(A, user) + 1);
      Matcher b = B.matcher(user);
      String reply = b.find()
          ? "{\"a\": " + a + ", \"b\": " + grade(B, user) + ", \"reason\": \"a is fine\"}"
          : "{\"a\": " + a + ", \"reason\": \"graded alone\"}";
      return new Reply(200, reply, cost, 300, null);
    }

    private int grade(Pattern p, String user) {
      Matcher m = p.matcher(user);
      if (!m.find()) {
        throw new AssertionError("no answer block in: " + user);
      }
      return truth.get(m.group(1));
    }
  }

  private static LeaningJudge judge() {
    return new LeaningJudge(Map.of(REFERENCE, 4, GOOD, 4, WRONG, 1, PARTLY, 3));
  }

  private static EvalCase withReference(String rubric) {
    return new EvalCase("c1", INPUT, REFERENCE, rubric);
  }

  @Test
  void the_two_orders_cancel_the_judges_lean_to_answer_a() {
    LeaningJudge client = judge();
    Score s = new JudgeScorer("judge-model", client).score(withReference(null), GOOD);
    // Alone, the first order would say 5 against 4; both orders together say the answers are equal.
    assertEquals(4.5, s.detail().get("grade_candidate"));
    assertEquals(4.5, s.detail().get("grade_reference"));
    assertEquals(List.of(List.of(5.0, 4.0), List.of(4.0, 5.0)), s.detail().get("orders"));
    assertEquals(0.875, s.value());
    assertTrue(s.pass());
    assertEquals("candidate 4.5/5, reference 4.5/5: a is fine", s.note());
    assertEquals(2, client.bodies.size());
  }

  @Test
  void a_worse_answer_keeps_its_true_distance_below_the_reference() {
    Score s = new JudgeScorer("judge-model", judge()).score(withReference(null), PARTLY);
    assertEquals(3.5, s.detail().get("grade_candidate"));
    assertEquals(4.5, s.detail().get("grade_reference"));
    assertFalse(s.pass());
  }

  @Test
  void a_wrong_answer_fails() {
    Score s = new JudgeScorer("judge-model", judge()).score(withReference(null), WRONG);
    assertEquals(1.5, s.detail().get("grade_candidate"));
    assertEquals(0.125, s.value());
    assertFalse(s.pass());
    assertNull(s.detail().get("judge_failed"));
  }

  @Test
  void the_client_receives_the_prompt_in_the_agreed_shape_in_both_orders() {
    LeaningJudge client = judge();
    new JudgeScorer("judge-model", client).score(withReference("Celsius is required."), GOOD);
    assertEquals(List.of("judge-model", "judge-model"), client.models);
    ObjectNode first = client.bodies.get(0);
    assertEquals(List.of("model", "temperature", "max_tokens", "response_format", "messages"), names(first));
    assertEquals("judge-model", first.get("model").asText());
    assertEquals(0, first.get("temperature").asInt());
    assertTrue(first.get("temperature").isIntegralNumber());
    assertEquals(200, first.get("max_tokens").asInt());
    assertEquals("{\"type\":\"json_object\"}", Json.string(first.get("response_format")));
    JsonNode messages = first.get("messages");
    assertEquals(2, messages.size());
    assertEquals("system", messages.get(0).get("role").asText());
    String system = messages.get(0).get("content").asText();
    assertTrue(system.contains("{\"a\": <grade of answer a>, \"b\": <grade of answer b>, \"reason\""), system);
    assertTrue(system.contains("1 to 5") && system.contains("rubric") && system.contains("first"), system);
    assertEquals("user", messages.get(1).get("role").asText());
    assertEquals("""
        <input>
        system:
        Answer briefly.

        user:
        What is the boiling point of water at sea level?
        </input>
        <rubric>
        Celsius is required.
        </rubric>
        <answer_a>
        Water boils at 100 degrees Celsius at sea level.
        </answer_a>
        <answer_b>
        100 °C (212 °F).
        </answer_b>""", messages.get(1).get("content").asText());
    assertEquals("""
        <input>
        system:
        Answer briefly.

        user:
        What is the boiling point of water at sea level?
        </input>
        <rubric>
        Celsius is required.
        </rubric>
        <answer_a>
        100 °C (212 °F).
        </answer_a>
        <answer_b>
        Water boils at 100 degrees Celsius at sea level.
        </answer_b>""", client.bodies.get(1).get("messages").get(1).get("content").asText());
    assertEquals(system, client.bodies.get(1).get("messages").get(0).get("content").asText());
  }

  @Test
  void without_a_rubric_the_prompt_has_no_rubric_block() {
    LeaningJudge client = judge();
    new JudgeScorer("judge-model", client).score(withReference(null), GOOD);
    String user = client.bodies.get(0).get("messages").get(1).get("content").asText();
    assertFalse(user.contains("<rubric>"), user);
    assertTrue(user.startsWith("<input>\nsystem:\n") && user.contains("</input>\n<answer_a>\n"), user);
  }

  @Test
  void a_rubric_without_reference_grades_the_candidate_alone_in_one_call() {
    LeaningJudge client = judge();
    EvalCase c = new EvalCase("c2", INPUT, null, "Must give the answer in Celsius.");
    Score s = new JudgeScorer("judge-model", client).score(c, PARTLY);
    assertEquals(1, client.bodies.size());
    String user = client.bodies.get(0).get("messages").get(1).get("content").asText();
    assertEquals("<input>\n" + INPUT + "\n</input>\n<rubric>\nMust give the answer in Celsius.\n</rubric>\n"
        + "<answer_a>\nAbout 100 degrees.\n</answer_a>", user);
    String system = client.bodies.get(0).get("messages").get(0).get("content").asText();
    assertTrue(system.contains("{\"a\": <grade of answer a>, \"reason\""), system);
    assertFalse(system.contains("\"b\""), system);
    // The lone answer is read first, so it gets the lean: 3 + 1.
    assertEquals(4.0, s.detail().get("grade_candidate"));
    assertEquals("pointwise", s.detail().get("mode"));
    assertTrue(s.pass());
  }

  @Test
  void a_case_with_neither_reference_nor_rubric_is_refused_without_a_call() {
    LeaningJudge client = judge();
    Score s = new JudgeScorer("judge-model", client).score(new EvalCase("c3", INPUT, null, null), GOOD);
    assertFalse(s.pass());
    assertEquals(true, s.detail().get("refused"));
    assertTrue(s.note().contains("no reference and no rubric"), s.note());
    assertEquals(List.of(), client.bodies);
  }

  @Test
  void an_empty_answer_scores_zero_without_a_call() {
    LeaningJudge client = judge();
    Score s = new JudgeScorer("judge-model", client).score(withReference(null), "  ");
    assertEquals(0.0, s.value());
    assertEquals("empty answer", s.note());
    assertEquals(List.of(), client.bodies);
  }

  @Test
  void a_failing_call_scores_zero_as_a_judge_failure_and_stops() {
    LeaningJudge client = judge();
    client.scripted.add(new ModelClient.Reply(503, null, -1, 20, "upstream overloaded"));
    Score s = new JudgeScorer("judge-model", client).score(withReference(null), GOOD);
    assertEquals(0.0, s.value());
    assertFalse(s.pass());
    assertEquals("judge call failed: HTTP 503: upstream overloaded", s.note());
    assertEquals(true, s.detail().get("judge_failed"));
    assertEquals(1, client.bodies.size());
  }

  @Test
  void a_second_call_that_fails_keeps_the_first_calls_cost() {
    LeaningJudge client = judge();
    client.scripted.add(new ModelClient.Reply(200, "{\"a\": 4, \"b\": 4}", 700, 10, null));
    client.scripted.add(new ModelClient.Reply(0, null, -1, 30_000, "timed out after 30 s"));
    Score s = new JudgeScorer("judge-model", client).score(withReference(null), GOOD);
    assertEquals("judge call failed: no answer: timed out after 30 s", s.note());
    assertEquals(true, s.detail().get("judge_failed"));
    assertEquals(700, s.costPicoUsd());
    assertEquals(true, s.detail().get("cost_unknown"));
  }

  @Test
  void a_client_that_throws_is_a_judge_failure_too() {
    ModelClient broken = (model, body) -> {
      throw new IllegalStateException("no route for judge-model");
    };
    Score s = new JudgeScorer("judge-model", broken).score(withReference(null), GOOD);
    assertEquals(true, s.detail().get("judge_failed"));
    assertTrue(s.note().startsWith("judge call failed: ") && s.note().contains("no route"), s.note());
  }

  @Test
  void unreadable_replies_score_zero_with_a_note_naming_what_came_back() {
    Map<String, String> replies = Map.of(
        "I prefer answer a.", "no JSON object",
        "{\"a\": 7, \"b\": 3}", "\"a\" is 7, outside 1 to 5",
        "{\"a\": 0, \"b\": 3}", "\"a\" is 0, outside 1 to 5",
        "{\"a\": \"good\", \"b\": 3}", "\"a\" is not a number",
        "{\"a\": 4}", "no grade \"b\"",
        "{\"a\": [4], \"b\": 3}", "\"a\" is an array",
        "", "no text");
    for (Map.Entry<String, String> r : replies.entrySet()) {
      LeaningJudge client = judge();
      client.scripted.add(new ModelClient.Reply(200, r.getKey(), 500, 10, null));
      Score s = new JudgeScorer("judge-model", client).score(withReference(null), GOOD);
      assertEquals(0.0, s.value(), r.getKey());
      assertFalse(s.pass());
      assertTrue(s.note().startsWith("judge reply unreadable: ") && s.note().contains(r.getValue()),
          r.getKey() + " -> " + s.note());
      assertEquals(true, s.detail().get("judge_failed"));
      assertEquals(500, s.costPicoUsd());
    }
  }

  @Test
  void replies_are_read_leniently() {
    for (String reply : List.of(
        "```json\n{\"a\": 4, \"b\": 5, \"reason\": \"ok\"}\n```",
        "Here are my grades: {\"a\": 4, \"b\": 5, \"reason\": \"ok\"} Hope this helps.",
        "{\"A\": \"4\", \"B\": 5.0, \"reason\": \"ok\"}",
        "{\"answer_a\": 4, \"answer_b\": 5}")) {
      LeaningJudge client = judge();
      client.scripted.add(new ModelClient.Reply(200, reply, 10, 1, null));
      client.scripted.add(new ModelClient.Reply(200, reply, 10, 1, null));
      Score s = new JudgeScorer("judge-model", client).score(withReference(null), GOOD);
      assertEquals(4.5, s.detail().get("grade_candidate"), reply);
      assertEquals(4.5, s.detail().get("grade_reference"), reply);
    }
  }

  @Test
  void cost_is_the_sum_of_both_calls_and_unknown_costs_count_zero_and_say_so() {
    LeaningJudge client = judge();
    Score known = new JudgeScorer("judge-model", client).score(withReference(null), GOOD);
    assertEquals(2_000_000, known.costPicoUsd());
    assertNull(known.detail().get("cost_unknown"));
    client.scripted.add(new ModelClient.Reply(200, "{\"a\": 5, \"b\": 4}", -1, 1, null));
    client.scripted.add(new ModelClient.Reply(200, "{\"a\": 5, \"b\": 4}", 300, 1, null));
    Score partly = new JudgeScorer("judge-model", client).score(withReference(null), GOOD);
    assertEquals(300, partly.costPicoUsd());
    assertEquals(true, partly.detail().get("cost_unknown"));
  }

  @Test
  void its_name_carries_the_model() {
    assertEquals("judge:gpt-x", new JudgeScorer("gpt-x", judge()).name());
  }

  private static List<String> names(ObjectNode o) {
    List<String> names = new ArrayList<>();
    o.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
