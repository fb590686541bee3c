package dev.tokenwise.audit;

import dev.tokenwise.store.CallRow;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** One pattern's calls in the audited period, oldest first, and the figures every rule needs. */
public final class PatternCalls {
  private final String pattern;
  private final Period period;
  private final List<CallRow> calls;
  /** The costliest provider and model, found once: every rule asks. */
  private final String mainProvider;
  private final String mainModel;

  /**
   * @param pattern the pattern
   * @param period the period read (its length projects the figures to a month)
   * @param calls every logged call of the pattern in the period, oldest first
   */
  public PatternCalls(String pattern, Period period, List<CallRow> calls) {
    this.pattern = pattern;
    this.period = period;
    this.calls = List.copyOf(calls);
    String[] main = costliest(this.calls);
    this.mainProvider = main[0];
    this.mainModel = main[1];
  }

  public String pattern() {
    return pattern;
  }

  public Period period() {
    return period;
  }

  public List<CallRow> calls() {
    return calls;
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
    return mainModel;
  }

  /** The provider of {@link #mainModel()}, or null. */
  public String mainProvider() {
    return mainProvider;
  }

  /** Provider and model of the most spend, then of the most calls, then first by name; nulls without any. */
  private static String[] costliest(List<CallRow> calls) {
    Map<String, Map<String, long[]>> spend = new HashMap<>();
    for (CallRow c : calls) {
      if (c.model() == null || c.provider() == null) {
        continue;
      }
      long[] s = spend.computeIfAbsent(c.provider(), k -> new HashMap<>()).computeIfAbsent(c.model(), k -> new long[2]);
      s[0] += c.costPicoUsd() == null ? 0 : c.costPicoUsd();
      s[1]++;
    }
    String[] best = {null, null};
    long[] top = null;
    for (Map.Entry<String, Map<String, long[]>> p : spend.entrySet()) {
      for (Map.Entry<String, long[]> m : p.getValue().entrySet()) {
        long[] s = m.getValue();
        String key = p.getKey() + "\u0000" + m.getKey();
        if (top == null || s[0] > top[0] || s[0] == top[0] && (s[1] > top[1]
            || s[1] == top[1] && key.compareTo(best[0] + "\u0000" + best[1]) < 0)) {
          best = new String[] {p.getKey(), m.getKey()};
          top = s;
        }
      }
    }
    return best;
  }

  /** What an amount over the period comes to in a month, in picodollars. */
  public long monthly(long picoUsd) {
    return period.monthly(picoUsd);
  }
}
