package dev.tokenwise.eval;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A scorer's verdict on one candidate answer.
 *
 * @param value how good the answer is, in [0,1]
 * @param pass whether the item passes
 * @param note a short human reason, e.g. "2 of 5 fields differ: label, score"
 * @param costPicoUsd what scoring itself cost (judge calls), 0 otherwise
 * @param detail scorer-specific numbers for the stored record, in a stable order; may be empty
 */
public record Score(double value, boolean pass, String note, long costPicoUsd, Map<String, Object> detail) {

  /** Checks the range and keeps an unmodifiable copy of {@code detail} (null becomes empty). */
  public Score {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException("a score's value must lie in [0,1], was " + value);
    }
    if (costPicoUsd < 0) {
      throw new IllegalArgumentException("a score's cost cannot be negative, was " + costPicoUsd);
    }
    note = note == null ? "" : note;
    detail = detail == null || detail.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(detail));
  }

  /** A failing score of 0 with a reason and no cost. */
  static Score zero(String note) {
    return new Score(0, false, note, 0, Map.of());
  }

  /** A failing score of 0 for a case this scorer cannot grade (it lacks a reference, say), so flagged. */
  static Score refused(String note) {
    return new Score(0, false, note, 0, Map.of("refused", true));
  }
}
