package dev.tokenwise.cache;

import dev.tokenwise.core.CachedAnswer;
import java.util.List;
import java.util.function.Consumer;

/**
 * Where {@link MemoryAnswers} keeps a copy of its answers so that a restart finds them again. Only the
 * cache's one writer thread calls the write methods, in batches, and a failure costs only the copy: the
 * methods may throw, and the writer counts and logs it.
 */
public interface AnswerPersistence {

  /** Inserts or replaces answers, in one transaction where the backend has them. */
  void save(List<CachedAnswer> answers);

  /** Deletes the answers under these keys. */
  void delete(List<String> keys);

  /** Deletes the answers of one pattern; returns how many went. */
  long deletePattern(String pattern);

  /** Deletes every answer; returns how many went. */
  long deleteAll();

  /** Deletes the answers that expired at or before {@code nowMillis}; returns how many went. */
  long deleteExpired(long nowMillis);

  /** Calls {@code sink} with the answers live at {@code nowMillis}, newest first, at most {@code limit}. */
  void loadLive(long nowMillis, int limit, Consumer<CachedAnswer> sink);

  /** Releases what the persistence holds; called once, after the last write. */
  default void close() {}
}
