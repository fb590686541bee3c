package dev.tokenwise.core;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a text into the small pieces a synthesised stream sends one event at a time, the way a
 * provider sends a few tokens at a time. A piece ends after a whitespace character when one is in the
 * second half of its span, and never between the two halves of a surrogate pair, so that each piece
 * is well-formed UTF-16 on its own and serialises to valid UTF-8.
 */
public final class TextPieces {
  private TextPieces() {}

  /**
   * The pieces of a text in order; joined they give the text back. An empty text has no pieces.
   *
   * @param size the longest piece, in UTF-16 units; at least 2
   */
  public static List<String> of(String text, int size) {
    if (size < 2) {
      throw new IllegalArgumentException("a piece must hold at least 2 chars, got " + size);
    }
    List<String> pieces = new ArrayList<>(text.length() / size + 1);
    int start = 0;
    while (text.length() - start > size) {
      int cut = start + size;
      for (int i = cut; i > start + size / 2; i--) {
        if (Character.isWhitespace(text.charAt(i - 1))) {
          cut = i;
          break;
        }
      }
      if (Character.isHighSurrogate(text.charAt(cut - 1)) && Character.isLowSurrogate(text.charAt(cut))) {
        cut--;
      }
      pieces.add(text.substring(start, cut));
      start = cut;
    }
    if (start < text.length()) {
      pieces.add(text.substring(start));
    }
    return pieces;
  }
}
