package dev.tokenwise.server;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** Counters for {@code /metrics}, in the Prometheus text format. Cheap on the hot path: adders only. */
final class Metrics {
  private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> costPico = new ConcurrentHashMap<>();
  private final Map<String, LongSupplier> gauges = new ConcurrentHashMap<>();
  private final Map<String, Labelled> labelled = new java.util.concurrent.ConcurrentSkipListMap<>();
  private final LongAdder unknownCost = new LongAdder();
  private final Map<String, LongAdder> attempts = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> fallbacksServed = new ConcurrentHashMap<>();
  private final LongAdder retries = new LongAdder();
  private volatile java.util.function.Supplier<Map<String, Boolean>> circuits = Map::of;
  private volatile java.util.function.Supplier<Map<String, dev.tokenwise.policy.CacheStats.Row>> cache = Map::of;

  /** Where the response cache's per-pattern counts are read at scrape time. */
  void cache(java.util.function.Supplier<Map<String, dev.tokenwise.policy.CacheStats.Row>> stats) {
    this.cache = stats;
  }

  /** Counts one finished request. */
  void request(String dialect, String provider, int status, Long costPicoUsd) {
    requests.computeIfAbsent(dialect + '\u0000' + provider + '\u0000' + status, k -> new LongAdder()).increment();
    if (costPicoUsd == null) {
      unknownCost.increment();
    } else {
      costPico.computeIfAbsent(provider, k -> new LongAdder()).add(costPicoUsd);
    }
  }

  private record Labelled(String help, String label, java.util.function.Supplier<Map<String, Long>> values) {}

  /** Publishes counters of one label read at scrape time: the value of each label value. */
  void labelled(String name, String help, String label, java.util.function.Supplier<Map<String, Long>> values) {
    labelled.put(name, new Labelled(help, label, values));
  }

  /**
   * Model names come from clients, so the model label is bounded: past this many distinct series a new
   * model is counted as {@code other}.
   */
  static final int MAX_MODEL_SERIES = 1000;

  /** Where the circuit breakers' states are read at scrape time, by {@code provider/model}. */
  void circuits(java.util.function.Supplier<Map<String, Boolean>> open) {
    this.circuits = open;
  }

  /** Counts a call's upstream attempts, and the model that served it when it came from the fallback chain. */
  void attempts(java.util.List<dev.tokenwise.store.AttemptRecord> list, boolean fallbackServed) {
    for (dev.tokenwise.store.AttemptRecord a : list) {
      count(attempts, a.provider(), a.model(), '\u0000' + a.outcome());
    }
    if (list.size() > 1) {
      retries.add(list.size() - 1);
    }
    if (fallbackServed && !list.isEmpty()) {
      dev.tokenwise.store.AttemptRecord served = list.get(list.size() - 1);
      count(fallbacksServed, served.provider(), served.model(), "");
    }
  }

  private static void count(Map<String, LongAdder> map, String provider, String model, String suffix) {
    String key = provider + '\u0000' + model + suffix;
    LongAdder n = map.get(key);
    if (n == null) {
      n = map.computeIfAbsent(map.size() >= MAX_MODEL_SERIES ? provider + "\u0000other" + suffix : key,
          k -> new LongAdder());
    }
    n.increment();
  }

  /** Publishes a value read at scrape time (queue depth, dropped rows, …). */
  void gauge(String name, LongSupplier value) {
    gauges.put(name, value);
  }

  /** The exposition text. */
  String scrape() {
    StringBuilder sb = new StringBuilder(1024);
    sb.append("# HELP tokenwise_requests_total Requests answered, by client dialect, provider and status.\n");
    sb.append("# TYPE tokenwise_requests_total counter\n");
    new TreeMap<>(requests).forEach((k, v) -> {
      String[] p = k.split("\u0000", -1);
      sb.append("tokenwise_requests_total{dialect=\"").append(p[0]).append("\",provider=\"").append(p[1])
          .append("\",status=\"").append(p[2]).append("\"} ").append(v.sum()).append('\n');
    });
    sb.append("# HELP tokenwise_cost_usd_total Provider cost of the answered requests, in USD.\n");
    sb.append("# TYPE tokenwise_cost_usd_total counter\n");
    new TreeMap<>(costPico).forEach((k, v) -> sb.append("tokenwise_cost_usd_total{provider=\"").append(k)
        .append("\"} ").append(java.math.BigDecimal.valueOf(v.sum(), 12).stripTrailingZeros().toPlainString())
        .append('\n'));
    sb.append("# HELP tokenwise_cost_unknown_total Requests whose model has no price in the catalog.\n");
    sb.append("# TYPE tokenwise_cost_unknown_total counter\n");
    sb.append("tokenwise_cost_unknown_total ").append(unknownCost.sum()).append('\n');
    cacheLines(sb);
    labelled.forEach((name, l) -> {
      sb.append("# HELP ").append(name).append(' ').append(l.help()).append('\n');
      sb.append("# TYPE ").append(name).append(" counter\n");
      l.values().get().forEach((value, n) -> sb.append(name).append('{').append(l.label()).append("=\"")
          .append(label(value)).append("\"} ").append(n).append('\n'));
    });
    upstreamLines(sb);
    new TreeMap<>(gauges).forEach((name, v) -> {
      String type = name.endsWith("_total") ? "counter" : "gauge";
      sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
      sb.append(name).append(' ').append(v.getAsLong()).append('\n');
    });
    return sb.toString();
  }

  private void upstreamLines(StringBuilder sb) {
    sb.append("# HELP tokenwise_upstream_attempts_total Upstream attempts by provider, model and outcome (ok, failed,"
        + " rejected, broken, cancelled).\n");
    sb.append("# TYPE tokenwise_upstream_attempts_total counter\n");
    new TreeMap<>(attempts).forEach((k, v) -> {
      String[] p = k.split("\u0000", -1);
      sb.append("tokenwise_upstream_attempts_total{provider=\"").append(label(p[0])).append("\",model=\"")
          .append(label(p[1])).append("\",outcome=\"").append(p[2]).append("\"} ").append(v.sum()).append('\n');
    });
    sb.append("# HELP tokenwise_retries_total Upstream attempts after the first of a call (retries and fallbacks).\n");
    sb.append("# TYPE tokenwise_retries_total counter\n");
    sb.append("tokenwise_retries_total ").append(retries.sum()).append('\n');
    sb.append("# HELP tokenwise_fallbacks_served_total Calls answered by a model of the fallback chain, by that model.\n");
    sb.append("# TYPE tokenwise_fallbacks_served_total counter\n");
    new TreeMap<>(fallbacksServed).forEach((k, v) -> {
      String[] p = k.split("\u0000", -1);
      sb.append("tokenwise_fallbacks_served_total{provider=\"").append(label(p[0])).append("\",model=\"")
          .append(label(p[1])).append("\"} ").append(v.sum()).append('\n');
    });
    sb.append("# HELP tokenwise_circuit_open Whether calls skip a model because its circuit breaker is open (1;"
        + " half-open counts) or not (0).\n");
    sb.append("# TYPE tokenwise_circuit_open gauge\n");
    circuits.get().forEach((key, open) -> {
      int slash = key.indexOf('/');
      sb.append("tokenwise_circuit_open{provider=\"").append(label(key.substring(0, slash))).append("\",model=\"")
          .append(label(key.substring(slash + 1))).append("\"} ").append(open ? 1 : 0).append('\n');
    });
  }

  private void cacheLines(StringBuilder sb) {
    Map<String, dev.tokenwise.policy.CacheStats.Row> rows = cache.get();
    if (rows.isEmpty()) {
      return;
    }
    sb.append("# HELP tokenwise_cache_requests_total Calls under a cache policy, by pattern and what the cache did.\n");
    sb.append("# TYPE tokenwise_cache_requests_total counter\n");
    rows.forEach((pattern, r) -> {
      String p = label(pattern);
      cacheLine(sb, p, "hit-exact", r.exactHits());
      cacheLine(sb, p, "hit-semantic", r.semanticHits());
      cacheLine(sb, p, "miss", r.misses());
      cacheLine(sb, p, "bypass", r.bypassed());
    });
    sb.append("# HELP tokenwise_cache_gate_refusals_total Near questions the semantic cache's lexical gate refused.\n");
    sb.append("# TYPE tokenwise_cache_gate_refusals_total counter\n");
    rows.forEach((pattern, r) -> sb.append("tokenwise_cache_gate_refusals_total{pattern=\"").append(label(pattern))
        .append("\"} ").append(r.refused()).append('\n'));
    sb.append("# HELP tokenwise_cache_stored_total Answers the response cache kept.\n");
    sb.append("# TYPE tokenwise_cache_stored_total counter\n");
    rows.forEach((pattern, r) -> sb.append("tokenwise_cache_stored_total{pattern=\"").append(label(pattern))
        .append("\"} ").append(r.stored()).append('\n'));
    sb.append("# HELP tokenwise_cache_saved_usd_total What the cache hits would have cost (their baselines), in USD.\n");
    sb.append("# TYPE tokenwise_cache_saved_usd_total counter\n");
    rows.forEach((pattern, r) -> sb.append("tokenwise_cache_saved_usd_total{pattern=\"").append(label(pattern))
        .append("\"} ").append(java.math.BigDecimal.valueOf(r.savedPicoUsd(), 12).stripTrailingZeros().toPlainString())
        .append('\n'));
  }

  private static void cacheLine(StringBuilder sb, String pattern, String result, long n) {
    sb.append("tokenwise_cache_requests_total{pattern=\"").append(pattern).append("\",result=\"").append(result)
        .append("\"} ").append(n).append('\n');
  }

  /** A label value as the exposition format wants it: backslash, quote and newline escaped. */
  static String label(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
