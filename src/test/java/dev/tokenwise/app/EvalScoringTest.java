package dev.tokenwise.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.policy.ShadowSettings;
import dev.tokenwise.server.InternalCalls;
import dev.tokenwise.server.ShadowCopy;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalScoringTest {
  private final List<JsonNode> judged = new ArrayList<>();
  private final EvalScoring scoring = new EvalScoring(null);

  private ShadowCopy copy(String pattern, String scorer, String production, String candidate, String judgeAnswer) {
    ShadowCopy.Caller caller = (model, body) -> {
      judged.add(Json.tryParse(body));
      if (judgeAnswer == null) {
        return new InternalCalls.Reply(503, "{}".getBytes(StandardCharsets.UTF_8), 0, null, null, 1, 5, null);
      }
      String answer = "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":" + Json.MAPPER.valueToTree(
          judgeAnswer) + "}}]}";
      return new InternalCalls.Reply(200, answer.getBytes(StandardCharsets.UTF_8), 7_000, model, "openai", 1, 5, null);
    };
    return new ShadowCopy("req_1", Instant.parse("2026-03-01T12:00:00Z"), pattern, Dialect.OPENAI, "gpt-4o",
        "gpt-4o-2024-08-06", new ShadowSettings("gpt-4o-mini", BigDecimal.ONE, 1_000_000, scorer), 100L, 800, 200,
        null, 10L, 10, 2_000, "user:\nClassify: my parcel is late", production, candidate, caller);
  }

  @Test
  void the_candidate_is_scored_against_the_production_answer() {
    PairScoring.Verdict same = scoring.score(copy("p", "exact", "shipping", "Shipping", null));
    assertEquals(1.0, same.value());
    assertEquals(Boolean.TRUE, same.pass());
    assertEquals("exact", same.scorer());
    assertEquals(0, same.costPicoUsd());
    PairScoring.Verdict other = scoring.score(copy("p", "exact", "shipping", "billing", null));
    assertEquals(0.0, other.value());
    assertEquals(Boolean.FALSE, other.pass());
  }

  @Test
  void without_a_scorer_it_is_chosen_from_the_first_production_answers_then_kept() {
    assertEquals("json", scoring.suggested(copy("a", null, "{\"label\":\"billing\"}", "x", null)));
    assertEquals("exact", scoring.suggested(copy("b", null, "billing", "x", null)));
    assertEquals("exact", scoring.suggested(copy("b", null, "shipping", "x", null)));
    assertEquals("similarity", scoring.suggested(copy("b", null, "Your parcel left our warehouse on Monday and"
        + " should arrive by Thursday.", "x", null)), "no longer all short labels");
    for (int i = 0; i < 2; i++) {
      scoring.suggested(copy("b", null, "billing", "x", null));
    }
    assertEquals("similarity", scoring.suggested(copy("b", null, "{\"label\":\"billing\"}", "x", null)),
        "chosen once five answers were in");
    PairScoring.Verdict json = scoring.score(copy("a", null, "{\"label\":\"billing\"}", "{\"label\": \"billing\"}",
        null));
    assertEquals("json", json.scorer());
    assertEquals(1.0, json.value());
  }

  @Test
  void a_judge_is_the_model_the_client_asked_for_and_called_as_its_client_would() {
    PairScoring.Verdict v = scoring.score(copy("p", "judge", "shipping", "shipping", "{\"a\": 5, \"b\": 5}"));
    assertEquals("judge:gpt-4o", v.scorer());
    assertEquals(1.0, v.value(), v.toString());
    assertFalse(judged.isEmpty());
    assertEquals("gpt-4o", judged.get(0).path("model").asText());
    assertEquals(7_000L * judged.size(), v.costPicoUsd(), "what the judge cost");
  }

  @Test
  void a_judge_that_fails_leaves_the_pair_unscored() {
    PairScoring.Verdict v = scoring.score(copy("p", "judge:claude-haiku-4-5", "shipping", "billing", null));
    assertNull(v.value());
    assertNull(v.pass());
    assertEquals("judge:claude-haiku-4-5", v.scorer());
    assertTrue(v.note() != null && !v.note().isEmpty(), v.toString());
    assertEquals("claude-haiku-4-5", judged.get(0).path("model").asText());
  }
}
