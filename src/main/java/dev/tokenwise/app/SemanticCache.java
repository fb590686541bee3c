package dev.tokenwise.app;

import dev.tokenwise.cache.SemanticSearch;
import dev.tokenwise.cache.semantic.Embedder;
import dev.tokenwise.cache.semantic.LexicalGate;
import dev.tokenwise.cache.semantic.VectorIndex;
import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.core.Credentials;
import java.util.List;

/**
 * The semantic cache as the cache stage sees it: an embedder (the in-process model, or a provider's
 * embeddings endpoint), this instance's vector index and the lexical gate. The index is made with the
 * first vector it sees, loaded or new, since a provider's model names its own dimensions; a vector of
 * other dimensions (stored under another embedding model) is left out.
 */
final class SemanticCache implements SemanticSearch {
  private final Embedder local;
  private final ProviderEmbedder remote;
  private final LexicalGate gate = new LexicalGate();
  private final int maxEntries;
  private volatile VectorIndex index;

  private SemanticCache(Embedder local, ProviderEmbedder remote, int maxEntries) {
    this.local = local;
    this.remote = remote;
    this.maxEntries = maxEntries;
  }

  /** With the in-process model (loaded on the first embedding). */
  static SemanticCache local(Embedder embedder, int maxEntries) {
    return new SemanticCache(embedder, null, maxEntries);
  }

  /** With a provider's embeddings endpoint. */
  static SemanticCache remote(ProviderEmbedder embedder, int maxEntries) {
    return new SemanticCache(null, embedder, maxEntries);
  }

  @Override
  public Embedding embed(String text, Credentials caller) {
    if (remote != null) {
      return remote.embed(text, caller);
    }
    return new Embedding(local.embed(text), null, null, 0);
  }

  /** The in-process embedding model, or null when a provider's endpoint embeds. */
  Embedder localEmbedder() {
    return local;
  }

  @Override
  public String model() {
    return remote != null ? remote.name() : local.name();
  }

  @Override
  public List<Candidate> nearest(String scope, float[] vector, float minScore, int limit) {
    VectorIndex i = index;
    if (i == null || vector.length != i.dimensions()) {
      return List.of();
    }
    return i.nearest(scope, vector, minScore, limit).stream()
        .map(c -> new Candidate(c.key(), c.query(), c.score())).toList();
  }

  @Override
  public String refusal(String query, String cached) {
    LexicalGate.Verdict v = gate.check(query, cached);
    return v.pass() ? null : v.reason();
  }

  @Override
  public void add(CachedAnswer answer) {
    if (!answer.semantic()) {
      return;
    }
    VectorIndex i = indexFor(answer.embedding().length);
    if (i.dimensions() == answer.embedding().length) {
      i.add(answer.scope(), answer.key(), answer.query(), answer.embedding(), answer.createdMillis());
    }
  }

  @Override
  public void remove(String key) {
    VectorIndex i = index;
    if (i != null) {
      i.remove(key);
    }
  }

  @Override
  public int size() {
    VectorIndex i = index;
    return i == null ? 0 : i.size();
  }

  /**
   * Loads the in-process model in the background, so that the first semantic lookup does not wait for
   * it (a second or two); a failure to load is seen, and said, by the first lookup.
   */
  void warm() {
    if (local instanceof dev.tokenwise.cache.semantic.MiniLmEmbedder m && !m.loaded()) {
      Thread.ofVirtual().name("tokenwise-embedder-load").start(() -> {
        try {
          m.load();
        } catch (RuntimeException e) {
          System.getLogger(SemanticCache.class.getName()).log(System.Logger.Level.WARNING,
              "the embedding model did not load; semantic lookups are skipped: " + e.getMessage());
        }
      });
    }
  }

  /** Releases the in-process model. */
  void close() {
    if (local != null) {
      local.close();
    }
  }

  /** Heap the index takes, in bytes. */
  long bytes() {
    VectorIndex i = index;
    return i == null ? 0 : i.bytes();
  }

  private VectorIndex indexFor(int dimensions) {
    VectorIndex i = index;
    if (i == null) {
      synchronized (this) {
        if (index == null) {
          index = new VectorIndex(dimensions, maxEntries);
        }
        i = index;
      }
    }
    return i;
  }
}
