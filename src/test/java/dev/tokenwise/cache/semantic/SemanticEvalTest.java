package dev.tokenwise.cache.semantic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real model on the labelled pairs: at the default threshold no near-miss may be served, and at
 * least a floor of the paraphrases must be. Measured when the floors were set, at 0.90: 76.1% (121 of
 * 159) of pairs.tsv, 62.5% (25 of 40) of holdout.tsv; each floor sits a few points below so that a
 * small change in the model's rounding does not fail the build. The gate's word lists were written
 * while reading pairs.tsv, so its figure flatters; holdout.tsv was written afterwards and says more
 * about questions the gate has not seen. Prints the sweep of both.
 */
class SemanticEvalTest {
  static final double PARAPHRASE_FLOOR = 0.72;
  static final double HOLDOUT_PARAPHRASE_FLOOR = 0.55;

  private static MiniLmEmbedder embedder;
  private static List<EvalPairs.Scored> pairs;
  private static List<EvalPairs.Scored> holdout;

  @BeforeAll
  static void score() {
    embedder = new MiniLmEmbedder();
    pairs = EvalPairs.score(EvalPairs.load(), embedder);
    holdout = EvalPairs.score(EvalPairs.load("holdout.tsv"), embedder);
  }

  @AfterAll
  static void close() {
    embedder.close();
  }

  @Test
  void the_set_is_large_and_mixed_enough() {
    long same = pairs.stream().filter(s -> s.pair().same()).count();
    assertTrue(pairs.size() >= 300, pairs.size() + " pairs");
    assertTrue(same >= 0.4 * pairs.size(), same + " paraphrases of " + pairs.size());
    assertEquals(List.of("changed_number", "date", "different_ask", "direction", "identifier", "negation",
        "swapped_entity", "unit"), List.copyOf(EvalPairs.nearMissesAbove(pairs, 0).keySet()));
  }

  @Test
  void the_matcher_serves_no_near_miss_and_most_paraphrases_of_pairs_tsv() {
    System.out.println("pairs.tsv");
    assertServed(pairs, PARAPHRASE_FLOOR);
  }

  @Test
  void the_matcher_serves_no_near_miss_and_many_paraphrases_of_holdout_tsv() {
    System.out.println("holdout.tsv");
    assertServed(holdout, HOLDOUT_PARAPHRASE_FLOOR);
  }

  @Test
  void a_threshold_alone_cannot_keep_near_misses_out() {
    // Why the gate exists: even at 0.97 the model scores some near-misses above the line.
    assertTrue(EvalPairs.nearMissesAbove(pairs, 0.97f).values().stream().mapToInt(Integer::intValue).sum() > 0);
  }

  /** Runs each pair through a real matcher (a cached, b asked) in a scope of its own. */
  private static void assertServed(List<EvalPairs.Scored> scored, double floor) {
    SemanticMatcher matcher = new SemanticMatcher(embedder, new VectorIndex(embedder.dimensions(), 1_000),
        SemanticMatcher.DEFAULT_THRESHOLD);
    int hits = 0;
    int paraphrases = 0;
    List<String> falseHits = new ArrayList<>();
    int i = 0;
    for (EvalPairs.Scored s : scored) {
      String scope = "pair-" + i++;
      matcher.remember(scope, "key-" + i, s.pair().a(), embedder.embed(s.pair().a()), 0);
      boolean hit = matcher.find(scope, s.pair().b()).isPresent();
      if (s.pair().same()) {
        paraphrases++;
        hits += hit ? 1 : 0;
      } else if (hit) {
        falseHits.add(s.pair().kind() + ": " + s.pair().a() + " | " + s.pair().b());
      }
    }
    List<EvalPairs.Row> rows = EvalPairs.sweep(scored);
    System.out.print(EvalPairs.table(scored, rows));
    System.out.printf("default %.2f: %d of %d paraphrases served (%.1f%%), %d false hits; most hits at no false"
        + " hit in the sweep: %.2f%n", SemanticMatcher.DEFAULT_THRESHOLD, hits, paraphrases,
        100.0 * hits / paraphrases, falseHits.size(), EvalPairs.best(rows));
    assertEquals(List.of(), falseHits);
    assertTrue(hits >= floor * paraphrases,
        hits + " of " + paraphrases + " paraphrases served, below the floor of " + floor);
  }
}
