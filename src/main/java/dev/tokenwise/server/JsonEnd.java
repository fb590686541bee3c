package dev.tokenwise.server;

/**
 * Tells, from an answer's text fed piece by piece, where its top-level JSON object or array ends.
 *
 * <p>Design note: only what can end the value is tracked (nesting depth outside strings, and string
 * escapes), so a malformed value is never rejected here, only its end looked for. Text that does not
 * open with {@code {} or {@code [} after leading whitespace is not a JSON answer: the scanner gives up
 * and never reports an end.
 */
final class JsonEnd {
  private int depth;
  private boolean started;
  private boolean inString;
  private boolean escaped;
  private boolean gaveUp;
  private boolean complete;

  /**
   * Reads the next piece of the text.
   *
   * @return the index in {@code piece} just after the value's closing brace or bracket, when the value
   *     ends in this piece; else -1 (also once it ended or the scanner gave up)
   */
  int feed(String piece) {
    if (gaveUp || complete) {
      return -1;
    }
    for (int i = 0; i < piece.length(); i++) {
      char c = piece.charAt(i);
      if (!started) {
        if (Character.isWhitespace(c)) {
          continue;
        }
        if (c != '{' && c != '[') {
          gaveUp = true;
          return -1;
        }
        started = true;
        depth = 1;
        continue;
      }
      if (inString) {
        if (escaped) {
          escaped = false;
        } else if (c == '\\') {
          escaped = true;
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      switch (c) {
        case '"' -> inString = true;
        case '{', '[' -> depth++;
        case '}', ']' -> {
          if (--depth == 0) {
            complete = true;
            return i + 1;
          }
        }
        default -> { }
      }
    }
    return -1;
  }

  /** Whether the text is not a JSON object or array, so no end will be reported. */
  boolean gaveUp() {
    return gaveUp;
  }

  /** Whether the value has ended. */
  boolean complete() {
    return complete;
  }
}
