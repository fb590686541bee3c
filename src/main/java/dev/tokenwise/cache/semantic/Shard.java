package dev.tokenwise.cache.semantic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The entries of one scope in parallel primitive arrays, so that 100 000 entries are a handful of
 * objects rather than a few hundred thousand. Entry {@code i} has a sign code ({@code words} longs at
 * {@code i * words}: bit j set when component j is positive), an int8 copy of its vector
 * ({@code dims} bytes at {@code i * dims}) and the factor that turns the int8 dot product back into a
 * cosine. Removal moves the last entry into the hole, so slots are dense. Not thread-safe: the index
 * guards it.
 *
 * <p>A search first ranks every entry by the Hamming distance between sign codes (six XORs and
 * bit counts per entry at 384 dimensions) and keeps the closest {@code preselect}, then scores only
 * those exactly. Two texts close enough to share an answer (cosine above 0.8, an angle under 37°)
 * differ in few signs, so they survive the first pass; the test checks recall against brute force.
 */
final class Shard {
  private static final int FIRST_CAPACITY = 16;

  final String scope;
  private final int dims;
  private final int words;
  private int size;
  private long[] codes;
  private byte[] values;
  private float[] factors;
  private long[] created;
  private String[] keys;
  private String[] queries;
  private VectorIndex.Slot[] slots;

  Shard(String scope, int dims) {
    this.scope = scope;
    this.dims = dims;
    this.words = (dims + 63) / 64;
    allocate(FIRST_CAPACITY);
  }

  int size() {
    return size;
  }

  int capacity() {
    return keys.length;
  }

  String key(int i) {
    return keys[i];
  }

  String query(int i) {
    return queries[i];
  }

  long created(int i) {
    return created[i];
  }

  /** Appends an entry and returns its slot number. */
  int add(String key, String query, float[] vector, long createdMillis, VectorIndex.Slot slot) {
    if (size == keys.length) {
      allocate(keys.length * 2);
    }
    int i = size++;
    encode(vector, codes, i * words);
    factors[i] = quantize(vector, values, i * dims);
    created[i] = createdMillis;
    keys[i] = key;
    queries[i] = query;
    slots[i] = slot;
    return i;
  }

  /** Drops entry {@code i}; the last entry takes its place and its slot is told. */
  void remove(int i) {
    int last = --size;
    if (i != last) {
      System.arraycopy(codes, last * words, codes, i * words, words);
      System.arraycopy(values, last * dims, values, i * dims, dims);
      factors[i] = factors[last];
      created[i] = created[last];
      keys[i] = keys[last];
      queries[i] = queries[last];
      slots[i] = slots[last];
      slots[i].index = i;
    }
    keys[last] = null;
    queries[last] = null;
    slots[last] = null;
    if (size >= FIRST_CAPACITY && size < keys.length / 4) {
      allocate(keys.length / 2);
    }
  }

  /** The entries scoring at least {@code minScore} against the unit vector {@code query}, best first. */
  List<VectorIndex.Candidate> nearest(float[] query, long[] queryCode, float minScore, int limit, int preselect) {
    int[] picked = size <= preselect ? all() : closestCodes(queryCode, preselect);
    List<VectorIndex.Candidate> out = new ArrayList<>();
    for (int i : picked) {
      float score = score(query, i);
      if (score >= minScore) {
        out.add(new VectorIndex.Candidate(keys[i], queries[i], score));
      }
    }
    out.sort((a, b) -> Float.compare(b.score(), a.score()));
    return out.size() > limit ? List.copyOf(out.subList(0, limit)) : out;
  }

  /** The cosine between {@code query} and entry {@code i} (up to the int8 rounding, about 0.001). */
  float score(float[] query, int i) {
    int base = i * dims;
    float dot = 0;
    for (int j = 0; j < dims; j++) {
      dot += query[j] * values[base + j];
    }
    return dot * factors[i];
  }

  /** The bytes these arrays hold, without the strings they point to. */
  long bytes() {
    long perSlot = 8L * words + dims + 4 + 8 + 3 * 4;
    return 6 * 16 + perSlot * keys.length;
  }

  private int[] all() {
    int[] idx = new int[size];
    for (int i = 0; i < size; i++) {
      idx[i] = i;
    }
    return idx;
  }

  /** The {@code k} entries whose sign codes are nearest, kept in a max-heap on distance. */
  private int[] closestCodes(long[] q, int k) {
    int[] dist = new int[k];
    int[] idx = new int[k];
    for (int i = 0; i < k; i++) {
      dist[i] = distance(q, i);
      idx[i] = i;
      siftUp(dist, idx, i);
    }
    if (words == 6) {
      scan6(q, k, dist, idx);
    } else {
      for (int i = k; i < size; i++) {
        int d = distance(q, i);
        if (d < dist[0]) {
          dist[0] = d;
          idx[0] = i;
          siftDown(dist, idx, k);
        }
      }
    }
    return idx;
  }

  /**
   * The scan for 384 dimensions, the usual case, written out: the query's six words in locals and a
   * look at the first half's count before the second half is counted, since once the heap holds
   * close entries most others are already too far after three words. About 2 ns an entry.
   */
  private void scan6(long[] q, int k, int[] dist, int[] idx) {
    long q0 = q[0];
    long q1 = q[1];
    long q2 = q[2];
    long q3 = q[3];
    long q4 = q[4];
    long q5 = q[5];
    long[] c = codes;
    int worst = dist[0];
    for (int i = k, b = k * 6; i < size; i++, b += 6) {
      int d = Long.bitCount(c[b] ^ q0) + Long.bitCount(c[b + 1] ^ q1) + Long.bitCount(c[b + 2] ^ q2);
      if (d >= worst) {
        continue;
      }
      d += Long.bitCount(c[b + 3] ^ q3) + Long.bitCount(c[b + 4] ^ q4) + Long.bitCount(c[b + 5] ^ q5);
      if (d < worst) {
        dist[0] = d;
        idx[0] = i;
        siftDown(dist, idx, k);
        worst = dist[0];
      }
    }
  }

  private int distance(long[] q, int i) {
    int d = 0;
    int base = i * words;
    for (int w = 0; w < words; w++) {
      d += Long.bitCount(codes[base + w] ^ q[w]);
    }
    return d;
  }

  private static void siftUp(int[] dist, int[] idx, int c) {
    while (c > 0) {
      int p = (c - 1) >>> 1;
      if (dist[p] >= dist[c]) {
        return;
      }
      swap(dist, idx, p, c);
      c = p;
    }
  }

  private static void siftDown(int[] dist, int[] idx, int n) {
    int p = 0;
    while (true) {
      int l = 2 * p + 1;
      if (l >= n) {
        return;
      }
      int c = l + 1 < n && dist[l + 1] > dist[l] ? l + 1 : l;
      if (dist[p] >= dist[c]) {
        return;
      }
      swap(dist, idx, p, c);
      p = c;
    }
  }

  private static void swap(int[] dist, int[] idx, int a, int b) {
    int t = dist[a];
    dist[a] = dist[b];
    dist[b] = t;
    t = idx[a];
    idx[a] = idx[b];
    idx[b] = t;
  }

  static void encode(float[] v, long[] into, int offset) {
    for (int j = 0; j < v.length; j++) {
      if (v[j] > 0) {
        into[offset + (j >>> 6)] |= 1L << (j & 63);
      } else {
        into[offset + (j >>> 6)] &= ~(1L << (j & 63));
      }
    }
  }

  /**
   * Writes {@code v} as int8 (scaled so that its largest component is ±127) and returns the factor
   * that turns a dot product with those bytes into a cosine with the rounded vector.
   */
  private static float quantize(float[] v, byte[] into, int offset) {
    float max = 0;
    for (float x : v) {
      max = Math.max(max, Math.abs(x));
    }
    if (max == 0) {
      Arrays.fill(into, offset, offset + v.length, (byte) 0);
      return 0;
    }
    float step = max / 127f;
    double norm = 0;
    for (int j = 0; j < v.length; j++) {
      int q = Math.round(v[j] / step);
      into[offset + j] = (byte) q;
      norm += (double) q * q;
    }
    return (float) (1 / Math.sqrt(norm));
  }

  private void allocate(int capacity) {
    codes = codes == null ? new long[capacity * words] : Arrays.copyOf(codes, capacity * words);
    values = values == null ? new byte[capacity * dims] : Arrays.copyOf(values, capacity * dims);
    factors = factors == null ? new float[capacity] : Arrays.copyOf(factors, capacity);
    created = created == null ? new long[capacity] : Arrays.copyOf(created, capacity);
    keys = keys == null ? new String[capacity] : Arrays.copyOf(keys, capacity);
    queries = queries == null ? new String[capacity] : Arrays.copyOf(queries, capacity);
    slots = slots == null ? new VectorIndex.Slot[capacity] : Arrays.copyOf(slots, capacity);
  }
}
