package dev.tokenwise.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JsonEndTest {

  /** Feeds the pieces in order; the offset in the whole text where the value ended, or -1. */
  private static int end(String... pieces) {
    JsonEnd scanner = new JsonEnd();
    int offset = 0;
    for (String p : pieces) {
      int at = scanner.feed(p);
      if (at >= 0) {
        return offset + at;
      }
      offset += p.length();
    }
    return -1;
  }

  @Test
  void an_object_ends_at_its_closing_brace() {
    assertEquals(16, end("{\"label\":\"late\"} and more"));
  }

  @Test
  void an_array_fed_in_pieces_ends_in_the_piece_that_closes_it() {
    JsonEnd scanner = new JsonEnd();
    assertEquals(-1, scanner.feed("[1, "));
    assertEquals(-1, scanner.feed("2, [3"));
    assertEquals(2, scanner.feed("]] trailing"));
    assertTrue(scanner.complete());
    assertEquals(-1, scanner.feed("{}"), "nothing after the end");
  }

  @Test
  void nested_values_end_when_the_outer_one_closes() {
    String json = "{\"a\":{\"b\":[1,{\"c\":[]}]},\"d\":[[]]}";
    assertEquals(json.length(), end(json + "\nExplanation: ..."));
  }

  @Test
  void braces_and_escaped_quotes_inside_strings_do_not_count() {
    String json = "{\"text\":\"a } or ] and \\\"{\\\" inside\",\"path\":\"C:\\\\\"}";
    assertEquals(json.length(), end(json.substring(0, 12), json.substring(12, 30), json.substring(30) + " tail"));
  }

  @Test
  void an_escape_split_across_pieces_is_still_an_escape() {
    assertEquals(-1, end("{\"q\":\"x\\", "\"}"));
    assertEquals(10, end("{\"q\":\"\\", "\\\"}"));
  }

  @Test
  void leading_whitespace_is_allowed() {
    assertEquals(5, end(" \n\t", "{}", " rest"));
  }

  @Test
  void text_that_is_not_json_makes_it_give_up() {
    JsonEnd scanner = new JsonEnd();
    assertEquals(-1, scanner.feed("Sure! {\"label\":\"late\"}"));
    assertTrue(scanner.gaveUp());
    assertEquals(-1, scanner.feed("{}"));
    assertEquals(-1, end("\"just a string\"", "{}"));
    assertEquals(-1, end("42 {}"));
  }

  @Test
  void an_unfinished_value_has_no_end() {
    JsonEnd scanner = new JsonEnd();
    assertEquals(-1, scanner.feed("{\"a\":[1,2"));
    assertFalse(scanner.complete());
    assertFalse(scanner.gaveUp());
  }
}
