package dev.tokenwise.cache;

import dev.tokenwise.core.CachedAnswer;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Where cached answers are kept: in the gateway's memory (over the persisted store) on one machine,
 * or in Redis when several gateway instances share them. Implementations are thread-safe and never
 * throw on the request path: a failing backend is a miss, counted.
 */
public interface AnswerStore extends AutoCloseable {

  /** The live answer under {@code key}, or empty (absent, expired or the backend failed). */
  Optional<CachedAnswer> get(String key, long nowMillis);

  /** Keeps an answer until its {@code expiresMillis}; replaces one with the same key. */
  void put(CachedAnswer answer);

  /** Drops the answers of one pattern (all tenants); returns how many went, when the backend knows. */
  long removePattern(String pattern);

  /** Drops every answer; returns how many went, when the backend knows. */
  long removeAll();

  /** Answers held now (an estimate for shared backends). */
  long size();

  /**
   * Calls {@code sink} with every live semantic answer already held (at start) and then with each one
   * stored from now on, by this instance or, for shared backends, by another: how an instance builds
   * and keeps its own vector index. Called once, before the gateway serves.
   */
  void followSemantic(Consumer<CachedAnswer> sink);

  /**
   * Backend failures since start, for the gateway's stats: errors the backend answered with or that
   * cut it off, and copies of answers lost on the way to it. Each was also counted as a miss or a lost
   * write, never thrown.
   */
  default long failures() {
    return 0;
  }

  @Override
  void close();
}
