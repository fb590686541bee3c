package dev.tokenwise.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class JsonScorerTest {
  private static final String INVOICE = """
      {"vendor": "Acme Ltd", "total": 120.5, "paid": false, "currency": "EUR"}""";
  private final JsonScorer scorer = new JsonScorer();

  private Score score(String reference, String answer) {
    return scorer.score(new EvalCase("c1", "user:\nextract", reference, null), answer);
  }

  @Test
  void the_same_document_with_keys_reordered_scores_one() {
    Score s = score(INVOICE, """
        {"currency": "EUR", "paid": false, "total": 120.5, "vendor": "Acme Ltd"}""");
    assertEquals(1.0, s.value());
    assertTrue(s.pass());
    assertEquals("all 4 fields agree", s.note());
  }

  @Test
  void one_wrong_field_of_four_scores_three_quarters_and_fails() {
    Score s = score(INVOICE, """
        {"vendor": "Acme Ltd", "total": 210.5, "paid": false, "currency": "EUR"}""");
    assertEquals(0.75, s.value());
    assertFalse(s.pass());
    assertEquals("1 of 4 fields differ: total", s.note());
    assertEquals(List.of("total"), s.detail().get("differing"));
  }

  @Test
  void strings_compare_in_normal_form_and_numbers_by_value() {
    Score s = score(INVOICE, """
        {"vendor": "ACME  ltd.", "total": 120.50, "paid": false, "currency": "eur"}""");
    assertEquals(1.0, s.value(), s.note());
    assertEquals(1.0, score("{\"n\": 1}", "{\"n\": 1.0}").value());
    assertEquals(1.0, score("{\"n\": 100}", "{\"n\": 1e2}").value());
  }

  @Test
  void a_number_never_equals_its_string() {
    Score s = score("{\"n\": 1, \"ok\": true}", "{\"n\": \"1\", \"ok\": \"true\"}");
    assertEquals(0.0, s.value());
    assertEquals("2 of 2 fields differ: n, ok", s.note());
  }

  @Test
  void null_and_booleans_compare_exactly() {
    assertEquals(0.5, score("{\"a\": null, \"b\": true}", "{\"a\": \"null\", \"b\": true}").value());
    assertEquals(0.0, score("{\"a\": null}", "{\"a\": false}").value());
  }

  @Test
  void nested_arrays_compare_by_index_and_name_the_differing_paths() {
    String ref = """
        {"order": {"id": "A-17", "items": [{"sku": "X1", "qty": 2}, {"sku": "Y9", "qty": 1}]}, "tags": [["a", "b"], ["c"]]}""";
    assertEquals(1.0, score(ref, ref).value());
    Score swapped = score(ref, """
        {"order": {"id": "A-17", "items": [{"sku": "Y9", "qty": 1}, {"sku": "X1", "qty": 2}]}, "tags": [["a", "b"], ["c"]]}""");
    // Four item fields moved to the other index; the id and three tags still agree.
    assertEquals(4.0 / 8, swapped.value());
    assertEquals("4 of 8 fields differ: order.items[0].sku, order.items[0].qty, order.items[1].sku,"
        + " order.items[1].qty", swapped.note());
    Score shortList = score(ref, """
        {"order": {"id": "A-17", "items": [{"sku": "X1", "qty": 2}]}, "tags": [["a", "b"], ["c", "d"]]}""");
    // Nine paths in the union: the second item (two) and tags[1][1] (one) are on one side only.
    assertEquals(6.0 / 9, shortList.value(), 1e-12);
    assertTrue(shortList.note().contains("tags[1][1]"), shortList.note());
  }

  @Test
  void an_extra_field_lowers_the_score_and_a_missing_one_too() {
    Score extra = score(INVOICE, """
        {"vendor": "Acme Ltd", "total": 120.5, "paid": false, "currency": "EUR", "notes": "none"}""");
    assertEquals(0.8, extra.value());
    assertFalse(extra.pass());
    assertEquals("1 of 5 fields differ: notes", extra.note());
    Score missing = score(INVOICE, """
        {"vendor": "Acme Ltd", "total": 120.5, "paid": false}""");
    assertEquals(0.75, missing.value());
    assertEquals("1 of 4 fields differ: currency", missing.note());
  }

  @Test
  void an_answer_that_is_not_json_scores_zero_with_a_note() {
    for (String bad : List.of("Acme Ltd, 120.5 EUR", "Here it is: " + INVOICE, "{\"vendor\": \"Acme\"", "")) {
      Score s = score(INVOICE, bad);
      assertEquals(0.0, s.value());
      assertFalse(s.pass());
      assertTrue(s.note().startsWith("not JSON: "), s.note());
    }
  }

  @Test
  void a_fenced_answer_is_accepted() {
    Score s = score(INVOICE, "```json\n" + INVOICE + "\n```");
    assertEquals(1.0, s.value());
    assertEquals(1.0, score("```\n" + INVOICE + "\n```", INVOICE).value());
  }

  @Test
  void empty_objects_agree_and_differ_from_empty_arrays_and_filled_ones() {
    assertEquals(1.0, score("{}", "{}").value());
    assertEquals(1.0, score("{\"a\": []}", "{\"a\": []}").value());
    assertEquals(0.0, score("{}", "[]").value());
    assertEquals(0.0, score("{\"a\": {}}", "{\"a\": {\"b\": 1}}").value());
  }

  @Test
  void an_object_in_place_of_a_value_is_a_mismatch() {
    Score s = score("{\"a\": 5, \"b\": 1}", "{\"a\": {\"value\": 5}, \"b\": 1}");
    assertEquals(1.0 / 3, s.value(), 1e-12);
    assertFalse(s.pass());
  }

  @Test
  void the_note_names_at_most_five_paths() {
    Score s = score("{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7}", "{}");
    assertEquals("8 of 8 fields differ: a, b, c, d, e and 3 more", s.note());
  }

  @Test
  void odd_keys_are_quoted_in_paths() {
    Score s = score("{\"unit price\": 3, \"a.b\": 1}", "{\"unit price\": 4, \"a.b\": 2}");
    assertEquals("2 of 2 fields differ: [\"unit price\"], [\"a.b\"]", s.note());
  }

  @Test
  void a_reference_that_is_not_json_refuses_the_case() {
    Score s = score("positive", "{\"label\": \"positive\"}");
    assertFalse(s.pass());
    assertEquals(true, s.detail().get("refused"));
    assertTrue(s.note().startsWith("the reference is not JSON"), s.note());
  }
}
