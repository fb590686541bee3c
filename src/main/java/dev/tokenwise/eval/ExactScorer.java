package dev.tokenwise.eval;

import java.util.Map;

/**
 * Equality after normalisation (see {@link Texts#normalise}): suits labels, ids, numbers and other
 * answers that have one right spelling. Scores 1 or 0.
 */
final class ExactScorer implements Scorer {

  @Override
  public String name() {
    return "exact";
  }

  @Override
  public Score score(EvalCase c, String answer) {
    if (c.reference() == null) {
      return Score.refused("no reference to compare with: the exact scorer needs one");
    }
    if (Texts.blank(answer)) {
      return Score.zero("empty answer");
    }
    String a = Texts.normalise(answer);
    String r = Texts.normalise(c.reference());
    if (a.equals(r)) {
      return new Score(1, true, "same text", 0, Map.of());
    }
    return new Score(0, false, "differs: \"" + Texts.clip(a, 40) + "\" vs expected \"" + Texts.clip(r, 40) + "\"", 0,
        Map.of());
  }
}
