package dev.tokenwise.app;

import dev.tokenwise.server.ShadowBudget;
import dev.tokenwise.server.ShadowCopy;
import dev.tokenwise.server.ShadowSink;
import dev.tokenwise.store.ShadowPair;
import dev.tokenwise.store.ShadowTable;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Keeps each shadow test's pair in table {@code shadow_pairs} and scores it at once, on the copy's own
 * thread: the production answer is the reference. The answer texts are stored only with
 * {@code log.store_bodies}; the score is kept either way. What a judge's scoring cost is added to the pair
 * and to the shadow's daily spend.
 */
final class ShadowRecorder implements ShadowSink {
  /** A stored answer text is cut here, so that one huge answer cannot bloat the table. */
  static final int MAX_TEXT = 1_000_000;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ShadowTable table;
  private final ShadowBudget budget;
  private final boolean storeTexts;
  private final PairScoring scoring;

  ShadowRecorder(ShadowTable table, ShadowBudget budget, boolean storeTexts, PairScoring scoring) {
    this.table = table;
    this.budget = budget;
    this.storeTexts = storeTexts;
    this.scoring = scoring;
  }

  @Override
  public void accept(ShadowCopy c) {
    byte[] r = new byte[8];
    RANDOM.nextBytes(r);
    String id = "sh-" + HexFormat.of().formatHex(r);
    table.insert(new ShadowPair(id, c.time(), c.pattern(), c.requestId(), c.productionModel(), c.candidateModel(),
        c.productionCostPicoUsd(), c.candidateCostPicoUsd(), 0, c.spendPicoUsd(), c.productionLatencyMillis(),
        c.candidateLatencyMillis(), c.candidateStatus(), c.candidateError(), text(c.productionText()),
        text(c.candidateText()), null, null, null, null));
    if (c.candidateError() != null || c.candidateText() == null || c.productionText() == null) {
      return; // no answer to score
    }
    PairScoring.Verdict v = scoring.score(c);
    if (v == null) {
      return;
    }
    table.score(id, v.value(), v.pass(), v.scorer(), v.note(), v.costPicoUsd());
    budget.charge(c.pattern(), c.candidateModel(), c.time(), v.costPicoUsd());
  }

  private String text(String s) {
    if (!storeTexts || s == null) {
      return null;
    }
    return s.length() > MAX_TEXT ? s.substring(0, MAX_TEXT) : s;
  }
}
