package dev.tokenwise.cache.semantic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the lexical gate compares of one question. Words are stems under their synonym group's name.
 *
 * @param ids identifiers as typed, lower-cased: codes, order numbers, emails, URLs, file names
 * @param tokens every lower-cased token as typed, to find an identifier the other text spells as a word
 * @param numbers the numbers, normalised ("1,000" and "one thousand" are both 1000), sorted
 * @param units canonical unit names (kg, usd, pct, h, ...)
 * @param dates day, month, time-of-day and season words, with their qualifier ("next month")
 * @param negators the negating words, in order (n't counts as not)
 * @param asks what the question asks for beyond what or how: who, where, when, why, cost, quantity, ...
 * @param froms how many times "from" stands in the text (the other end of a move is often left out)
 * @param obligation whether the text asks what one must do (must, have to, ought) rather than may do
 * @param tense "past", "future", or null when neither or both
 * @param words the content stems
 * @param names the content stems typed with a capital inside a sentence (for the refusal's wording)
 * @param surface a typed form of each stem, for the refusal's wording
 * @param sequence every token in order (content words as stems), for what stands between two anchors
 * @param anchors the content stems, numbers, units, identifiers and dates in order
 * @param anchorPositions where each anchor stands in {@code sequence}
 * @param markers for each marker word (to, from, than, ...), how many anchors came before it
 * @param markerWords the marker words, parallel to {@code markers}
 */
record Parsed(
    List<String> ids,
    Set<String> tokens,
    List<String> numbers,
    Set<String> units,
    Set<String> dates,
    List<String> negators,
    Set<String> asks,
    int froms,
    boolean obligation,
    String tense,
    Set<String> words,
    Set<String> names,
    Map<String, String> surface,
    List<String> sequence,
    List<String> anchors,
    List<Integer> anchorPositions,
    List<Integer> markers,
    List<String> markerWords) {

  private static final Set<String> ARTICLES = Set.of("a", "an", "the");

  /** The tokens between anchors {@code from} and {@code to} (positions, from before to), articles left out, sorted. */
  List<String> between(int from, int to) {
    List<String> out = new ArrayList<>();
    for (int k = anchorPositions.get(from) + 1; k < anchorPositions.get(to); k++) {
      if (!ARTICLES.contains(sequence.get(k))) {
        out.add(sequence.get(k));
      }
    }
    out.sort(null);
    return out;
  }

  /** The marker word between anchors {@code from} and {@code to} (positions, from before to), or null. */
  String markerBetween(int from, int to) {
    for (int i = 0; i < markers.size(); i++) {
      int m = markers.get(i);
      if (m > from && m <= to) {
        return markerWords.get(i);
      }
    }
    return null;
  }
}
