package dev.tokenwise.cache;

import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.core.Credentials;
import java.util.List;

/**
 * What the response cache asks of semantic matching: an embedding for the last user message, the
 * stored questions of the same scope nearest to it, and a second, lexical opinion on each, because
 * questions that differ in one number or name embed almost alike.
 */
public interface SemanticSearch {

  /**
   * The unit-length embedding of a text, made in process or by a provider's embeddings endpoint (with
   * the caller's credentials when the gateway holds no key of its own for it).
   */
  Embedding embed(String text, Credentials caller);

  /** The embedding model's name: vectors of two models are never compared. */
  String model();

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
   * An embedding and what it cost.
   *
   * @param vector the unit-length vector
   * @param provider the provider that made it, or null when it was made in process
   * @param model the provider's model, or null
   * @param inputTokens the tokens the provider billed (0 in process)
   */
  record Embedding(float[] vector, String provider, String model, long inputTokens) {}

  /**
   * One stored question near the query.
   *
   * @param key the exact key of the stored answer
   * @param query the stored question
   * @param score cosine similarity to the query
   */
  record Candidate(String key, String query, float score) {}
}
