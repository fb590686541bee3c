package dev.tokenwise.cache;

import dev.tokenwise.core.CachedAnswer;
import java.util.List;

/**
 * What the response cache asks of semantic matching: an embedding for the last user message, the
 * stored questions of the same scope nearest to it, and a second, lexical opinion on each, because
 * questions that differ in one number or name embed almost alike.
 */
public interface SemanticSearch {

  /** The unit-length embedding of a text. */
  float[] embed(String text);

  /** The stored questions of {@code scope} scoring at least {@code minScore} against {@code vector}, best first. */
  List<Candidate> nearest(String scope, float[] vector, float minScore, int limit);

  /** Why {@code cached} must not answer {@code query} (numbers, names, direction, negation, ask), or null. */
  String refusal(String query, String cached);

  /** Adds a stored answer's question to the index; an answer with the same key is replaced. */
  void add(CachedAnswer answer);

  /** Drops a key from the index (its answer expired or was invalidated). */
  void remove(String key);

  /** Entries held by the index. */
  int size();

  /**
   * One stored question near the query.
   *
   * @param key the exact key of the stored answer
   * @param query the stored question
   * @param score cosine similarity to the query
   */
  record Candidate(String key, String query, float score) {}
}
