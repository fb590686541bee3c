package dev.tokenwise.server;

import dev.tokenwise.analytics.Cost;
import dev.tokenwise.analytics.ModelPrice;
import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.analytics.Tier;
import dev.tokenwise.core.Usage;
import dev.tokenwise.store.AsyncLogWriter;
import dev.tokenwise.store.RequestRecord;
import java.util.Optional;

/**
 * Prices each finished call from the catalog and hands its row to the asynchronous log writer. The
 * price is that of the model the provider reports it used, else the one asked for; a model without a
 * price has an unknown cost, never zero.
 */
final class Ledger {
  private final PriceTable prices;
  private final AsyncLogWriter writer;
  private final Metrics metrics;
  private final boolean storeBodies;

  Ledger(PriceTable prices, AsyncLogWriter writer, Metrics metrics, boolean storeBodies) {
    this.prices = prices;
    this.writer = writer;
    this.metrics = metrics;
    this.storeBodies = storeBodies;
  }

  /** What a call cost in picodollars, or null when the model or its tier has no price. */
  Long cost(String provider, String modelUsed, String modelRequested, Usage usage, Tier tier) {
    if (provider == null || usage == null) {
      return null;
    }
    Optional<ModelPrice> price = modelUsed == null ? Optional.empty() : prices.find(provider, modelUsed);
    if (price.isEmpty() && modelRequested != null) {
      price = prices.find(provider, modelRequested);
    }
    return price.flatMap(p -> Cost.picoUsd(usage, p, tier)).orElse(null);
  }

  /** Logs a finished call and counts it. */
  void record(CallLog call) {
    RequestRecord row = call.toRecord(storeBodies);
    metrics.request(row.dialect(), row.provider() == null ? "none" : row.provider(), row.status(), row.costPicoUsd());
    metrics.attempts(row.attemptLog(), call.fallbackServed);
    writer.offer(row);
  }
}
