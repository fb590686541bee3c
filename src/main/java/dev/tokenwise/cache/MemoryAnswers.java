package dev.tokenwise.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.RemovalCause;
import dev.tokenwise.core.CachedAnswer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The embedded answer store: a Caffeine cache in the gateway's memory, over an optional persistence
 * that keeps a copy for the next start.
 *
 * <p>Two bounds hold at once, total bytes ({@link CachedAnswer#weight()}) and entries, through one
 * Caffeine weight: each entry is charged at least its share, {@code maxBytes / maxEntries} rounded up,
 * and the limit is {@code maxEntries} shares, so the weight limit also caps the count. (The rounding lets
 * the bytes pass {@code maxBytes} by less than one byte an entry, well within what an estimate means.)
 * Small answers thus use up a little more of the byte budget than they hold, and with answers of mixed
 * sizes eviction may start slightly before either bound is reached.
 *
 * <p>An entry lives until its {@code expiresMillis} by the injected clock, which also drives Caffeine's
 * ticker, so tests move time by hand. Caffeine's upkeep runs on the calling thread: its eviction
 * listener only queues a delete, and a test sees every bound applied when its call returns.
 *
 * <p>An answer evicted for size is deleted from the persistence too, so the table stays about the size
 * of the memory and a restart loads what was held rather than older answers that had been pushed out.
 * The load at start reads newest first and stops at the bounds in any case, since a dropped delete can
 * leave a row behind; expired rows go in the writer's sweeps.
 */
public final class MemoryAnswers implements AnswerStore {
  private static final Logger LOG = System.getLogger(MemoryAnswers.class.getName());

  static final int QUEUE_CAPACITY = 10_000;
  static final int BATCH_SIZE = 500;
  static final Duration SWEEP_EVERY = Duration.ofMinutes(10);

  /** Entries may be charged at most this much, Caffeine's weights being ints. */
  private static final long MAX_SHARE = 1L << 30;

  private final Clock clock;
  private final long maxBytes;
  private final long share;
  private final long maxWeight;
  private final AnswerPersistence persistence;
  private final AnswerWriter writer;
  private final Cache<String, CachedAnswer> cache;
  private final RareWarning sinkFailed = new RareWarning(LOG, "response cache: the semantic index refused an answer");
  private volatile Consumer<CachedAnswer> follower;

  private MemoryAnswers(Clock clock, long maxBytes, int maxEntries, AnswerPersistence persistence, int queueCapacity,
      Duration sweepEvery) {
    if (maxBytes < 1 || maxEntries < 1) {
      throw new IllegalArgumentException("the response cache needs room: max bytes " + maxBytes + " and max entries "
          + maxEntries + " must both be at least 1");
    }
    this.clock = clock;
    this.maxBytes = maxBytes;
    this.share = Math.ceilDiv(maxBytes, maxEntries);
    if (share > MAX_SHARE) {
      throw new IllegalArgumentException("the response cache's max bytes (" + maxBytes + ") over its max entries ("
          + maxEntries + ") leaves over 1 GiB an answer; raise max entries or lower max bytes");
    }
    this.maxWeight = share * maxEntries;
    this.persistence = persistence;
    this.writer = persistence == null ? null
        : new AnswerWriter(persistence, clock, queueCapacity, BATCH_SIZE, sweepEvery);
    this.cache = Caffeine.newBuilder()
        .maximumWeight(maxWeight)
        .weigher((String key, CachedAnswer a) -> (int) charge(a))
        .expireAfter(new UntilExpiry())
        .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
        .executor(Runnable::run)
        .evictionListener((String key, CachedAnswer a, RemovalCause cause) -> {
          if (cause == RemovalCause.SIZE && writer != null) {
            writer.delete(key);
          }
        })
        .build();
  }

  /**
   * Opens a memory store holding at most {@code maxBytes} (by {@link CachedAnswer#weight()}) and
   * {@code maxEntries} answers, filled at once from {@code persistence} (newest first, within the bounds)
   * and copying every change to it off the request path.
   *
   * @param persistence where answers outlive a restart, or null to keep them in memory only
   * @throws IllegalArgumentException when a bound is below 1, or leaves over 1 GiB an entry
   */
  public static MemoryAnswers open(Clock clock, long maxBytes, int maxEntries, AnswerPersistence persistence) {
    return open(clock, maxBytes, maxEntries, persistence, QUEUE_CAPACITY, SWEEP_EVERY);
  }

  /** Opens with a given queue capacity and sweep interval, for tests. */
  static MemoryAnswers open(Clock clock, long maxBytes, int maxEntries, AnswerPersistence persistence,
      int queueCapacity, Duration sweepEvery) {
    MemoryAnswers store = new MemoryAnswers(clock, maxBytes, maxEntries, persistence, queueCapacity, sweepEvery);
    if (persistence != null) {
      store.load(maxEntries);
    }
    return store;
  }

  @Override
  public Optional<CachedAnswer> get(String key, long nowMillis) {
    CachedAnswer a = cache.getIfPresent(key);
    return a != null && a.liveAt(nowMillis) ? Optional.of(a) : Optional.empty();
  }

  @Override
  public void put(CachedAnswer answer) {
    if (!answer.liveAt(clock.millis()) || answer.weight() > maxBytes) {
      return;
    }
    // Queued before the cache sees it: should Caffeine evict the answer at once, its delete follows the save.
    if (writer != null) {
      writer.save(answer);
    }
    cache.put(answer.key(), answer);
    Consumer<CachedAnswer> sink = follower;
    if (sink != null && answer.semantic()) {
      deliver(sink, answer);
    }
  }

  @Override
  public long removePattern(String pattern) {
    Map<String, CachedAnswer> map = cache.asMap();
    long removed = 0;
    for (Map.Entry<String, CachedAnswer> e : map.entrySet()) {
      if (pattern.equals(e.getValue().pattern()) && map.remove(e.getKey(), e.getValue())) {
        removed++;
      }
    }
    if (writer != null) {
      writer.deletePattern(pattern);
    }
    return removed;
  }

  @Override
  public long removeAll() {
    cache.cleanUp();
    long removed = cache.estimatedSize();
    cache.invalidateAll();
    if (writer != null) {
      writer.deleteAll();
    }
    return removed;
  }

  @Override
  public long size() {
    cache.cleanUp();
    return cache.estimatedSize();
  }

  /**
   * Sends {@code sink} every live semantic answer held now, then each one put from now on (on the
   * putting thread). An answer put while this call runs may reach the sink twice.
   *
   * @throws IllegalStateException when called a second time
   */
  @Override
  public void followSemantic(Consumer<CachedAnswer> sink) {
    if (follower != null) {
      throw new IllegalStateException("followSemantic was already called");
    }
    follower = sink;
    long now = clock.millis();
    for (CachedAnswer a : cache.asMap().values()) {
      if (a.semantic() && a.liveAt(now)) {
        deliver(sink, a);
      }
    }
  }

  @Override
  public long failures() {
    return (writer == null ? 0 : writer.dropped() + writer.failed()) + sinkFailed.count();
  }

  /** Changes not copied to the persistence because its queue was full. */
  public long droppedWrites() {
    return writer == null ? 0 : writer.dropped();
  }

  /** Changes lost because the persistence failed to apply them. */
  public long failedWrites() {
    return writer == null ? 0 : writer.failed();
  }

  /** Copies what is queued to the persistence (waiting at most 10 s), then releases it; memory is kept. */
  @Override
  public void close() {
    if (writer != null) {
      writer.close();
      persistence.close();
    }
  }

  /** Waits until the changes made so far reached the persistence; for tests. */
  boolean flushWrites(Duration timeout) {
    return writer == null || writer.flush(timeout);
  }

  /** The weight Caffeine holds now: every entry's charge, after pending upkeep. */
  long chargedBytes() {
    cache.cleanUp();
    return cache.policy().eviction().orElseThrow().weightedSize().orElseThrow();
  }

  /** What an answer counts against the byte bound: its weight, but at least its share of the count bound. */
  long charge(CachedAnswer a) {
    return Math.min(Integer.MAX_VALUE, Math.max(a.weight(), share));
  }

  private void load(int maxEntries) {
    long now = clock.millis();
    List<CachedAnswer> newestFirst = new ArrayList<>();
    long[] charged = {0};
    try {
      persistence.loadLive(now, maxEntries, a -> {
        long c = charge(a);
        if (charged[0] + c <= maxWeight) {
          newestFirst.add(a);
          charged[0] += c;
        }
      });
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "response cache: starting empty, the saved answers could not be read: {0}",
          e.getMessage());
      return;
    }
    // Oldest first, so that the newest are the most recently used when eviction weighs them.
    for (CachedAnswer a : newestFirst.reversed()) {
      cache.put(a.key(), a);
    }
    if (!newestFirst.isEmpty()) {
      LOG.log(Level.INFO, "response cache: loaded {0} saved answers", newestFirst.size());
    }
  }

  private void deliver(Consumer<CachedAnswer> sink, CachedAnswer a) {
    try {
      sink.accept(a);
    } catch (RuntimeException e) {
      sinkFailed.happened(e.toString());
    }
  }

  /** Keeps each answer until its own {@code expiresMillis}, whether created, replaced or read. */
  private static final class UntilExpiry implements Expiry<String, CachedAnswer> {
    @Override
    public long expireAfterCreate(String key, CachedAnswer a, long currentTime) {
      long leftMillis = a.expiresMillis() - TimeUnit.NANOSECONDS.toMillis(currentTime);
      return leftMillis <= 0 ? 0 : TimeUnit.MILLISECONDS.toNanos(leftMillis);
    }

    @Override
    public long expireAfterUpdate(String key, CachedAnswer a, long currentTime, long currentDuration) {
      return expireAfterCreate(key, a, currentTime);
    }

    @Override
    public long expireAfterRead(String key, CachedAnswer a, long currentTime, long currentDuration) {
      return currentDuration;
    }
  }
}
