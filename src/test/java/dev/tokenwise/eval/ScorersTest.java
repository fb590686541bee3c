package dev.tokenwise.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tokenwise.cache.semantic.Embedder;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class ScorersTest {
  private static final ModelClient CLIENT = (model, body) -> new ModelClient.Reply(200, "{\"a\":5,\"b\":5}", 0, 1, null);
  private final AtomicInteger embedderAsked = new AtomicInteger();
  private final Supplier<Embedder> embedder = () -> {
    embedderAsked.incrementAndGet();
    throw new AssertionError("parsing must not load the model");
  };

  private Scorer parse(String spec) {
    return Scorers.parse(spec, "default-judge", CLIENT, embedder);
  }

  @Test
  void parses_each_scorer_by_name() {
    assertInstanceOf(ExactScorer.class, parse("exact"));
    assertInstanceOf(JsonScorer.class, parse("json"));
    assertInstanceOf(SimilarityScorer.class, parse("similarity"));
    assertEquals("exact", parse(" EXACT ").name());
    assertEquals("json", parse("json").name());
    assertEquals("similarity", parse("similarity").name());
    assertEquals(0, embedderAsked.get());
  }

  @Test
  void a_bare_judge_uses_the_default_model_and_a_named_one_its_own() {
    assertEquals("judge:default-judge", parse("judge").name());
    assertEquals("judge:claude-x-1", parse("judge:claude-x-1").name());
    assertEquals("judge:openai/gpt-x:beta", parse("judge:openai/gpt-x:beta").name());
  }

  @Test
  void an_unknown_scorer_is_refused_naming_it_and_the_allowed_ones() {
    for (String bad : List.of("fuzzy", "judgement", "exact:strict", "bleu")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> parse(bad));
      assertEquals("unknown scorer \"" + bad + "\": use exact, json, similarity, judge or judge:MODEL", e.getMessage());
    }
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse(" ")).getMessage()
        .contains("exact, json, similarity, judge or judge:MODEL"));
    assertThrows(IllegalArgumentException.class, () -> parse(null));
  }

  @Test
  void a_judge_without_a_model_is_refused() {
    IllegalArgumentException noModel = assertThrows(IllegalArgumentException.class, () -> parse("judge:"));
    assertEquals("scorer \"judge:\" names no model: use judge:MODEL", noModel.getMessage());
    IllegalArgumentException noDefault = assertThrows(IllegalArgumentException.class,
        () -> Scorers.parse("judge", null, CLIENT, embedder));
    assertTrue(noDefault.getMessage().contains("judge:MODEL"), noDefault.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Scorers.parse("judge:m", null, null, embedder));
    assertThrows(IllegalArgumentException.class, () -> Scorers.parse("similarity", null, null, null));
  }

  @Test
  void suggests_json_when_every_reference_is_a_json_document() {
    assertEquals("json", Scorers.suggest(List.of("{\"label\": \"spam\"}", "```json\n[1, 2]\n```", "{}")));
    assertEquals("similarity", Scorers.suggest(List.of("{\"label\": \"spam\"}",
        "The message looks like spam because it asks for a password.")));
  }

  @Test
  void a_json_scalar_is_not_a_document() {
    assertEquals("exact", Scorers.suggest(List.of("42", "\"spam\"", "true")));
  }

  @Test
  void suggests_exact_for_short_labels() {
    assertEquals("exact", Scorers.suggest(List.of("positive", "negative", "Not sure", "Billing / refunds")));
    assertEquals("exact", Scorers.suggest(List.of("one two three four five")));
    assertEquals("similarity", Scorers.suggest(List.of("positive", "one two three four five six")));
    assertEquals("similarity", Scorers.suggest(List.of("positive", "a".repeat(41))));
  }

  @Test
  void suggests_similarity_for_prose() {
    assertEquals("similarity", Scorers.suggest(List.of(
        "To reset your password, open the login page and click Forgot password.",
        "Refunds take 5 to 7 business days.")));
  }

  @Test
  void missing_references_are_left_out_and_none_at_all_suggests_the_judge() {
    assertEquals("exact", Scorers.suggest(Arrays.asList("positive", null, " ")));
    assertEquals("judge", Scorers.suggest(Arrays.asList(null, "")));
    assertEquals("judge", Scorers.suggest(List.of()));
  }
}
