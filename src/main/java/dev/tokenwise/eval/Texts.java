package dev.tokenwise.eval;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The text handling the scorers share: fence removal, the exact scorer's normal form, short quotes for notes. */
final class Texts {
  // ```lang\n…\n``` or ```…``` around the whole text; the language tag is a word such as json or text.
  private static final Pattern FENCE = Pattern.compile("\\A```[\\w+.-]*[ \\t]*\\n?(.*?)\\n?[ \\t]*```\\z", Pattern.DOTALL);
  private static final Pattern SPACE = Pattern.compile("\\s+");
  private static final String OPEN_QUOTES = "\"'`“‘«";
  private static final String CLOSE_QUOTES = "\"'`”’»";

  private Texts() {
  }

  /** The text inside a markdown code fence that wraps all of {@code s} (after trimming), else {@code s} trimmed. */
  static String unfence(String s) {
    String t = s.strip();
    Matcher m = FENCE.matcher(t);
    return m.matches() ? m.group(1).strip() : t;
  }

  /**
   * The form in which two answers count as the same: NFKC, fence removed, whitespace collapsed, case
   * folded, and surrounding quotes and a trailing period stripped (repeatedly, so {@code "Yes."} and
   * {@code "yes".} both become {@code yes}).
   */
  static String normalise(String s) {
    if (s == null) {
      return "";
    }
    String t = unfence(Normalizer.normalize(s, Normalizer.Form.NFKC));
    t = SPACE.matcher(t).replaceAll(" ").strip();
    // Upper then lower folds what lower alone misses (ß and SS, the final sigma).
    t = t.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT);
    String before;
    do {
      before = t;
      if (t.length() > 1 && t.endsWith(".") && !t.endsWith("..")) {
        t = t.substring(0, t.length() - 1).strip();
      }
      if (t.length() >= 2) {
        int q = OPEN_QUOTES.indexOf(t.charAt(0));
        if (q >= 0 && t.charAt(t.length() - 1) == CLOSE_QUOTES.charAt(q)) {
          t = t.substring(1, t.length() - 1).strip();
        }
      }
    } while (!t.equals(before));
    return t;
  }

  /** Whether a text is empty once whitespace is gone. */
  static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** The start of a text for a note, on one line: at most {@code max} characters and an ellipsis. */
  static String clip(String s, int max) {
    if (s == null) {
      return "null";
    }
    String t = SPACE.matcher(s).replaceAll(" ").strip();
    return t.length() <= max ? t : t.substring(0, max) + "…";
  }
}
