package dev.tokenwise.server;

import dev.tokenwise.analytics.Cost;
import dev.tokenwise.core.Usage;
import dev.tokenwise.policy.Exchange;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Splits what a call saved between the tactics that saved it, each priced on its own against the call
 * as served: the model swap, the trimmed turns (less the summary's cost), the prompt-cache breakpoints
 * and the early exit. Estimates say so. Read with the baseline, these explain every cent of it.
 */
final class Savings {
  private Savings() {}

  /**
   * One trace entry per tactic that changed the cost, e.g. {@code savings: route 0.0012 USD}, or an
   * empty list.
   *
   * @param served prices a usage at the served model
   * @param baselineModelCost prices a usage at the model the client asked for (only asked when swapped)
   */
  static List<String> attribute(Exchange ex, Usage usage, Function<Usage, Long> served,
      Function<Usage, Long> baselineModelCost, Long summaryCost) {
    List<String> out = new ArrayList<>(4);
    if (usage == null) {
      return out;
    }
    Long actual = served.apply(usage);
    if (actual == null) {
      return out;
    }
    if (ex.stoppedEarly() && ex.fullOutputEstimate() > usage.outputTokens()) {
      Usage whole = new Usage(usage.inputTokens(), usage.cachedInputTokens(), usage.cacheWrite5mTokens(),
          usage.cacheWrite1hTokens(), ex.fullOutputEstimate(), usage.reasoningTokens(), true);
      add(out, "early_exit", served.apply(whole), actual, true);
    }
    if (ex.cacheMarksPlaced()) {
      Usage uncached = new Usage(usage.inputTokens() + usage.cachedInputTokens() + usage.cacheWriteTokens(), 0, 0, 0,
          usage.outputTokens(), usage.reasoningTokens(), usage.estimated());
      add(out, "prompt_cache", served.apply(uncached), actual, false);
    }
    if (ex.trimmedInputTokens() > 0) {
      Usage untrimmed = new Usage(usage.inputTokens() + ex.trimmedInputTokens(), usage.cachedInputTokens(),
          usage.cacheWrite5mTokens(), usage.cacheWrite1hTokens(), usage.outputTokens(), usage.reasoningTokens(), true);
      Long before = served.apply(untrimmed);
      add(out, "context", before == null || summaryCost == null ? null : before - summaryCost, actual, true);
    }
    if (!ex.targetModel().equals(ex.requestedModel())) {
      // a fallback model that served the call is priced against the asked model as a swap is
      add(out, ex.onFallback() ? "fallback" : "route", baselineModelCost.apply(usage), actual, usage.estimated());
    }
    return out;
  }

  private static void add(List<String> out, String tactic, Long before, Long after, boolean estimated) {
    if (before == null) {
      out.add("savings: " + tactic + " unknown (no price)");
      return;
    }
    out.add("savings: " + tactic + " " + (estimated ? "~" : "") + Cost.usd(before - after) + " USD");
  }
}
