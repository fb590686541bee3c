package dev.tokenwise.server;

import dev.tokenwise.analytics.Tier;
import dev.tokenwise.core.Usage;
import dev.tokenwise.policy.Exchange;

/**
 * Prices a finished call: its cost at the served model's prices (plus a summary or an embedding it
 * needed, and what earlier attempts of its fallback chain were billed), its baseline (the call as the
 * client sent it, on the model it asked for) and what each tactic saved.
 */
final class Pricing {
  private final Ledger ledger;

  Pricing(Ledger ledger) {
    this.ledger = ledger;
  }

  /**
   * The cost at the prices of the model that served the call, and the baseline: the same tokens at the
   * prices of the model the client asked for, when a policy ran the call on another one.
   */
  void price(Exchange ex, CallLog log, Tier tier) {
    Long served = ledger.cost(log.provider, log.modelUsed, ex.upstreamModel(), log.usage, tier);
    log.servedCostPicoUsd = served;
    // failed attempts the providers billed (a 200 that was no answer but carried usage) add to the cost
    log.costPicoUsd = plus(plus(plus(served, summaryCost(ex)), embeddingCost(ex)), log.earlierCostPicoUsd);
    boolean swapped = !ex.targetModel().equals(ex.requestedModel());
    Usage asSent = baselineUsage(ex, log.usage);
    if (!swapped && asSent == log.usage) {
      log.baselinePicoUsd = served;
    } else if (!swapped) {
      log.baselinePicoUsd = ledger.cost(log.provider, log.modelUsed, ex.upstreamModel(), asSent, tier);
    } else {
      log.baselinePicoUsd = ledger.cost(ex.baselineProvider(), ex.baselineModel(), ex.baselineModel(), asSent, tier);
    }
    log.savings = Savings.attribute(ex, log.usage,
        u -> ledger.cost(log.provider, log.modelUsed, ex.upstreamModel(), u, tier),
        u -> ledger.cost(ex.baselineProvider(), ex.baselineModel(), ex.baselineModel(), u, tier), summaryCost(ex));
  }

  /** What summarising the dropped turns of this call cost (zero when no new summary was made). */
  private Long summaryCost(Exchange ex) {
    var s = ex.summaryUsage();
    if (s == null) {
      return 0L;
    }
    return ledger.cost(s.provider(), s.model(), s.model(),
        new Usage(s.inputTokens(), 0, 0, 0, s.outputTokens(), 0, false), Tier.STANDARD);
  }

  /** What embedding the last user message for the semantic cache cost (zero when made in process). */
  Long embeddingCost(Exchange ex) {
    var e = ex.embeddingUsage();
    if (e == null) {
      return 0L;
    }
    return ledger.cost(e.provider(), e.model(), e.model(), new Usage(e.inputTokens(), 0, 0, 0, 0, 0, false),
        Tier.STANDARD);
  }

  private static Long plus(Long a, Long b) {
    return a == null || b == null ? null : a + b;
  }

  /**
   * The tokens of the call as the client sent it: without the gateway's cache breakpoints every input
   * token is billed in full, and without the trim the dropped turns are input again (an estimate).
   */
  static Usage baselineUsage(Exchange ex, Usage usage) {
    if (usage != null && ex.stoppedEarly() && ex.fullOutputEstimate() > usage.outputTokens()) {
      // the rest of a complete answer, as long as the pattern's complete answers were (an estimate)
      usage = new Usage(usage.inputTokens(), usage.cachedInputTokens(), usage.cacheWrite5mTokens(),
          usage.cacheWrite1hTokens(), ex.fullOutputEstimate(), usage.reasoningTokens(), true);
      if (!ex.cacheMarksPlaced() && ex.trimmedInputTokens() == 0) {
        return usage;
      }
    }
    if (usage == null || !ex.cacheMarksPlaced() && ex.trimmedInputTokens() == 0) {
      return usage;
    }
    long input = usage.inputTokens() + ex.trimmedInputTokens();
    if (ex.cacheMarksPlaced()) {
      return new Usage(input + usage.cachedInputTokens() + usage.cacheWriteTokens(), 0, 0, 0, usage.outputTokens(),
          usage.reasoningTokens(), usage.estimated() || ex.trimmedInputTokens() > 0);
    }
    return new Usage(input, usage.cachedInputTokens(), usage.cacheWrite5mTokens(), usage.cacheWrite1hTokens(),
        usage.outputTokens(), usage.reasoningTokens(), usage.estimated() || ex.trimmedInputTokens() > 0);
  }
}
