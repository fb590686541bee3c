package dev.tokenwise.eval;

import dev.tokenwise.cache.semantic.Embedder;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * How close in meaning the answer is to the reference: the cosine of their embeddings, for free-text
 * answers that may be worded differently. value = max(0, cosine); the answer passes at {@link #PASS_MARK}.
 *
 * <p>Embeddings read topic and wording, not facts. On the labelled pairs of {@code SimilarityPairs}
 * (tests) with MiniLM: reordered and lightly edited answers score 0.90 to 0.98, rewordings 0.60 to 0.94,
 * answers stating other facts 0.48 to 0.78, off-topic ones about 0; but a changed number, name or
 * sentiment scores 0.69 to 0.96 (100 °C against 90 °C: 0.96). No mark separates the last kind from
 * rewordings, so this scorer tells an on-topic answer from a wrong or off-topic one and does not check
 * facts; use json, exact or a judge for those. Very short answers (labels such as "positive") are
 * better served by exact, since one word barely moves the vector.
 *
 * <p>The embedder is asked for on the first answer that needs it, once: loading the model takes a
 * second or two, and texts that are the same after normalisation score 1 without it.
 */
final class SimilarityScorer implements Scorer {
  /**
   * The cosine at which an answer passes. On the labelled pairs, 0.85 makes the fewest mistakes (8 of
   * 42, as does 0.78) and of those two it lets fewer wrong answers through (3 against 4): every
   * other-facts and off-topic answer fails, every reordered or lightly edited one passes, 5 of 11
   * heavy rewordings fail. A wrong answer passed is the costlier mistake in an eval, which decides
   * whether a cheaper model may take over.
   */
  static final double PASS_MARK = 0.85;

  private final Supplier<? extends Embedder> source;
  private final double passMark;
  private final ReentrantLock loading = new ReentrantLock();
  private volatile Embedder embedder;

  SimilarityScorer(Supplier<? extends Embedder> source) {
    this(source, PASS_MARK);
  }

  SimilarityScorer(Supplier<? extends Embedder> source, double passMark) {
    this.source = source;
    this.passMark = passMark;
  }

  @Override
  public String name() {
    return "similarity";
  }

  @Override
  public Score score(EvalCase c, String answer) {
    if (c.reference() == null) {
      return Score.refused("no reference to compare with: the similarity scorer needs one");
    }
    if (Texts.blank(answer)) {
      return Score.zero("empty answer");
    }
    if (Texts.normalise(answer).equals(Texts.normalise(c.reference()))) {
      return new Score(1, true, "same text", 0, Map.of("cosine", 1.0));
    }
    Embedder e = embedder();
    double cosine = cosine(e.embed(c.reference()), e.embed(answer));
    boolean pass = cosine >= passMark;
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("cosine", round(cosine));
    detail.put("pass_mark", passMark);
    detail.put("model", e.name());
    String note = "cosine " + String.format(Locale.ROOT, "%.3f", cosine)
        + (pass ? " ≥ " : " < ") + passMark;
    return new Score(Math.min(1, Math.max(0, cosine)), pass, note, 0, detail);
  }

  private Embedder embedder() {
    Embedder e = embedder;
    if (e != null) {
      return e;
    }
    // A lock rather than synchronized: the supplier reads the model from the jar and must not pin a carrier.
    loading.lock();
    try {
      if (embedder == null) {
        embedder = Objects.requireNonNull(source.get(), "the embedder supplier returned null");
      }
      return embedder;
    } finally {
      loading.unlock();
    }
  }

  /** The cosine of two vectors, not assuming unit length (another embedder may not normalise). */
  static double cosine(float[] a, float[] b) {
    if (a.length != b.length) {
      throw new IllegalStateException("embeddings of different lengths: " + a.length + " and " + b.length);
    }
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
  }

  private static double round(double x) {
    return Math.round(x * 10_000) / 10_000.0;
  }
}
