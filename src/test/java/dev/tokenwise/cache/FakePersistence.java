package dev.tokenwise.cache;

import dev.tokenwise.core.CachedAnswer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;

/** A persistence in a map that records what it was asked; a test can hold its saves at a gate or break it. */
class FakePersistence implements AnswerPersistence {
  final Map<String, CachedAnswer> rows = new ConcurrentHashMap<>();
  final List<String> calls = new CopyOnWriteArrayList<>();
  final CountDownLatch saving = new CountDownLatch(1);
  volatile CountDownLatch gate;
  volatile boolean broken;
  volatile boolean closed;

  @Override
  public void save(List<CachedAnswer> answers) {
    calls.add("save " + answers.stream().map(CachedAnswer::key).toList());
    saving.countDown();
    CountDownLatch g = gate;
    if (g != null) {
      try {
        g.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    fail();
    answers.forEach(a -> rows.put(a.key(), a));
  }

  @Override
  public void delete(List<String> keys) {
    calls.add("delete " + keys);
    fail();
    keys.forEach(rows::remove);
  }

  @Override
  public long deletePattern(String pattern) {
    calls.add("deletePattern " + pattern);
    fail();
    long before = rows.size();
    rows.values().removeIf(a -> a.pattern().equals(pattern));
    return before - rows.size();
  }

  @Override
  public long deleteAll() {
    calls.add("deleteAll");
    fail();
    long n = rows.size();
    rows.clear();
    return n;
  }

  /** Never fails, so that the writer's sweep at start cannot add to a test's failure count. */
  @Override
  public long deleteExpired(long nowMillis) {
    long before = rows.size();
    rows.values().removeIf(a -> !a.liveAt(nowMillis));
    return before - rows.size();
  }

  @Override
  public void loadLive(long nowMillis, int limit, Consumer<CachedAnswer> sink) {
    fail();
    List<CachedAnswer> live = new ArrayList<>(rows.values().stream().filter(a -> a.liveAt(nowMillis)).toList());
    live.sort(Comparator.comparingLong(CachedAnswer::createdMillis).reversed());
    live.stream().limit(limit).forEach(sink);
  }

  @Override
  public void close() {
    closed = true;
  }

  private void fail() {
    if (broken) {
      throw new IllegalStateException("table is gone");
    }
  }
}
