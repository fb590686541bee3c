package dev.tokenwise.app;

import dev.tokenwise.audit.SemanticReplay;
import dev.tokenwise.cache.semantic.Embedder;
import dev.tokenwise.cache.semantic.MiniLmEmbedder;
import dev.tokenwise.cache.semantic.SemanticMatcher;
import dev.tokenwise.cache.semantic.VectorIndex;
import dev.tokenwise.server.CallShapes;
import dev.tokenwise.store.CallRow;
import dev.tokenwise.store.LogStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The audit's replay of stored questions through the semantic cache's matcher: the questions read from
 * the log's stored bodies, embedded by the in-process model (loaded on first use, once), and matched with
 * the cache's threshold and lexical gate, each against the earlier ones of the same scope (provider, model
 * and prompt head) still within the TTL.
 */
final class StoredQuestions implements SemanticReplay, AutoCloseable {
  /**
   * Longer than this, a "question" is a document (a ticket, an invoice): the cache's gate refuses two that
   * differ in any number or name, so the replay does not spend the model's time on them.
   */
  static final int MAX_QUESTION_CHARS = 500;

  private final LogStore store;
  private final Map<String, float[]> embedded = new ConcurrentHashMap<>();
  private MiniLmEmbedder embedder;

  StoredQuestions(LogStore store) {
    this.store = store;
  }

  @Override
  public Optional<boolean[]> nearHits(List<CallRow> calls, long ttlMillis) {
    List<String> questions = new ArrayList<>(calls.size());
    int unread = 0;
    for (CallRow c : calls) {
      String q = store.find(c.id()).flatMap(r -> CallShapes.lastUserText(r.requestBody())).orElse(null);
      unread += q == null ? 1 : 0;
      questions.add(q);
    }
    if (calls.isEmpty() || unread * 2 > calls.size()) {
      return Optional.empty(); // most bodies were not kept: say nothing rather than guess from a few
    }
    Embedder model = embedder();
    SemanticMatcher matcher = new SemanticMatcher(model, new VectorIndex(model.dimensions(), calls.size() + 1),
        SemanticMatcher.DEFAULT_THRESHOLD);
    Map<String, Long> keptAt = new HashMap<>();
    boolean[] hits = new boolean[calls.size()];
    for (int i = 0; i < calls.size(); i++) {
      CallRow c = calls.get(i);
      String q = questions.get(i);
      if (q == null || q.length() > MAX_QUESTION_CHARS || !SemanticMatcher.eligible(q)) {
        continue;
      }
      String scope = c.provider() + "/" + c.model() + "/" + c.shape().prefixHash();
      float[] vector = embedded.computeIfAbsent(c.id(), id -> model.embed(q));
      Optional<SemanticMatcher.Match> match = matcher.find(scope, q, vector);
      if (match.isPresent() && c.timeMs() - keptAt.get(match.get().key()) <= ttlMillis) {
        hits[i] = true;
      } else {
        matcher.remember(scope, c.id(), q, vector, c.timeMs());
        keptAt.put(c.id(), c.timeMs());
      }
    }
    return Optional.of(hits);
  }

  private synchronized Embedder embedder() {
    if (embedder == null) {
      MiniLmEmbedder m = new MiniLmEmbedder();
      m.load();
      embedder = m;
    }
    return embedder;
  }

  @Override
  public synchronized void close() {
    if (embedder != null) {
      embedder.close();
    }
  }
}
