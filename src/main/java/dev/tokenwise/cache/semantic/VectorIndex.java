package dev.tokenwise.cache.semantic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The vectors of the cached questions, grouped by scope, searched for the nearest ones to a new
 * question. Bounded by an entry count: adding to a full index drops the entry added first. Searches
 * share a read lock and changes take the write lock, so any number of threads may use one index.
 *
 * <p>Memory: per entry about 440 bytes of arrays at 384 dimensions (sign code, int8 vector, score
 * factor, time) plus the bookkeeping of its key and the key and question strings it shares with the
 * cached answer. Search: see {@link Shard}.
 */
public final class VectorIndex {
  /** How many entries the sign-code pass hands to exact scoring. */
  static final int PRESELECT = 256;
  private static final long PER_ENTRY_OVERHEAD = 40 + 24; // a LinkedHashMap entry and a Slot

  private final int dims;
  private final int maxEntries;
  private final int preselect;
  private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, Shard> shards = new HashMap<>();
  /** Every entry by key, in the order added: the first is the one to evict. */
  private final LinkedHashMap<String, Slot> byKey = new LinkedHashMap<>();

  /** One entry found by {@link #nearest}: its key, the question it was stored for and its cosine. */
  public record Candidate(String key, String query, float score) {
  }

  /** One entry as {@link #removeIf} shows it. */
  public record Entry(String scope, String key, String query, long createdMillis) {
  }

  /** Where an entry lives; the shard updates {@code index} when it moves the entry. */
  static final class Slot {
    final Shard shard;
    int index;

    Slot(Shard shard) {
      this.shard = shard;
    }
  }

  /** An empty index for vectors of {@code dimensions} components holding at most {@code maxEntries}. */
  public VectorIndex(int dimensions, int maxEntries) {
    this(dimensions, maxEntries, PRESELECT);
  }

  VectorIndex(int dimensions, int maxEntries, int preselect) {
    if (dimensions <= 0 || maxEntries <= 0 || preselect <= 0) {
      throw new IllegalArgumentException("dimensions " + dimensions + ", maxEntries " + maxEntries
          + " and preselect " + preselect + " must be positive");
    }
    this.dims = dimensions;
    this.maxEntries = maxEntries;
    this.preselect = preselect;
  }

  /** The length of the vectors the index holds. */
  public int dimensions() {
    return dims;
  }

  /**
   * Adds the unit vector of {@code query} under {@code key}, replacing an entry with the same key;
   * when the index is full the entry added first goes. The vector is copied.
   */
  public void add(String scope, String key, String query, float[] vector, long createdMillis) {
    if (vector.length != dims) {
      throw new IllegalArgumentException("a vector of " + vector.length + " components in an index of " + dims);
    }
    lock.writeLock().lock();
    try {
      Slot old = byKey.remove(key);
      if (old != null) {
        drop(old);
      }
      while (byKey.size() >= maxEntries) {
        Iterator<Slot> eldest = byKey.values().iterator();
        Slot s = eldest.next();
        eldest.remove();
        drop(s);
      }
      Shard shard = shards.computeIfAbsent(scope, s -> new Shard(s, dims));
      Slot slot = new Slot(shard);
      slot.index = shard.add(key, query, vector, createdMillis, slot);
      byKey.put(key, slot);
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Drops the entry under {@code key}; returns whether there was one. */
  public boolean remove(String key) {
    lock.writeLock().lock();
    try {
      Slot slot = byKey.remove(key);
      if (slot == null) {
        return false;
      }
      drop(slot);
      return true;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Drops every entry {@code filter} accepts (expired ones, say); returns how many went. */
  public int removeIf(Predicate<Entry> filter) {
    lock.writeLock().lock();
    try {
      int removed = 0;
      for (Iterator<Map.Entry<String, Slot>> it = byKey.entrySet().iterator(); it.hasNext(); ) {
        Slot slot = it.next().getValue();
        Shard sh = slot.shard;
        int i = slot.index;
        if (filter.test(new Entry(sh.scope, sh.key(i), sh.query(i), sh.created(i)))) {
          it.remove();
          drop(slot);
          removed++;
        }
      }
      return removed;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Drops every entry. */
  public void clear() {
    lock.writeLock().lock();
    try {
      byKey.clear();
      shards.clear();
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** How many entries the index holds. */
  public int size() {
    lock.readLock().lock();
    try {
      return byKey.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * An estimate of the heap the index holds: its arrays at their capacity, the bookkeeping per entry,
   * and the key and question strings (counted here although the cached answers share them).
   */
  public long bytes() {
    lock.readLock().lock();
    try {
      long total = 64L * shards.size();
      for (Shard sh : shards.values()) {
        total += sh.bytes();
        for (int i = 0; i < sh.size(); i++) {
          total += stringBytes(sh.key(i)) + stringBytes(sh.query(i));
        }
      }
      return total + PER_ENTRY_OVERHEAD * byKey.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * The entries of {@code scope} whose cosine with the unit vector {@code query} is at least
   * {@code minScore}, best first, at most {@code limit}.
   */
  public List<Candidate> nearest(String scope, float[] query, float minScore, int limit) {
    if (query.length != dims) {
      throw new IllegalArgumentException("a vector of " + query.length + " components in an index of " + dims);
    }
    long[] code = new long[(dims + 63) / 64];
    Shard.encode(query, code, 0);
    lock.readLock().lock();
    try {
      Shard shard = shards.get(scope);
      return shard == null ? new ArrayList<>() : shard.nearest(query, code, minScore, limit, preselect);
    } finally {
      lock.readLock().unlock();
    }
  }

  private void drop(Slot slot) {
    Shard sh = slot.shard;
    sh.remove(slot.index);
    if (sh.size() == 0) {
      shards.remove(sh.scope);
    }
  }

  private static long stringBytes(String s) {
    return 40L + s.length(); // header, array header and one byte a character (compact Latin-1 strings)
  }
}
