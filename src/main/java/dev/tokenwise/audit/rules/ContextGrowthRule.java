package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.PriceFigures.count;
import static dev.tokenwise.audit.rules.PriceFigures.perMillion;

import dev.tokenwise.analytics.ModelPrice;
import dev.tokenwise.audit.AuditContext;
import dev.tokenwise.audit.Dollars;
import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.PatternCalls;
import dev.tokenwise.audit.Recommendation;
import dev.tokenwise.audit.Rule;
import dev.tokenwise.store.CallRow;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tactic 4, trimmed context: a conversation that sends its whole history grows its input with every turn.
 * The rule fits input tokens against the turn number (least squares over the answered calls whose turns are
 * known) and, when each turn adds enough, counts what the calls beyond {@value #KEEP_TURNS} turns sent above
 * the fit's estimate at {@value #KEEP_TURNS} turns, priced at each call's input price: what
 * {@code context: { keep_last_turns: 6 }} would have dropped.
 *
 * <p>The estimate at 6 turns is rounded to whole tokens; a call below it counts nothing. Every dropped
 * token is priced as uncached input, although a provider's prompt cache may have billed part of the history
 * for less.
 */
public final class ContextGrowthRule implements Rule {
  /** Answered calls with known turns below which no line is fitted. */
  public static final int MIN_CALLS = 30;
  /** Input tokens each turn must add (the fit's slope) for the growth to be worth a trim. */
  public static final double MIN_SLOPE = 50;
  /** The turns the recommendation keeps. */
  public static final int KEEP_TURNS = 6;
  /** Turn numbers listed one by one in the evidence; the rest share one row. */
  static final int TABLE_ROWS = 12;

  public ContextGrowthRule() {}

  @Override
  public String id() {
    return "context";
  }

  @Override
  public List<Finding> check(PatternCalls calls, AuditContext context) {
    if (context == null) {
      return List.of();
    }
    List<CallRow> rows = calls.calls().stream()
        .filter(c -> c.ok() && !c.cacheHit() && c.shape() != null && c.shape().turns() >= 1)
        .toList();
    if (rows.size() < MIN_CALLS || rows.stream().noneMatch(c -> c.shape().turns() > KEEP_TURNS)) {
      return List.of();
    }
    double n = rows.size();
    double sumX = 0;
    double sumY = 0;
    for (CallRow c : rows) {
      sumX += c.shape().turns();
      sumY += c.promptTokens();
    }
    double meanX = sumX / n;
    double meanY = sumY / n;
    double sxx = 0;
    double sxy = 0;
    for (CallRow c : rows) {
      double dx = c.shape().turns() - meanX;
      sxx += dx * dx;
      sxy += dx * (c.promptTokens() - meanY);
    }
    if (sxx <= 0) {
      return List.of();
    }
    double slope = sxy / sxx;
    double intercept = meanY - slope * meanX;
    long atKeep = Math.round(intercept + slope * KEEP_TURNS);
    if (slope < MIN_SLOPE || atKeep <= 0) {
      return List.of();
    }

    Map<ModelPrice, long[]> byModel = new LinkedHashMap<>();
    Map<String, ModelPrice> memo = new HashMap<>();
    long beyondCalls = 0;
    long beyondTokens = 0;
    long excessTokens = 0;
    int unpriced = 0;
    for (CallRow c : rows) {
      if (c.shape().turns() <= KEEP_TURNS) {
        continue;
      }
      beyondCalls++;
      beyondTokens += c.promptTokens();
      long excess = Math.max(0, c.promptTokens() - atKeep);
      ModelPrice price = memo.computeIfAbsent(c.provider() + "\u0000" + c.model(),
          k -> PriceFigures.price(context.prices(), c.provider(), c.model()));
      if (price == null || price.input() == null) {
        unpriced++;
        continue;
      }
      excessTokens += excess;
      long[] m = byModel.computeIfAbsent(price, k -> new long[2]);
      m[0] += excess;
      m[1]++;
    }
    long saving = 0;
    for (Map.Entry<ModelPrice, long[]> e : byModel.entrySet()) {
      saving += PriceFigures.inputPico(e.getValue()[0], e.getKey());
    }
    if (saving <= 0) {
      return List.of();
    }
    long monthly = calls.monthly(saving);

    List<String> table = table(rows);
    List<String> arithmetic = new ArrayList<>();
    arithmetic.add("least squares over " + count(rows.size()) + " answered calls: input ≈ " + decimal(intercept)
        + " + " + decimal(slope) + " × turn tokens");
    arithmetic.add("at " + KEEP_TURNS + " turns: " + decimal(intercept) + " + " + decimal(slope) + " × " + KEEP_TURNS
        + " = " + count(atKeep) + " tokens");
    arithmetic.add(count(beyondCalls) + " calls beyond " + KEEP_TURNS + " turns sent " + count(beyondTokens)
        + " input tokens; above " + count(atKeep) + " each (a call below it counts 0): " + count(excessTokens)
        + " tokens");
    for (Map.Entry<ModelPrice, long[]> e : byModel.entrySet()) {
      arithmetic.add(count(e.getValue()[0]) + " tokens of " + count(e.getValue()[1]) + " calls on "
          + e.getKey().model() + " × " + perMillion(e.getKey().input()) + " per 1M input = "
          + Dollars.of(PriceFigures.inputPico(e.getValue()[0], e.getKey())));
    }
    if (unpriced > 0) {
      arithmetic.add(count(unpriced) + " calls beyond " + KEEP_TURNS
          + " turns ran on a model with no input price: not counted");
    }
    arithmetic.add(PriceFigures.monthly("saving", saving, monthly, calls.period()));

    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("calls_read", rows.size());
    evidence.put("slope_tokens_per_turn", round(slope));
    evidence.put("intercept_tokens", round(intercept));
    evidence.put("estimated_tokens_at_keep", atKeep);
    evidence.put("keep_last_turns", KEEP_TURNS);
    evidence.put("calls_beyond_keep", beyondCalls);
    evidence.put("input_tokens_beyond_keep", beyondTokens);
    evidence.put("excess_tokens", excessTokens);
    evidence.put("saving_pico_usd", saving);
    evidence.put("monthly_saving_pico_usd", monthly);
    evidence.put("input_by_turn", table);

    String title = "input grows by " + count(Math.round(slope)) + " tokens a turn; " + count(beyondCalls)
        + " calls beyond " + KEEP_TURNS + " turns sent " + count(excessTokens) + " tokens above the "
        + KEEP_TURNS + "-turn size";
    Recommendation rec = new Recommendation(Recommendation.id(id(), calls.pattern()), calls.pattern(), "context",
        Map.of("keep_last_turns", KEEP_TURNS), true, null);
    return List.of(new Finding(id(), calls.pattern(), title, monthly, arithmetic, evidence, rec, null));
  }

  /** {@code 3: 120 calls, avg 1,400 tokens}, one row per turn number, the highest ones merged into one row. */
  static List<String> table(List<CallRow> rows) {
    TreeMap<Integer, long[]> byTurn = new TreeMap<>();
    for (CallRow c : rows) {
      long[] t = byTurn.computeIfAbsent(c.shape().turns(), k -> new long[2]);
      t[0]++;
      t[1] += c.promptTokens();
    }
    List<String> out = new ArrayList<>();
    long restCalls = 0;
    long restTokens = 0;
    Integer restFrom = null;
    int i = 0;
    for (Map.Entry<Integer, long[]> e : byTurn.entrySet()) {
      if (byTurn.size() > TABLE_ROWS && i >= TABLE_ROWS - 1) {
        restFrom = restFrom == null ? e.getKey() : restFrom;
        restCalls += e.getValue()[0];
        restTokens += e.getValue()[1];
      } else {
        out.add(e.getKey() + ": " + count(e.getValue()[0]) + " calls, avg "
            + count(Math.round((double) e.getValue()[1] / e.getValue()[0])) + " tokens");
      }
      i++;
    }
    if (restFrom != null) {
      out.add(restFrom + "+: " + count(restCalls) + " calls, avg " + count(Math.round((double) restTokens / restCalls))
          + " tokens");
    }
    return out;
  }

  /** A fitted figure as the arithmetic shows it: {@code 1,234.5}. */
  private static String decimal(double v) {
    return String.format(java.util.Locale.ROOT, "%,.1f", round(v));
  }

  /** A fitted figure to one decimal. */
  private static double round(double v) {
    return BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP).doubleValue();
  }
}
