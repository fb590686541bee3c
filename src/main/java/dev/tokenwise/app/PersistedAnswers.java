package dev.tokenwise.app;

import dev.tokenwise.cache.AnswerPersistence;
import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.store.AnswerTable;
import java.util.List;
import java.util.function.Consumer;

/**
 * The memory cache's persistence on the request log's answer table. Closing it leaves the table open:
 * the log store owns the connections and closes them after the cache has written what it queued.
 */
final class PersistedAnswers implements AnswerPersistence {
  private final AnswerTable table;

  PersistedAnswers(AnswerTable table) {
    this.table = table;
  }

  @Override
  public void save(List<CachedAnswer> answers) {
    table.upsert(answers);
  }

  @Override
  public void delete(List<String> keys) {
    table.delete(keys);
  }

  @Override
  public long deletePattern(String pattern) {
    return table.deletePattern(pattern);
  }

  @Override
  public long deleteAll() {
    return table.deleteAll();
  }

  @Override
  public long deleteExpired(long nowMillis) {
    return table.deleteExpired(nowMillis);
  }

  @Override
  public void loadLive(long nowMillis, int limit, Consumer<CachedAnswer> sink) {
    table.loadLive(nowMillis, limit, sink);
  }
}
