package dev.tokenwise.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExactScorerTest {
  private final ExactScorer scorer = new ExactScorer();

  private Score score(String reference, String answer) {
    return scorer.score(new EvalCase("c1", "user:\nclassify", reference, null), answer);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
      "positive | Positive",
      "positive | '  POSITIVE  '",
      "positive | positive.",
      "positive | \"positive\"",
      "positive | “Positive”.",
      "positive | ~'positive'~",
      "positive | ~```\npositive\n```~",
      "positive | ~```text\n  Positive.\n```~",
      "New York | new   york",
      "New York | ~new\n\tyork~",
      "straße | STRASSE",
      "ﬁle 42 | file 42",
      "１２ | 12"})
  void variants_of_case_space_quotes_fences_and_width_match(String reference, String answer) {
    Score s = score(reference, answer);
    assertEquals(1.0, s.value(), s.note());
    assertTrue(s.pass());
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "positive | negative",
      "12 | 21",
      "12 | 12.5",
      "yes | yes, probably",
      "New York | New Jersey",
      "positive | not positive"})
  void different_answers_do_not_match(String reference, String answer) {
    Score s = score(reference, answer);
    assertEquals(0.0, s.value());
    assertFalse(s.pass());
    assertTrue(s.note().startsWith("differs: "), s.note());
  }

  @Test
  void an_empty_answer_scores_zero_with_a_note() {
    for (String empty : new String[] {"", "   \n", null}) {
      Score s = score("positive", empty);
      assertEquals(0.0, s.value());
      assertFalse(s.pass());
      assertEquals("empty answer", s.note());
    }
  }

  @Test
  void an_empty_fence_does_not_match_a_label() {
    assertFalse(score("positive", "```\n```").pass());
  }

  @Test
  void a_case_without_reference_is_refused_not_failed_silently() {
    Score s = score(null, "positive");
    assertFalse(s.pass());
    assertEquals(true, s.detail().get("refused"));
    assertTrue(s.note().contains("no reference"), s.note());
  }

  @Test
  void the_note_shows_both_normalised_sides() {
    assertEquals("differs: \"negative\" vs expected \"positive\"", score("Positive.", "NEGATIVE").note());
  }

  @Test
  void normalising_strips_only_one_layer_of_meaningful_punctuation() {
    assertEquals("wait...", Texts.normalise("Wait..."));
    assertEquals("3.5", Texts.normalise("3.5"));
    assertEquals("it's", Texts.normalise("'It's'."));
  }
}
