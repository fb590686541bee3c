package dev.tokenwise.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.analytics.Cost;
import dev.tokenwise.cache.AnswerStore;
import dev.tokenwise.core.Json;
import dev.tokenwise.policy.CacheStats;
import dev.tokenwise.policy.Pipeline;
import dev.tokenwise.web.CacheAdmin;
import java.util.Locale;
import java.util.Map;

/** The response cache for the admin API: figures per pattern from the pipeline, invalidation on the store. */
final class CacheReport implements CacheAdmin {
  private final Pipeline pipeline;
  private final AnswerStore answers;
  private final String backend;
  private final SemanticCache semantic;

  CacheReport(Pipeline pipeline, AnswerStore answers, SemanticCache semantic, String backend) {
    this.semantic = semantic;
    this.pipeline = pipeline;
    this.answers = answers;
    this.backend = backend;
  }

  @Override
  public JsonNode report() {
    ObjectNode root = Json.object();
    root.put("backend", backend);
    root.put("entries", answers.size());
    root.put("backend_failures", answers.failures());
    ObjectNode index = root.putObject("semantic_index");
    index.put("model", semantic.model());
    index.put("entries", semantic.size());
    index.put("bytes", semantic.bytes());
    ObjectNode patterns = root.putObject("patterns");
    long hits = 0;
    long lookups = 0;
    long saved = 0;
    for (Map.Entry<String, CacheStats.Row> e : pipeline.cacheStats().entrySet()) {
      CacheStats.Row r = e.getValue();
      ObjectNode p = patterns.putObject(e.getKey());
      p.put("hit_exact", r.exactHits());
      p.put("hit_semantic", r.semanticHits());
      p.put("miss", r.misses());
      p.put("bypass", r.bypassed());
      p.put("gate_refused", r.refused());
      p.put("stored", r.stored());
      p.put("hit_rate", rate(r.hitRate()));
      p.put("saved_usd", Cost.usd(r.savedPicoUsd()));
      hits += r.exactHits() + r.semanticHits();
      lookups += r.exactHits() + r.semanticHits() + r.misses();
      saved += r.savedPicoUsd();
    }
    root.put("hit_rate", rate(lookups == 0 ? 0 : (double) hits / lookups));
    root.put("saved_usd", Cost.usd(saved));
    return root;
  }

  @Override
  public long invalidate(String pattern) {
    return pattern == null ? answers.removeAll() : answers.removePattern(pattern);
  }

  private static double rate(double r) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.4f", r));
  }
}
