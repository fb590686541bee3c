package dev.tokenwise.audit.rules;

/**
 * Shows where two prompt heads of one template part: the differing words of each, after the word before
 * them, so that a reader sees which value (a date, an id) is filled in on each call.
 */
final class HeadDiff {
  private static final int MAX_PART = 48;

  private HeadDiff() {}

  /** "“…Now: 2026-11-02T10:00Z…” in one call, “…Now: 2026-11-02T10:01Z…” in another". */
  static String describe(String a, String b) {
    int max = Math.min(a.length(), b.length());
    int start = 0;
    while (start < max && a.charAt(start) == b.charAt(start)) {
      start++;
    }
    int same = 0; // the common tail, not reaching into the common head
    while (same < max - start && a.charAt(a.length() - 1 - same) == b.charAt(b.length() - 1 - same)) {
      same++;
    }
    while (start > 0 && !Character.isWhitespace(a.charAt(start - 1))) {
      start--; // back to the start of the word that differs
    }
    int from = start;
    while (from > 0 && Character.isWhitespace(a.charAt(from - 1))) {
      from--;
    }
    while (from > 0 && !Character.isWhitespace(a.charAt(from - 1))) {
      from--; // and the word before it
    }
    return quote(a, from, start, wordEnd(a, a.length() - same)) + " in one call, "
        + quote(b, from, start, wordEnd(b, b.length() - same)) + " in another";
  }

  private static int wordEnd(String s, int at) {
    while (at < s.length() && !Character.isWhitespace(s.charAt(at))) {
      at++;
    }
    return at;
  }

  private static String quote(String s, int from, int start, int stop) {
    String part = s.substring(start, Math.max(start, stop));
    if (part.length() > MAX_PART) {
      part = part.substring(0, MAX_PART) + "…";
    }
    String text = (from > 0 ? "…" : "") + s.substring(from, start) + part + (stop < s.length() ? "…" : "");
    return "“" + text.replaceAll("\\s+", " ") + "”";
  }
}
