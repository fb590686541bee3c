package dev.tokenwise.eval;

import dev.tokenwise.analytics.Cost;
import dev.tokenwise.analytics.ModelPrice;
import dev.tokenwise.analytics.Tier;
import dev.tokenwise.core.Usage;
import dev.tokenwise.store.EvalTable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * What a sweep will cost before it runs: each item's input and output tokens as the production call
 * billed them (a set file's are counted at four characters a token) priced on each model, and for a
 * judge two grading calls an answer, each reading the input and both answers and writing a short grade.
 * A model without a price cannot be estimated, so the sweep refuses it rather than guess.
 */
public final class Estimate {
  /** The judge's prompt around the input and the answers, in tokens. */
  static final long JUDGE_PROMPT_TOKENS = 180;
  /** A judge's reply ({"a": 4, "b": 5, "reason": "…"}), in tokens. */
  static final long JUDGE_REPLY_TOKENS = 60;

  private Estimate() {}

  /**
   * The estimate of each call not yet made, by {@code no + "/" + model}.
   *
   * @param done the (item, model) pairs already answered, as {@code no + "/" + model}
   * @param judge the judge model, or null when the scorer calls none
   * @throws IllegalArgumentException naming the models without a price
   */
  public static Map<String, Long> of(List<EvalTable.Item> items, List<String> models, Set<String> done,
      Function<String, Optional<ModelPrice>> priceOf, String judge) {
    Map<String, Long> out = new LinkedHashMap<>();
    List<String> unpriced = models.stream().filter(m -> priceOf.apply(m).isEmpty()).toList();
    if (judge != null && priceOf.apply(judge).isEmpty()) {
      unpriced = java.util.stream.Stream.concat(unpriced.stream(), java.util.stream.Stream.of(judge)).toList();
    }
    if (!unpriced.isEmpty()) {
      throw new IllegalArgumentException("no price is known for " + String.join(", ", unpriced)
          + ", so the sweep cannot be estimated; add it under prices: in the config or pick other candidates");
    }
    for (EvalTable.Item it : items) {
      for (String m : models) {
        if (!done.contains(it.no() + "/" + m)) {
          out.put(it.no() + "/" + m, call(it, priceOf.apply(m).orElseThrow(),
              judge == null ? null : priceOf.apply(judge).orElseThrow()));
        }
      }
    }
    return out;
  }

  /** The estimates summed per model (the map's keys end in {@code /model}). */
  public static Map<String, Long> perModel(Map<String, Long> calls, List<String> models) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String m : models) {
      out.put(m, calls.entrySet().stream().filter(e -> e.getKey().endsWith("/" + m))
          .mapToLong(Map.Entry::getValue).sum());
    }
    return out;
  }

  /** One item on one model, with its grading when a judge is given. */
  static long call(EvalTable.Item it, ModelPrice model, ModelPrice judge) {
    long out = Math.max(1, it.refOutputTokens());
    long pico = price(new Usage(Math.max(1, it.refInputTokens()), 0, 0, 0, out, 0, true), model);
    if (judge != null) {
      long read = JUDGE_PROMPT_TOKENS + it.input().length() / 4 + 2 * out;
      pico += 2 * price(new Usage(read, 0, 0, 0, JUDGE_REPLY_TOKENS, 0, true), judge);
    }
    return pico;
  }

  private static long price(Usage u, ModelPrice p) {
    return Cost.picoUsd(u, p, Tier.STANDARD).orElse(0L);
  }
}
