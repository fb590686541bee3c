package dev.tokenwise.audit;

import java.util.List;
import java.util.Map;

/**
 * What one rule found in one pattern's calls: a saving it could make, with the arithmetic that gives the
 * figure and the counts behind it, so that a reader can redo it from the log.
 *
 * @param rule the rule's id ({@code cache-exact}, {@code cap}, …)
 * @param pattern the pattern
 * @param title one line, e.g. "36.2 % of calls repeat an earlier call exactly"
 * @param monthlySavingPicoUsd what it would save in a month at this period's volume, 0 when it saves
 *     nothing countable (a note)
 * @param arithmetic the steps from logged figures to the saving, one line each, in words and numbers
 * @param evidence the counts and figures behind the arithmetic, by name, for the JSON report (numbers,
 *     strings or lists of them)
 * @param recommendation what to change, or null when the finding is a note
 * @param status {@code needs eval} for a model swap no sweep has proven, else null; the audit adds
 *     {@code applied} when the config already carries the recommendation
 */
public record Finding(
    String rule,
    String pattern,
    String title,
    long monthlySavingPicoUsd,
    List<String> arithmetic,
    Map<String, Object> evidence,
    Recommendation recommendation,
    String status) {

  public Finding {
    arithmetic = List.copyOf(arithmetic);
    evidence = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(evidence));
  }

  /** The same finding with another status. */
  public Finding withStatus(String s) {
    return new Finding(rule, pattern, title, monthlySavingPicoUsd, arithmetic, evidence, recommendation, s);
  }
}
