package dev.tokenwise.bench;

import dev.tokenwise.cache.semantic.EvalPairs;
import dev.tokenwise.cache.semantic.MiniLmEmbedder;
import dev.tokenwise.cache.semantic.SemanticMatcher;
import dev.tokenwise.cache.semantic.VectorIndex;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * What the response cache costs, run by hand through bench/cache.sh (not a test): the embedding, a
 * semantic lookup with its embedding at 10 000 and 100 000 entries in one scope, the evaluation
 * sweeps, and the heap of 100 000 entries. Each section is one method, run in order by {@link #main};
 * a new section is a new method and a line there.
 *
 * <p>Arguments: lookups per size (default 2000), warm-up lookups (default 500).
 */
public final class CacheBench {
  private static final String SCOPE = "bench-scope";
  private static final int[] SIZES = {10_000, 100_000};

  private final PrintStream out;
  private final int lookups;
  private final int warmup;
  private final MiniLmEmbedder embedder = new MiniLmEmbedder();
  private final List<EvalPairs.Pair> pairs = EvalPairs.load();

  CacheBench(PrintStream out, int lookups, int warmup) {
    this.out = out;
    this.lookups = lookups;
    this.warmup = warmup;
  }

  public static void main(String[] args) {
    int lookups = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
    int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    CacheBench bench = new CacheBench(System.out, lookups, warmup);
    bench.embedding();
    bench.semanticLookup();
    bench.exactLookup();
    bench.evaluation();
    bench.memory();
    bench.embedder.close();
  }

  /** Loading the model, and what one embedding costs on one thread. */
  void embedding() {
    heading("embedding (" + MiniLmEmbedder.NAME + ", one thread)");
    long rssBefore = rssKb();
    long t0 = System.nanoTime();
    embedder.load();
    out.printf("model load %.0f ms, resident memory %+.0f MB%n", (System.nanoTime() - t0) / 1e6,
        (rssKb() - rssBefore) / 1024.0);
    List<String> texts = questions();
    for (int i = 0; i < 300; i++) {
      embedder.embed(texts.get(i % texts.size()));
    }
    double[] ms = new double[Math.max(lookups, 2000)];
    for (int i = 0; i < ms.length; i++) {
      long t = System.nanoTime();
      embedder.embed(texts.get(i % texts.size()));
      ms[i] = (System.nanoTime() - t) / 1e6;
    }
    out.printf("%d questions of the evaluation set (%.0f characters on average): %s%n", ms.length,
        texts.stream().mapToInt(String::length).average().orElse(0), summary(ms));
    String longText = String.join(" ", texts.subList(0, 16));
    double[] longMs = new double[50];
    for (int i = 0; i < longMs.length; i++) {
      long t = System.nanoTime();
      embedder.embed(longText);
      longMs[i] = (System.nanoTime() - t) / 1e6;
    }
    out.printf("one question of %d characters, %d times: %s%n", longText.length(), longMs.length, summary(longMs));
  }

  /**
   * A lookup as the gateway makes it: embed the question, search its scope, let the gate read the
   * candidates. The scope holds the evaluation set's cached questions and random vectors with the
   * same mean as real embeddings; the questions asked are the set's other halves, so some hit.
   */
  void semanticLookup() {
    for (int size : SIZES) {
      heading("semantic lookup at " + size + " entries in one scope (threshold " + SemanticMatcher.DEFAULT_THRESHOLD
          + ", one thread, " + warmup + " warm-up)");
      VectorIndex index = new VectorIndex(embedder.dimensions(), size);
      SemanticMatcher matcher = new SemanticMatcher(embedder, index, SemanticMatcher.DEFAULT_THRESHOLD);
      fill(index, size, new Random(size));
      List<String> asked = pairs.stream().map(EvalPairs.Pair::b).toList();
      for (int i = 0; i < warmup; i++) {
        String q = asked.get(i % asked.size());
        matcher.lookup(SCOPE, q, embedder.embed(q));
      }
      double[] total = new double[lookups];
      double[] search = new double[lookups];
      int hits = 0;
      for (int i = 0; i < lookups; i++) {
        String q = asked.get(i % asked.size());
        long t0 = System.nanoTime();
        float[] v = embedder.embed(q);
        long t1 = System.nanoTime();
        hits += matcher.lookup(SCOPE, q, v).match().isPresent() ? 1 : 0;
        long t2 = System.nanoTime();
        total[i] = (t2 - t0) / 1e6;
        search[i] = (t2 - t1) / 1e6;
      }
      out.printf("%d lookups, %d hits%n", lookups, hits);
      out.printf("with the embedding: %s%n", summary(total));
      out.printf("search and gate:    %s%n", summary(search));
    }
  }

  /** The exact cache's lookup: the request's key and a read from the answer store. */
  void exactLookup() {
    heading("exact lookup (key of the canonical request + store read, one thread, " + warmup + " warm-up)");
    dev.tokenwise.policy.ExactLookupBench.run(out, lookups * 10, warmup * 10);
  }

  /** Hit and false-hit rates of both labelled sets over a sweep of thresholds. */
  void evaluation() {
    for (String set : List.of("pairs.tsv", "holdout.tsv")) {
      heading("evaluation: " + set + " (a cached, b asked)");
      List<EvalPairs.Scored> scored = EvalPairs.score(EvalPairs.load(set), embedder);
      List<EvalPairs.Row> rows = EvalPairs.sweep(scored);
      out.print(EvalPairs.table(scored, rows));
      for (EvalPairs.Row r : rows) {
        if (Math.abs(r.threshold() - SemanticMatcher.DEFAULT_THRESHOLD) < 1e-4) {
          long same = scored.stream().filter(s -> s.pair().same()).count();
          out.printf("at the default %.2f: %.1f%% of paraphrases served, %d false hits of %d near-misses%n",
              r.threshold(), 100.0 * r.hits() / same, r.falseHits(), scored.size() - same);
        }
      }
      out.println("near-misses the threshold alone lets through at the default, by kind: "
          + EvalPairs.nearMissesAbove(scored, SemanticMatcher.DEFAULT_THRESHOLD));
    }
  }

  /** The heap of 100 000 entries with realistic keys (64 hex digits) and questions of their own. */
  void memory() {
    int n = 100_000;
    heading("memory of " + n + " entries");
    long before = usedHeapAfterGc();
    VectorIndex index = new VectorIndex(embedder.dimensions(), n);
    fill(index, n, new Random(42));
    long after = usedHeapAfterGc();
    out.printf("heap after GC: %+.1f MB (%.0f bytes an entry); the index's own estimate: %.1f MB%n",
        (after - before) / 1e6, (after - before) / (double) n, index.bytes() / 1e6);
    out.printf("the same vectors as float[]: %.1f MB%n", n * (16 + 4.0 * embedder.dimensions()) / 1e6);
    if (index.size() != n) {
      throw new IllegalStateException("the index holds " + index.size());
    }
  }

  /** The evaluation set's a-sides with their real vectors, then random vectors shaped like them. */
  private void fill(VectorIndex index, int size, Random rnd) {
    List<String> cached = pairs.stream().map(EvalPairs.Pair::a).distinct().toList();
    int dims = embedder.dimensions();
    float[] mean = new float[dims];
    int i = 0;
    for (String q : cached) {
      float[] v = embedder.embed(q);
      for (int j = 0; j < dims; j++) {
        mean[j] += v[j] / cached.size();
      }
      index.add(SCOPE, key(rnd), q, v, i++);
    }
    byte[] hex = new byte[32];
    for (; i < size; i++) {
      float[] v = new float[dims];
      double norm = 0;
      for (int j = 0; j < dims; j++) {
        v[j] = mean[j] + 0.06f * (float) rnd.nextGaussian();
        norm += v[j] * v[j];
      }
      for (int j = 0; j < dims; j++) {
        v[j] /= (float) Math.sqrt(norm);
      }
      rnd.nextBytes(hex);
      index.add(SCOPE, HexFormat.of().formatHex(hex), "a cached question of about sixty characters, number " + i,
          v, i);
    }
  }

  private static String key(Random rnd) {
    byte[] b = new byte[32];
    rnd.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  private List<String> questions() {
    List<String> texts = new ArrayList<>();
    for (EvalPairs.Pair p : pairs) {
      texts.add(p.a());
      texts.add(p.b());
    }
    return texts;
  }

  private void heading(String title) {
    out.println();
    out.println("== " + title);
  }

  private static String summary(double[] ms) {
    double[] s = ms.clone();
    Arrays.sort(s);
    double mean = Arrays.stream(s).average().orElse(0);
    return String.format("mean %.2f ms, p50 %.2f ms, p99 %.2f ms, max %.2f ms", mean, pct(s, 50), pct(s, 99),
        s[s.length - 1]);
  }

  private static double pct(double[] sorted, double p) {
    int i = (int) Math.ceil(p / 100 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }

  private static long usedHeapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static long rssKb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
    return 0;
  }
}
