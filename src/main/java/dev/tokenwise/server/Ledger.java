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
  private final java.util.concurrent.ExecutorService shapes =
      java.util.concurrent.Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("tokenwise-shape-", 0).factory());

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

  /**
   * Logs a finished call and counts it. The call's shape (hashes of its bodies, some tens of microseconds
   * for a few kilobytes) is taken on a thread of its own, so that the next request of a keep-alive
   * connection does not wait for it; the row is reserved with the writer at once, so that a flush covers
   * it, and {@link #close} waits for the shapes still being taken.
   */
  void record(CallLog call) {
    RequestRecord row = call.toRecord(storeBodies);
    metrics.request(row.dialect(), row.provider() == null ? "none" : row.provider(), row.status(), row.costPicoUsd());
    metrics.attempts(row.attemptLog(), call.fallbackServed);
    writer.reserve();
    Runnable complete = () -> {
      RequestRecord shaped = row;
      try {
        shaped = row.withShape(call.shape());
      } finally {
        writer.offerReserved(shaped);
      }
    };
    try {
      shapes.execute(complete);
    } catch (java.util.concurrent.RejectedExecutionException closing) {
      complete.run(); // the server is stopping: take it here
    }
  }

  /** Waits (at most 5 s) until every call recorded so far has been handed to the writer. */
  void close() {
    shapes.shutdown();
    try {
      shapes.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
