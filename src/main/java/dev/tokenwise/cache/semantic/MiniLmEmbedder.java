package dev.tokenwise.cache.semantic;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * all-MiniLM-L6-v2 (int8-quantized ONNX, 384 dimensions) run in-process by onnxruntime; the model and
 * its tokenizer ship inside a Maven artifact, so nothing is downloaded at run time. About 2 ms per
 * short text on one core.
 *
 * <p>The model costs about 180 MB resident, so it is loaded on the first {@link #embed} (or by
 * {@link #load()}), never by the constructor, and a gateway whose policies use no semantic caching
 * never pays for it. The loaded model is one per JVM (the library holds it in a static field):
 * {@link #close()} stops this instance from embedding but cannot hand that memory back.
 */
public final class MiniLmEmbedder implements Embedder {
  /** The model's name as stored beside its vectors. */
  public static final String NAME = "all-minilm-l6-v2-q";
  private static final int DIMENSIONS = 384;

  // A lock rather than synchronized: loading reads 23 MB from the jar and must not pin a carrier thread.
  private final ReentrantLock loading = new ReentrantLock();
  private volatile EmbeddingModel model;
  private volatile boolean closed;

  /** An embedder that loads the model when first used. */
  public MiniLmEmbedder() {
  }

  /** Loads the model now (about a second), for a caller that would rather not pay it on a request. */
  public void load() {
    model();
  }

  /** Whether the model is loaded. */
  public boolean loaded() {
    return model != null;
  }

  @Override
  public float[] embed(String text) {
    return model().embed(text).content().vector();
  }

  @Override
  public int dimensions() {
    return DIMENSIONS;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void close() {
    closed = true;
    model = null;
  }

  private EmbeddingModel model() {
    EmbeddingModel m = model;
    if (m != null) {
      return m;
    }
    loading.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the " + NAME + " embedder is closed");
      }
      if (model == null) {
        // Runnable::run: one text is embedded on the caller's thread; the library's default would
        // start a thread pool that this class never needs.
        model = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
      }
      return model;
    } finally {
      loading.unlock();
    }
  }
}
