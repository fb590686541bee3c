package dev.tokenwise.cache.semantic;

import java.util.List;
import java.util.Optional;

/**
 * Finds a cached question that asks the same as a new one, in the same scope: the nearest stored
 * questions by embedding whose cosine reaches the threshold are read in score order, and the first
 * that the {@link LexicalGate} lets through is the match. Only the last user message is compared;
 * everything else that shapes the answer (tenant, model, system prompt, tools, history) is in the
 * scope, which the caller hashes.
 *
 * <p>Thread-safe. The caller embeds a question once ({@link #embedder()}), looks it up with that
 * vector and, on a miss, stores the same vector with the answer.
 */
public final class SemanticMatcher {
  /**
   * The default cosine threshold. On the labelled pairs of the tests every threshold from 0.80 to
   * 0.99 kept false hits at zero with the gate, and 0.80 served the most paraphrases (79.9% against
   * 75.5% here). But the gate's word lists were written while reading those pairs; on pairs written
   * afterwards its first version let five near-misses through, three of them scoring 0.84 to 0.90
   * ("did" against "will", "have to" against "can"). The threshold is the guard against what the
   * gate does not yet know, so it stays at 0.90.
   */
  public static final float DEFAULT_THRESHOLD = 0.90f;
  /** Questions longer than this are neither looked up nor worth embedding: long prompts rarely recur. */
  public static final int MAX_QUERY_CHARS = 2_000;
  /** How many candidates above the threshold the gate reads before giving up. */
  static final int CANDIDATES = 8;

  private final Embedder embedder;
  private final VectorIndex index;
  private final LexicalGate gate;
  private final float threshold;

  /** A cached question that matched: its answer's key, its cosine with the new question, and its text. */
  public record Match(String key, float score, String cachedQuery) {
  }

  /**
   * What a lookup found, for the trace: the match, or the best candidate the gate refused and why.
   *
   * @param match the match, if any
   * @param refusedScore the cosine of the best refused candidate, or 0
   * @param refusal why the best refused candidate was refused ("numbers differ: 3 vs 4"), or null
   */
  public record Lookup(Optional<Match> match, float refusedScore, String refusal) {
  }

  /** A matcher over {@code index} with the default gate; {@code threshold} is a cosine in (0, 1]. */
  public SemanticMatcher(Embedder embedder, VectorIndex index, float threshold) {
    if (!(threshold > 0 && threshold <= 1)) {
      throw new IllegalArgumentException("a semantic threshold must be in (0, 1], not " + threshold);
    }
    this.embedder = embedder;
    this.index = index;
    this.gate = new LexicalGate();
    this.threshold = threshold;
  }

  /** The embedder whose vectors the index holds. */
  public Embedder embedder() {
    return embedder;
  }

  /** The index of cached questions, for removal and sizing. */
  public VectorIndex index() {
    return index;
  }

  /** The cosine a candidate must reach before the gate reads it. */
  public float threshold() {
    return threshold;
  }

  /** Whether {@code query} can take part: not blank and not longer than {@link #MAX_QUERY_CHARS}. */
  public static boolean eligible(String query) {
    return query != null && !query.isBlank() && query.length() <= MAX_QUERY_CHARS;
  }

  /** The cached question in {@code scope} that asks the same as {@code query}, embedding it first. */
  public Optional<Match> find(String scope, String query) {
    if (!eligible(query)) {
      return Optional.empty();
    }
    return lookup(scope, query, embedder.embed(query)).match();
  }

  /** As {@link #find(String, String)}, with {@code vector} the embedding the caller already made. */
  public Optional<Match> find(String scope, String query, float[] vector) {
    return lookup(scope, query, vector).match();
  }

  /** As {@link #find(String, String, float[])}, with the best refusal when nothing matched. */
  public Lookup lookup(String scope, String query, float[] vector) {
    if (!eligible(query)) {
      return new Lookup(Optional.empty(), 0, null);
    }
    List<VectorIndex.Candidate> candidates = index.nearest(scope, vector, threshold, CANDIDATES);
    float refusedScore = 0;
    String refusal = null;
    for (VectorIndex.Candidate c : candidates) {
      LexicalGate.Verdict v = gate.check(query, c.query());
      if (v.pass()) {
        return new Lookup(Optional.of(new Match(c.key(), c.score(), c.query())), refusedScore, refusal);
      }
      if (refusal == null) {
        refusedScore = c.score();
        refusal = v.reason();
      }
    }
    return new Lookup(Optional.empty(), refusedScore, refusal);
  }

  /** Stores the question of a cached answer under the answer's key, with its embedding. */
  public void remember(String scope, String key, String query, float[] vector, long createdMillis) {
    if (eligible(query)) {
      index.add(scope, key, query, vector, createdMillis);
    }
  }
}
