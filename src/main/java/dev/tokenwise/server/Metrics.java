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
  private final LongAdder unknownCost = new LongAdder();

  /** Counts one finished request. */
  void request(String dialect, String provider, int status, Long costPicoUsd) {
    requests.computeIfAbsent(dialect + '\u0000' + provider + '\u0000' + status, k -> new LongAdder()).increment();
    if (costPicoUsd == null) {
      unknownCost.increment();
    } else {
      costPico.computeIfAbsent(provider, k -> new LongAdder()).add(costPicoUsd);
    }
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
    new TreeMap<>(gauges).forEach((name, v) -> {
      String type = name.endsWith("_total") ? "counter" : "gauge";
      sb.append("# TYPE ").append(name).append(' ').append(type).append('\n');
      sb.append(name).append(' ').append(v.getAsLong()).append('\n');
    });
    return sb.toString();
  }
}
