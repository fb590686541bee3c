package dev.tokenwise.cache.semantic;

/**
 * Turns a text into a vector whose dot product with another text's vector says how close their
 * meanings are. Implementations are thread-safe.
 */
public interface Embedder extends AutoCloseable {

  /** The unit-length embedding of {@code text}; a new array the caller may keep. */
  float[] embed(String text);

  /** The length of every vector {@link #embed} returns. */
  int dimensions();

  /** The model's name, kept beside stored vectors so that vectors of two models are never compared. */
  String name();

  /** Releases what the embedder holds; {@link #embed} fails afterwards. */
  @Override
  void close();
}
