package dev.tokenwise.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.config.Config;
import dev.tokenwise.core.Json;
import dev.tokenwise.policy.Pipeline;
import dev.tokenwise.provider.CircuitBreaker;
import java.util.Locale;
import java.util.Map;

/**
 * The upstreams' health as this instance sees it, as JSON for the admin API: the retry settings and
 * every model's circuit breaker (a model that never failed has none, and is closed).
 */
final class ProvidersReport {
  private ProvidersReport() {}

  static ObjectNode of(Pipeline pipeline, Config.Retry retry) {
    ObjectNode root = Json.object();
    ObjectNode r = root.putObject("retry");
    r.put("max_attempts", retry.maxAttempts());
    r.put("deadline_ms", retry.deadline().toMillis());
    r.put("backoff_ms", retry.backoff().toMillis());
    r.put("max_backoff_ms", retry.maxBackoff().toMillis());
    ObjectNode b = r.putObject("breaker");
    b.put("failures", retry.breaker().failures());
    b.put("failure_rate", retry.breaker().failureRate());
    b.put("window", retry.breaker().window());
    b.put("cooldown_ms", retry.breaker().cooldown().toMillis());
    ObjectNode circuits = root.putObject("circuits");
    for (Map.Entry<String, CircuitBreaker.Snapshot> e : pipeline.circuits().entrySet()) {
      CircuitBreaker.Snapshot s = e.getValue();
      ObjectNode c = circuits.putObject(e.getKey());
      c.put("state", s.state().name().toLowerCase(Locale.ROOT).replace('_', '-'));
      c.put("consecutive_failures", s.consecutiveFailures());
      c.put("recent_calls", s.recentCalls());
      c.put("recent_failures", s.recentFailures());
      c.put("open_for_ms", s.openFor().toMillis());
      c.put("opened", s.opened());
    }
    return root;
  }
}
