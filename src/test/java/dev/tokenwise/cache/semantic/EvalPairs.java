package dev.tokenwise.cache.semantic;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The labelled question pairs of {@code semantic/pairs.tsv} and what the matcher makes of them: each
 * pair's cosine and the gate's verdict, and a sweep of thresholds. Shared by the evaluation test and
 * the hand-run benchmark so both print the same table.
 */
public final class EvalPairs {
  /** One labelled pair: {@code same} for a paraphrase, else a near-miss of the given kind. */
  public record Pair(boolean same, String kind, String a, String b) {
  }

  /** A pair with the cosine of its questions and the gate's verdict on serving a's answer for b. */
  public record Scored(Pair pair, float cosine, LexicalGate.Verdict verdict) {
  }

  /** One threshold of the sweep: paraphrase hits, and false hits with the threshold alone and with the gate. */
  public record Row(float threshold, int hits, int falseHitsThresholdOnly, int falseHits) {
  }

  private EvalPairs() {
  }

  /** The pairs of {@code semantic/pairs.tsv}, from the test resources. */
  public static List<Pair> load() {
    return load("pairs.tsv");
  }

  /** The pairs of {@code semantic/<name>}: pairs.tsv, or holdout.tsv (written after the gate, to check it). */
  public static List<Pair> load(String name) {
    try (InputStream in = EvalPairs.class.getResourceAsStream("/semantic/" + name)) {
      if (in == null) {
        throw new IllegalStateException("semantic/" + name + " is not on the class path");
      }
      List<Pair> pairs = new ArrayList<>();
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 1; i < lines.length; i++) {
        if (lines[i].isBlank()) {
          continue;
        }
        String[] f = lines[i].split("\t");
        if (f.length != 4 || !(f[0].equals("same") || f[0].equals("different"))) {
          throw new IllegalStateException(name + " line " + (i + 1) + " is not label, kind, a, b: " + lines[i]);
        }
        pairs.add(new Pair(f[0].equals("same"), f[1], f[2], f[3]));
      }
      return pairs;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Each pair as the cache would see it: a cached, b asked. */
  public static List<Scored> score(List<Pair> pairs, Embedder embedder) {
    LexicalGate gate = new LexicalGate();
    List<Scored> out = new ArrayList<>();
    for (Pair p : pairs) {
      float[] a = embedder.embed(p.a());
      float[] b = embedder.embed(p.b());
      float dot = 0;
      for (int i = 0; i < a.length; i++) {
        dot += a[i] * b[i];
      }
      out.add(new Scored(p, dot, gate.check(p.b(), p.a())));
    }
    return out;
  }

  /** The sweep from 0.80 to 0.99 by 0.01. */
  public static List<Row> sweep(List<Scored> scored) {
    List<Row> rows = new ArrayList<>();
    for (int t = 80; t <= 99; t++) {
      float threshold = t / 100f;
      int hits = 0;
      int falseOnly = 0;
      int falseGate = 0;
      for (Scored s : scored) {
        if (s.cosine() < threshold) {
          continue;
        }
        if (s.pair().same()) {
          hits += s.verdict().pass() ? 1 : 0;
        } else {
          falseOnly++;
          falseGate += s.verdict().pass() ? 1 : 0;
        }
      }
      rows.add(new Row(threshold, hits, falseOnly, falseGate));
    }
    return rows;
  }

  /** The threshold with the most paraphrase hits at zero false hits (with the gate); on a tie, the higher. */
  public static float best(List<Row> rows) {
    Row best = null;
    for (Row r : rows) {
      if (r.falseHits() == 0 && (best == null || r.hits() >= best.hits())) {
        best = r;
      }
    }
    return best == null ? Float.NaN : best.threshold();
  }

  /** The sweep as a text table, in percent of paraphrases and of near-misses. */
  public static String table(List<Scored> scored, List<Row> rows) {
    long same = scored.stream().filter(s -> s.pair().same()).count();
    long different = scored.size() - same;
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("%d paraphrases, %d near-misses%n", same, different));
    sb.append(String.format("%-9s %17s %26s %20s%n", "threshold", "paraphrase hits", "false hits, threshold only",
        "false hits, gate"));
    for (Row r : rows) {
      sb.append(String.format("%-9.2f %9d %6.1f%% %18d %6.1f%% %12d %6.1f%%%n", r.threshold(), r.hits(),
          100.0 * r.hits() / same, r.falseHitsThresholdOnly(), 100.0 * r.falseHitsThresholdOnly() / different,
          r.falseHits(), 100.0 * r.falseHits() / different));
    }
    return sb.toString();
  }

  /** Near-misses at or above {@code threshold} by kind: how many the threshold lets through, per kind. */
  public static Map<String, Integer> nearMissesAbove(List<Scored> scored, float threshold) {
    Map<String, Integer> byKind = new TreeMap<>();
    for (Scored s : scored) {
      if (!s.pair().same()) {
        byKind.merge(s.pair().kind(), s.cosine() >= threshold ? 1 : 0, Integer::sum);
      }
    }
    return byKind;
  }
}
