package dev.tokenwise.policy;

/**
 * Masks the variable parts of a prompt in one pass over its characters, since it runs on every
 * untagged request (a chain of regular expressions cost more than the rest of the request path).
 * Quoted values become {@code <q>}, e-mail addresses {@code <email>}, runs of digits with separators
 * {@code <n>} or, when they hold a date or time separator, {@code <date>}, and words that mix letters
 * and digits (ids, UUIDs, hashes, ISO timestamps) {@code <id>}. Words of letters only are kept.
 */
public final class Masker {
  /** Quoted values longer than this are text, not a value. */
  private static final int MAX_QUOTED = 200;

  private Masker() {}

  public static String mask(String text) {
    int n = text.length();
    StringBuilder out = new StringBuilder(n);
    int i = 0;
    while (i < n) {
      char c = text.charAt(i);
      if (c == '"' || c == '\'' || c == '`') {
        int close = closingQuote(text, i, c);
        if (close > 0 && (c != '\'' || i == 0 || !Character.isLetterOrDigit(text.charAt(i - 1)))) {
          out.append("<q>");
          i = close + 1;
          continue;
        }
        out.append(c);
        i++;
      } else if (isWordChar(c)) {
        int end = i;
        while (end < n && (isWordChar(text.charAt(end)) || isDigitGroupComma(text, end))) {
          end++;
        }
        int trimmed = end;
        while (trimmed > i && isTrailingPunctuation(text.charAt(trimmed - 1))) {
          trimmed--;
        }
        out.append(classify(text, i, trimmed));
        out.append(text, trimmed, end);
        i = end;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString().strip();
  }

  /** The index of the quote that closes the one at {@code open} on the same line, or -1. */
  private static int closingQuote(String text, int open, char quote) {
    int limit = Math.min(text.length(), open + 1 + MAX_QUOTED + 1);
    for (int j = open + 1; j < limit; j++) {
      char c = text.charAt(j);
      if (c == quote) {
        return j;
      }
      if (c == '\n') {
        return -1;
      }
    }
    return -1;
  }

  private static CharSequence classify(String text, int from, int to) {
    boolean letters = false;
    boolean digits = false;
    boolean dateSeparator = false;
    int at = -1;
    for (int j = from; j < to; j++) {
      char c = text.charAt(j);
      if (c >= '0' && c <= '9') {
        digits = true;
      } else if (Character.isLetter(c)) {
        letters = true;
      } else if (c == '@') {
        at = j;
      } else if (c == '-' || c == '/' || c == ':') {
        dateSeparator = true;
      }
    }
    if (at > from && text.lastIndexOf('.', to - 1) > at) {
      return "<email>";
    }
    if (!digits) {
      return text.subSequence(from, to);
    }
    if (letters) {
      return "<id>";
    }
    return dateSeparator ? "<date>" : "<n>";
  }

  private static boolean isWordChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' || c == ':' || c == '/' || c == '@'
        || c == '+';
  }

  /** A comma inside a number ({@code 1,250}) belongs to the number. */
  private static boolean isDigitGroupComma(String text, int j) {
    return text.charAt(j) == ',' && j > 0 && j + 1 < text.length() && Character.isDigit(text.charAt(j - 1))
        && Character.isDigit(text.charAt(j + 1));
  }

  private static boolean isTrailingPunctuation(char c) {
    return c == '.' || c == ':' || c == '-' || c == '/' || c == '+';
  }
}
