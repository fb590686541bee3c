package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.CacheBatchText.count;
import static dev.tokenwise.audit.rules.CacheBatchText.share;

import dev.tokenwise.audit.AuditContext;
import dev.tokenwise.audit.Dollars;
import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.PatternCalls;
import dev.tokenwise.audit.Recommendation;
import dev.tokenwise.audit.Rule;
import dev.tokenwise.audit.SemanticReplay;
import dev.tokenwise.store.CallRow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

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


  /** Questions replayed through the semantic cache's matcher at most, the most recent of the pattern. */
  static final int SAMPLE = 300;

  private final SemanticReplay replayer;

  /** A rule that finds reworded repeats by their content words alone. */
  public SemanticCacheRule() {
    this(null);
  }

  /**
   * A rule that replays a sample of the questions through the semantic cache's own matcher when their
   * bodies are stored, and falls back to content words when they are not.
   *
   * @param replayer the matcher's replay, or null
   */
  public SemanticCacheRule(SemanticReplay replayer) {
    this.replayer = replayer;
  }

  @Override
  public String id() {
    return "cache-semantic";
  }

  @Override
  public List<Finding> check(PatternCalls calls, AuditContext context) {
    return ExactCacheRule.shortestTtl((ttl, label) -> check(calls, ttl, label));
  }

  /**
   * The estimate from the semantic cache's matcher, on the most recent {@link #SAMPLE} questions that could
   * be served (repeatable, single-turn, not an exact repeat): the share it serves, times what all such
   * questions cost. Empty when the questions cannot be read.
   */
  private Optional<List<Finding>> sampled(PatternCalls calls, ResponseCacheReplay replay, Duration ttl, String label) {
    java.util.Set<CallRow> exactHits = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    replay.exact().forEach(h -> exactHits.add(h.call()));
    List<CallRow> askable = replay.eligible().stream()
        .filter(c -> c.shape().repeatable() && c.shape().turns() == 1 && !exactHits.contains(c)).toList();
    int n = replay.eligible().size();
    if (askable.size() < MIN_NEAR_REPEATS) {
      return Optional.of(List.of());
    }
    List<CallRow> sample = askable.subList(Math.max(0, askable.size() - SAMPLE), askable.size());
    Optional<boolean[]> hits = replayer.nearHits(sample, ttl.toMillis());
    if (hits.isEmpty()) {
      return Optional.empty();
    }
    int served = 0;
    for (boolean h : hits.get()) {
      served += h ? 1 : 0;
    }
    long askableCost = 0;
    for (CallRow c : askable) {
      askableCost += c.costPicoUsd() == null ? 0 : c.costPicoUsd();
    }
    // the share the sample served, applied to every such question and to what they cost
    long near = Math.round((double) served * askable.size() / sample.size());
    long saving = java.math.BigDecimal.valueOf(askableCost).multiply(java.math.BigDecimal.valueOf(served))
        .divide(java.math.BigDecimal.valueOf(sample.size()), 0, java.math.RoundingMode.HALF_UP).longValueExact();
    double rate = share((int) near, n);
    if (near < MIN_NEAR_REPEATS || rate < MIN_RATE || saving <= 0) {
      return Optional.of(List.of());
    }
    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("method", "semantic cache replay");
    evidence.put("sample", sample.size());
    evidence.put("sample_served", served);
    evidence.put("askable_calls", askable.size());
    evidence.put("askable_cost_pico_usd", askableCost);
    evidence.put("near_repeats", near);
    evidence.put("exact_repeats", replay.exact().size());
    evidence.put("calls", n);
    evidence.put("near_repeat_rate", rate);
    evidence.put("ttl", label);
    evidence.put("calls_read", n);
    List<String> arithmetic = new ArrayList<>();
    arithmetic.add(count(n) + " answered calls; " + count(replay.exact().size()) + " repeat a request exactly"
        + " (counted by cache-exact, not here); " + count(askable.size()) + " others are repeatable single-turn"
        + " questions the semantic cache could serve, costing " + Dollars.of(askableCost));
    arithmetic.add("the latest " + count(sample.size()) + " of them replayed through the semantic cache's own matcher"
        + " (its embedding model, threshold and gate), each against the questions before it within " + label
        + ": " + count(served) + " served (" + Dollars.percent((double) served / sample.size()) + ")");
    arithmetic.add(Dollars.percent((double) served / sample.size()) + " × " + Dollars.of(askableCost) + " = "
        + Dollars.of(saving) + " (about " + count(near) + " calls served for $0)");
    arithmetic.add("~" + CacheBatchText.monthly(calls, saving));
    arithmetic.add("an estimate: the first questions of the sample have fewer earlier ones to match, so it leans low");
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("exact", true);
    value.put("semantic", true);
    value.put("ttl", label);
    String title = "~" + Dollars.percent(rate) + " of calls reword a question answered within " + label
        + " (the semantic cache served " + count(served) + " of " + count(sample.size()) + " replayed)";
    return Optional.of(List.of(new Finding(id(), calls.pattern(), title, calls.monthly(saving), arithmetic, evidence,
        new Recommendation(Recommendation.id(id(), calls.pattern()), calls.pattern(), "cache", value, true, null),
        null)));
  }

  /** The finding for a cache that keeps answers for {@code ttl} ({@code label} in the config's words). */
  private List<Finding> check(PatternCalls calls, Duration ttl, String label) {
    ResponseCacheReplay replay = ResponseCacheReplay.of(calls.calls(), ttl, true);
    if (replayer != null) {
      Optional<List<Finding>> sampled = sampled(calls, replay, ttl, label);
      if (sampled.isPresent()) {
        return sampled.get();
      }
    }
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
