package dev.tokenwise.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TextPiecesTest {

  @Test
  void an_empty_text_has_no_pieces_and_a_short_one_is_one_piece() {
    assertEquals(List.of(), TextPieces.of("", 8));
    assertEquals(List.of("Hi there"), TextPieces.of("Hi there", 8));
  }

  @Test
  void pieces_end_after_a_space_in_the_second_half_of_their_span() {
    List<String> pieces = TextPieces.of("The quick brown fox jumps over the lazy dog", 12);
    assertEquals(List.of("The quick ", "brown fox ", "jumps over ", "the lazy dog"), pieces);
  }

  @Test
  void text_without_spaces_is_cut_at_the_size() {
    assertEquals(List.of("{\"city\":", "\"Paris\"}"), TextPieces.of("{\"city\":\"Paris\"}", 8));
  }

  @Test
  void a_surrogate_pair_is_never_split_and_the_pieces_join_back_to_the_text() {
    String text = "ab😀😀😀🇫🇷 café 日本語のテキスト 👩‍👩‍👧 done";
    for (int size = 2; size < 12; size++) {
      List<String> pieces = TextPieces.of(text, size);
      assertEquals(text, String.join("", pieces));
      for (String piece : pieces) {
        assertFalse(piece.isEmpty());
        assertTrue(piece.length() <= size);
        assertFalse(Character.isHighSurrogate(piece.charAt(piece.length() - 1)), piece);
        assertFalse(Character.isLowSurrogate(piece.charAt(0)), piece);
      }
    }
  }

  @Test
  void a_size_below_two_is_refused() {
    assertThrows(IllegalArgumentException.class, () -> TextPieces.of("abc", 1));
  }
}
