package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.CacheBatchText.count;
import static dev.tokenwise.audit.rules.CacheBatchText.share;

import dev.tokenwise.audit.AuditContext;
import dev.tokenwise.audit.Dollars;
import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.PatternCalls;
import dev.tokenwise.audit.Recommendation;
import dev.tokenwise.audit.Rule;
import dev.tokenwise.store.CallRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Questions asked again in other words, which the semantic cache would answer for nothing (PLAYBOOK
 * tactic 6, its semantic half).
 *
 * <p>A near repeat is a call whose query hash (the content words of its last question, in the same
 * conversation and model) was answered and kept within {@link #TTL} while its exact request was not: the
 * exact repeats are left to {@code cache-exact}, so the two findings never count a call twice. Only
 * repeatable single-turn calls take part, on both sides: the cache keeps only repeatable answers by
 * default, a reworded question may well get other words back (so varying answers prove nothing here),
 * and in a conversation the same words can ask something else. The figure is an estimate: the
 * semantic cache's own similarity threshold and lexical gate decide in the end, and serve fewer.
 */
public final class SemanticCacheRule implements Rule {
  static final Duration TTL = ExactCacheRule.TTL;
  /** The fewest near repeats worth a finding. */
  static final int MIN_NEAR_REPEATS = 20;
  /** The smallest share of near repeats among the calls worth a semantic cache. */
  static final double MIN_RATE = 0.05;

  public SemanticCacheRule() {}

  @Override
  public String id() {
    return "cache-semantic";
  }

  @Override
  public List<Finding> check(PatternCalls calls, AuditContext context) {
    for (int i = 0; i < ExactCacheRule.TTLS.size(); i++) {
      List<Finding> found = check(calls, ExactCacheRule.TTLS.get(i), ExactCacheRule.TTL_NAMES.get(i));
      if (!found.isEmpty()) {
        return found;
      }
    }
    return List.of();
  }

  /** The finding for a cache that keeps answers for {@code ttl} ({@code label} in the config's words). */
  private List<Finding> check(PatternCalls calls, Duration ttl, String label) {
    ResponseCacheReplay replay = ResponseCacheReplay.of(calls.calls(), ttl, true);
    List<ResponseCacheReplay.Hit> near = replay.near();
    int n = replay.eligible().size();
    double rate = share(near.size(), n);
    if (near.size() < MIN_NEAR_REPEATS || rate < MIN_RATE) {
      return List.of();
    }
    long saving = ResponseCacheReplay.cost(near);
    if (saving <= 0) {
      return List.of();
    }
    int askable = 0;
    for (CallRow c : replay.eligible()) {
      askable += c.shape().repeatable() && c.shape().turns() == 1 ? 1 : 0;
    }
    int toolCalls = 0;
    for (ResponseCacheReplay.Hit h : near) {
      toolCalls += h.storedToolCall() ? 1 : 0;
    }
    int unpriced = ResponseCacheReplay.unpriced(near);
    int exact = replay.exact().size();

    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("near_repeats", near.size());
    evidence.put("exact_repeats", exact);
    evidence.put("calls", n);
    evidence.put("repeatable_single_turn_calls", askable);
    evidence.put("near_repeat_rate", rate);
    evidence.put("near_repeat_cost_pico_usd", saving);
    evidence.put("unpriced_near_repeats", unpriced);
    evidence.put("tool_call_near_repeats", toolCalls);
    evidence.put("ttl", label);
    evidence.put("calls_read", n);

    List<String> arithmetic = new ArrayList<>();
    arithmetic.add(count(n) + " answered calls; " + count(exact) + " repeat a request exactly (counted by cache-exact,"
        + " not here); " + count(near.size()) + " more (" + Dollars.percent(rate) + ") are repeatable single-turn"
        + " questions with the same content words as one answered at most " + label + " before");
    arithmetic.add(count(near.size()) + " near repeats cost " + Dollars.of(saving)
        + (unpriced > 0 ? " (" + count(unpriced) + " of unknown cost count $0)" : "")
        + "; served from the semantic cache they cost $0");
    arithmetic.add("~" + CacheBatchText.monthly(calls, saving));
    arithmetic.add("an estimate: same content words after normalisation; the semantic cache's own threshold and gate"
        + " decide in the end, and serve fewer");
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("exact", true);
    value.put("semantic", true);
    value.put("ttl", label);
    if (toolCalls > 0) {
      value.put("tool_calls", true);
      arithmetic.add(count(toolCalls) + " near repeats would be served an answer that calls a tool, which the cache"
          + " keeps only with tool_calls: true");
    }
    String title = "~" + Dollars.percent(rate) + " of calls reword a question answered within " + label;
    Recommendation r = new Recommendation(Recommendation.id(id(), calls.pattern()), calls.pattern(), "cache", value,
        true, null);
    return List.of(new Finding(id(), calls.pattern(), title, calls.monthly(saving), arithmetic, evidence, r, null));
  }
}
