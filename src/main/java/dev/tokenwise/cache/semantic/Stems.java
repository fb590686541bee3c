package dev.tokenwise.cache.semantic;

import java.util.HashMap;
import java.util.Map;

/** Reduces a word to a stem shared by its inflections and its synonyms. */
final class Stems {
  private static final Map<String, String> CANONICAL = synonyms();

  private Stems() {
  }

  /** A light stemmer: the same word in its inflections gives the same stem, which need not be a word. */
  static String stem(String w) {
    String irregular = Lexicon.IRREGULAR.get(w);
    String s = irregular != null ? irregular : w;
    if (s.length() > 4 && s.endsWith("ies")) {
      s = s.substring(0, s.length() - 3) + "i";
    } else if (s.length() > 4 && (s.endsWith("sses") || s.endsWith("shes") || s.endsWith("ches") || s.endsWith("xes"))) {
      s = s.substring(0, s.length() - 2);
    } else if (s.length() > 3 && s.endsWith("s") && !s.endsWith("ss") && !s.endsWith("us") && !s.endsWith("is")) {
      s = s.substring(0, s.length() - 1);
    }
    if (s.length() > 5 && s.endsWith("ing")) {
      s = s.substring(0, s.length() - 3);
    } else if (s.length() > 3 && s.endsWith("ed") && !s.endsWith("eed")) {
      s = s.substring(0, s.length() - 2);
    } else if (s.length() > 5 && s.endsWith("ly")) {
      s = s.substring(0, s.length() - 2);
    }
    int n = s.length();
    if (n > 3 && s.charAt(n - 1) == s.charAt(n - 2) && "aeiou".indexOf(s.charAt(n - 1)) < 0) {
      s = s.substring(0, n - 1);
    }
    if (s.length() >= 3 && s.endsWith("e")) {
      s = s.substring(0, s.length() - 1);
    } else if (s.length() >= 3 && s.endsWith("y")) {
      s = s.substring(0, s.length() - 1) + "i";
    }
    return s;
  }

  /** The stem of {@code w} under its synonym group's name. */
  static String canonical(String w) {
    String s = stem(w);
    return CANONICAL.getOrDefault(s, s);
  }

  private static Map<String, String> synonyms() {
    Map<String, String> m = new HashMap<>();
    for (String[] group : Lexicon.SYNONYMS) {
      String head = stem(group[0]);
      for (String w : group) {
        m.put(stem(w), head);
      }
    }
    return Map.copyOf(m);
  }
}
