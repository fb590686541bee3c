package dev.tokenwise.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.policy.CapStats;
import dev.tokenwise.policy.Pipeline;
import dev.tokenwise.policy.PromptCacheStats;
import java.util.Map;
import java.util.TreeMap;

/** What the learning tactics know per call pattern, as JSON for the admin API. */
final class TacticsReport {
  private TacticsReport() {}

  static ObjectNode of(Pipeline pipeline) {
    Map<String, ObjectNode> byPattern = new TreeMap<>();
    for (Map.Entry<String, CapStats> e : pipeline.capStats().entrySet()) {
      CapStats c = e.getValue();
      ObjectNode cap = byPattern.computeIfAbsent(e.getKey(), k -> Json.object()).putObject("max_tokens");
      cap.put("observed_calls", c.observed());
      cap.put("output_p99", c.p99());
      cap.put("cap", c.cap());
      cap.put("capped_calls", c.capped());
      cap.put("cut_calls", c.cut());
    }
    for (Map.Entry<String, PromptCacheStats> e : pipeline.promptCacheStats().entrySet()) {
      PromptCacheStats p = e.getValue();
      ObjectNode pc = byPattern.computeIfAbsent(e.getKey(), k -> Json.object()).putObject("prompt_cache");
      pc.put("calls", p.calls());
      pc.put("unstable_prefixes", p.unstablePrefixes());
      pc.put("input_tokens", p.inputTokens());
      pc.put("cached_tokens", p.cachedTokens());
      pc.put("cached_share", Math.round(p.cachedShare() * 10_000) / 10_000.0);
    }
    ObjectNode root = Json.object();
    ObjectNode patterns = root.putObject("patterns");
    byPattern.forEach(patterns::set);
    return root;
  }
}
