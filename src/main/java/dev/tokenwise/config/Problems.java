package dev.tokenwise.config;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/** Collects what is wrong with a config file (errors) and what was reset (warnings), each with its line. */
final class Problems {
  private record Note(int line, String text) {}

  private final List<Note> errors = new ArrayList<>();
  private final List<Note> warnings = new ArrayList<>();

  void error(int line, String message) {
    errors.add(new Note(line, prefix(line) + message));
  }

  void warn(int line, String message) {
    warnings.add(new Note(line, prefix(line) + message));
  }

  /** The errors in file order (a stable sort, so problems on one line keep the order they were found in). */
  List<String> errors() {
    return inLineOrder(errors);
  }

  List<String> warnings() {
    return inLineOrder(warnings);
  }

  private static List<String> inLineOrder(List<Note> notes) {
    return notes.stream().sorted(Comparator.comparingInt(Note::line)).map(Note::text).toList();
  }

  private static String prefix(int line) {
    return line > 0 ? "line " + line + ": " : "";
  }

  /** The known word closest to a misspelt one, or null when none is close enough to be a typo. */
  static String closest(String word, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : known) {
      int d = distance(word.toLowerCase(java.util.Locale.ROOT), k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    int allowed = Math.max(1, Math.min(3, word.length() / 3));
    return bestDistance <= allowed ? best : null;
  }

  /** Optimal string alignment distance: edits, with a swap of neighbours counting as one. */
  private static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
