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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Tactic 3, an output cap near the real need. Two figures, kept apart on purpose:
 *
 * <ul>
 *   <li>the <em>bound</em>: (the cap the pattern sends − the observed p99 of output) × the output price ×
 *       the calls that sent that cap; what a rambling answer could bill, never counted as a saving;
 *   <li>the <em>saving</em>: what the runaway calls (cut by a length limit, or whose output reached their
 *       cap) billed for output beyond twice the p99, the cap {@code max_tokens: { cap: auto }} would set.
 * </ul>
 *
 * <p>The p99 is taken over the answers that ended by themselves (runaways left out, when at least
 * {@link #MIN_CALLS} remain): it measures the need, and with more than 1 % of runaways a p99 over every
 * answer would be the cap itself.
 *
 * <p>Fires on a cap of at least four times the p99 sent by enough calls, or on runaways whose output
 * beyond 2 × p99 cost something; the latter also for a pattern that sends no cap at all, where the
 * provider's own limit let the answers run. Cache hits are left out: no provider generated them.
 */
public final class MaxTokensRule implements Rule {
  /**
   * Answered calls below which the audit takes no p99. Under 100 the nearest-rank p99 is the largest output,
   * so a runaway cannot exceed it: only the bound can make a finding.
   */
  public static final int MIN_CALLS = 50;
  /** The cap sent must be at least this many times the p99 for the bound alone to make a finding. */
  public static final int CAP_OVER_P99 = 4;
  /** The gateway's automatic cap: this many times the observed p99. */
  public static final int AUTO_CAP_OVER_P99 = 2;

  public MaxTokensRule() {}

  @Override
  public String id() {
    return "cap";
  }

  @Override
  public List<Finding> check(PatternCalls calls, AuditContext context) {
    if (context == null) {
      return List.of();
    }
    List<CallRow> answered = calls.calls().stream().filter(c -> c.ok() && !c.cacheHit()).toList();
    if (answered.size() < MIN_CALLS) {
      return List.of();
    }
    // the need is what answers that ended by themselves took; runaways are the waste, not the need (with
    // more than 1 % of them, a p99 over every answer would be the cap itself)
    List<CallRow> complete = answered.stream().filter(c -> !runaway(c)).toList();
    List<CallRow> measured = complete.size() >= MIN_CALLS ? complete : answered;
    long[] outputs = measured.stream().mapToLong(c -> Math.max(0, c.outputTokens())).sorted().toArray();
    int rank = (int) ((outputs.length * 99L + 99) / 100); // nearest rank: ceil(0.99 × n)
    long p99 = outputs[rank - 1];
    if (p99 <= 0) {
      return List.of();
    }
    long autoCap = AUTO_CAP_OVER_P99 * p99;

    Map<Integer, Integer> caps = new TreeMap<>();
    int uncapped = 0;
    int unknown = 0;
    for (CallRow c : answered) {
      if (c.shape() == null) {
        unknown++;
      } else if (c.shape().maxTokens() > 0) {
        caps.merge(c.shape().maxTokens(), 1, Integer::sum);
      } else {
        uncapped++;
      }
    }
    int capped = caps.values().stream().mapToInt(Integer::intValue).sum();
    int cap = -1;
    int withCap = 0;
    for (Map.Entry<Integer, Integer> e : caps.entrySet()) { // ascending: a tie keeps the smaller cap
      if (e.getValue() > withCap) {
        cap = e.getKey();
        withCap = e.getValue();
      }
    }
    boolean sendsCap = capped > 0 && capped >= uncapped;

    // The bound, by model: (cap − p99) tokens for every call that sent the cap.
    Map<ModelPrice, long[]> boundByModel = new LinkedHashMap<>();
    Map<ModelPrice, long[]> excessByModel = new LinkedHashMap<>();
    Map<String, ModelPrice> priceMemo = new HashMap<>();
    int unpriced = 0;
    int runaways = 0;
    long runawayCost = 0;
    int runawayUnknownCost = 0;
    long excessTokens = 0;
    int cutByAuto = 0;
    for (CallRow c : answered) {
      long out = Math.max(0, c.outputTokens());
      ModelPrice price = priceMemo.computeIfAbsent(c.provider() + "\u0000" + c.model(),
          k -> PriceFigures.price(context.prices(), c.provider(), c.model()));
      boolean priced = price != null && price.output() != null;
      if (out > autoCap) {
        cutByAuto++;
      }
      if (sendsCap && cap > p99 && c.shape() != null && c.shape().maxTokens() == cap) {
        if (priced) {
          boundByModel.computeIfAbsent(price, k -> new long[2])[0] += cap - p99;
          boundByModel.get(price)[1]++;
        } else {
          unpriced++;
        }
      }
      if (runaway(c)) {
        runaways++;
        if (c.costPicoUsd() == null) {
          runawayUnknownCost++;
        } else {
          runawayCost += c.costPicoUsd();
        }
        long over = Math.max(0, out - autoCap);
        if (over > 0 && priced) {
          excessTokens += over;
          long[] e = excessByModel.computeIfAbsent(price, k -> new long[2]);
          e[0] += over;
          e[1]++;
        }
      }
    }
    long bound = 0;
    for (Map.Entry<ModelPrice, long[]> e : boundByModel.entrySet()) {
      bound += PriceFigures.outputPico(e.getValue()[0], e.getKey());
    }
    long saving = 0;
    for (Map.Entry<ModelPrice, long[]> e : excessByModel.entrySet()) {
      saving += PriceFigures.outputPico(e.getValue()[0], e.getKey());
    }
    boolean boundFires = sendsCap && cap >= CAP_OVER_P99 * p99 && withCap >= MIN_CALLS && bound > 0;
    if (!boundFires && saving <= 0) {
      return List.of();
    }
    long monthly = calls.monthly(saving);
    long monthlyBound = calls.monthly(bound);

    List<String> arithmetic = new ArrayList<>();
    arithmetic.add("p99 of output over " + count(measured.size()) + (measured == complete
        ? " answers that ended by themselves" : " answered calls") + " (nearest rank " + count(rank)
        + "): " + count(p99) + " tokens; auto cap " + AUTO_CAP_OVER_P99 + " × " + count(p99) + " = "
        + count(autoCap) + " tokens");
    if (sendsCap) {
      arithmetic.add(count(withCap) + " of " + count(answered.size()) + " answered calls send max_tokens "
          + count(cap));
    } else if (uncapped > 0) {
      arithmetic.add(count(uncapped) + " of " + count(answered.size())
          + " answered calls send no max_tokens: the provider's own limit is their cap");
    } else {
      arithmetic.add("the log does not say which max_tokens the calls sent (rows kept before call shapes)");
    }
    for (Map.Entry<ModelPrice, long[]> e : boundByModel.entrySet()) {
      long n = e.getValue()[1];
      arithmetic.add("cap " + count(cap) + " − p99 " + count(p99) + " = " + count(cap - p99) + " tokens × "
          + perMillion(e.getKey().output()) + " per 1M output (" + e.getKey().model() + ") × " + count(n)
          + " calls = " + Dollars.of(PriceFigures.outputPico(e.getValue()[0], e.getKey()))
          + " (bound, not counted as saving)");
    }
    if (bound > 0) {
      arithmetic.add(PriceFigures.monthly("bound", bound, monthlyBound, calls.period()));
    }
    if (unpriced > 0) {
      arithmetic.add(count(unpriced) + " calls with the cap ran on a model with no output price: not in the bound");
    }
    if (runaways > 0) {
      arithmetic.add(count(runaways) + " runaway calls (finish reason length or max_tokens, or output at their cap)"
          + " cost " + Dollars.of(runawayCost)
          + (runawayUnknownCost > 0 ? " (" + count(runawayUnknownCost) + " of unknown cost not included)" : ""));
    } else {
      arithmetic.add("no runaway calls: nothing measurable to save yet, the bound is the exposure");
    }
    for (Map.Entry<ModelPrice, long[]> e : excessByModel.entrySet()) {
      arithmetic.add(count(e.getValue()[1]) + " of them wrote " + count(e.getValue()[0]) + " output tokens beyond "
          + count(autoCap) + " × " + perMillion(e.getKey().output()) + " per 1M output (" + e.getKey().model()
          + ") = " + Dollars.of(PriceFigures.outputPico(e.getValue()[0], e.getKey())));
    }
    if (saving > 0) {
      arithmetic.add(PriceFigures.monthly("saving", saving, monthly, calls.period()));
    }
    double shareCut = (double) cutByAuto / answered.size();
    arithmetic.add("a cap of " + count(autoCap) + " would have cut " + count(cutByAuto) + " of "
        + count(answered.size()) + " answered calls (" + Dollars.percent(shareCut) + ")");

    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("calls_read", answered.size());
    evidence.put("cap", sendsCap ? cap : -1);
    evidence.put("calls_with_cap", sendsCap ? withCap : 0);
    evidence.put("calls_without_cap", uncapped);
    evidence.put("calls_unknown_cap", unknown);
    evidence.put("p99_output_tokens", p99);
    evidence.put("auto_cap_tokens", autoCap);
    evidence.put("bound_pico_usd", bound);
    evidence.put("monthly_bound_pico_usd", monthlyBound);
    evidence.put("runaway_calls", runaways);
    evidence.put("runaway_cost_pico_usd", runawayCost);
    evidence.put("runaway_unknown_cost_calls", runawayUnknownCost);
    evidence.put("runaway_excess_tokens", excessTokens);
    evidence.put("saving_pico_usd", saving);
    evidence.put("monthly_saving_pico_usd", monthly);
    evidence.put("calls_cut_by_auto_cap", cutByAuto);
    evidence.put("share_cut_by_auto_cap", shareCut);

    String title;
    if (!sendsCap && uncapped == 0) {
      title = count(runaways) + " answers ran to a length limit; " + Dollars.of(monthly)
          + "/month of output beyond " + count(autoCap) + " tokens (2 × p99)";
    } else if (!sendsCap) {
      title = "sends no max_tokens; " + count(runaways) + " answers ran to the provider's limit, "
          + Dollars.of(monthly) + "/month of output beyond " + count(autoCap) + " tokens (2 × p99)";
    } else if (boundFires) {
      title = "asks for up to " + count(cap) + " output tokens where 99 % of answers need " + count(p99)
          + " or fewer (exposure " + Dollars.of(monthlyBound) + "/month)"
          + (runaways > 0 ? "; " + count(runaways) + " answers ran away" : "");
    } else {
      title = count(runaways) + " answers ran to their length limit; their output beyond " + count(autoCap)
          + " tokens (2 × p99) costs " + Dollars.of(monthly) + "/month";
    }
    Recommendation rec = new Recommendation(Recommendation.id(id(), calls.pattern()), calls.pattern(),
        "max_tokens", Map.of("cap", "auto"), true, null);
    return List.of(new Finding(id(), calls.pattern(), title, monthly, arithmetic, evidence, rec, null));
  }

  /** Cut by a length limit, or stopped at the cap it asked for. */
  static boolean runaway(CallRow c) {
    String reason = c.finishReason();
    if ("length".equalsIgnoreCase(reason) || "max_tokens".equalsIgnoreCase(reason)) {
      return true;
    }
    return c.shape() != null && c.shape().maxTokens() > 0 && c.outputTokens() >= c.shape().maxTokens();
  }
}
