package dev.tokenwise.audit;

import dev.tokenwise.store.CallRow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One pattern's calls in the audited period, oldest first, and the figures every rule needs.
 *
 * @param pattern the pattern
 * @param period the period read (its length projects the figures to a month)
 * @param calls every logged call of the pattern in the period, oldest first
 */
public record PatternCalls(String pattern, Period period, List<CallRow> calls) {

  public PatternCalls {
    calls = List.copyOf(calls);
  }

  /** What the calls cost, in picodollars; calls of unknown cost count nothing. */
  public long spendPicoUsd() {
    long sum = 0;
    for (CallRow c : calls) {
      if (c.costPicoUsd() != null) {
        sum += c.costPicoUsd();
      }
    }
    return sum;
  }

  /** The model that cost the most in this pattern ("the model it runs on"), or null without calls. */
  public String mainModel() {
    return costliest(true);
  }

  /** The provider of {@link #mainModel()}, or null. */
  public String mainProvider() {
    return costliest(false);
  }

  private String costliest(boolean model) {
    Map<String, long[]> spend = new HashMap<>();
    for (CallRow c : calls) {
      if (c.model() == null || c.provider() == null) {
        continue;
      }
      long[] s = spend.computeIfAbsent(c.provider() + "\u0000" + c.model(), k -> new long[2]);
      s[0] += c.costPicoUsd() == null ? 0 : c.costPicoUsd();
      s[1]++;
    }
    String best = null;
    long[] top = null;
    for (Map.Entry<String, long[]> e : spend.entrySet()) {
      long[] s = e.getValue();
      if (top == null || s[0] > top[0] || s[0] == top[0] && (s[1] > top[1] || s[1] == top[1] && e.getKey().compareTo(best) < 0)) {
        best = e.getKey();
        top = s;
      }
    }
    if (best == null) {
      return null;
    }
    int cut = best.indexOf('\u0000');
    return model ? best.substring(cut + 1) : best.substring(0, cut);
  }

  /** What an amount over the period comes to in a month, in picodollars. */
  public long monthly(long picoUsd) {
    return period.monthly(picoUsd);
  }
}
