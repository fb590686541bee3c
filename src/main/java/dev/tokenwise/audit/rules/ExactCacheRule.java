package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.CacheBatchText.count;
import static dev.tokenwise.audit.rules.CacheBatchText.share;

import dev.tokenwise.audit.AuditContext;
import dev.tokenwise.audit.Dollars;
import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.PatternCalls;
import dev.tokenwise.audit.Recommendation;
import dev.tokenwise.audit.Rule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls that repeat an earlier call exactly, which the response cache would answer for nothing
 * (PLAYBOOK tactic 6).
 *
 * <p>The calls are replayed in time order through a cache that keeps each answer for an hour, else a day
 * ({@link #TTLS}; see
 * {@link ResponseCacheReplay}); a repeat is a call whose request was answered and kept at most that
 * long before. The saving is what the repeats cost. A cache serves one answer for every repeat, so when
 * the repeats got other answers than the call before them (more than {@link #MAX_OTHER_ANSWERS} of
 * them), the pattern wants variety or its model is not deterministic: the rule proposes no cache then,
 * and says so in a note when the repeats are common ({@link #NOTE_RATE}).
 */
public final class ExactCacheRule implements Rule {
  /**
   * How long the proposed cache keeps an answer: an hour when that is enough to make a finding, else a
   * day (an FAQ repeats across the day, not within the hour).
   */
  static final List<Duration> TTLS = List.of(Duration.ofHours(1), Duration.ofHours(24));
  static final List<String> TTL_NAMES = List.of("1h", "24h");
  static final Duration TTL = TTLS.get(0);
  /** The fewest repeats worth a finding: below it a rate says little. */
  static final int MIN_REPEATS = 20;
  /** The smallest share of repeats among the calls worth a cache. */
  static final double MIN_RATE = 0.05;
  /** Above this share of repeats with another answer, a cache would change answers. */
  static final double MAX_OTHER_ANSWERS = 0.10;
  /** The share of repeats at which answers that vary are worth a note. */
  static final double NOTE_RATE = 0.10;
  /** The share of repeats with the same answer under which a cache is said to change answers. */
  static final double SAME_ANSWERS = 0.90;

  public ExactCacheRule() {}

  /** The findings of the shortest of {@link #TTLS} that makes any, or none. */
  static List<Finding> shortestTtl(java.util.function.BiFunction<Duration, String, List<Finding>> check) {
    for (int i = 0; i < TTLS.size(); i++) {
      List<Finding> found = check.apply(TTLS.get(i), TTL_NAMES.get(i));
      if (!found.isEmpty()) {
        return found;
      }
    }
    return List.of();
  }

  @Override
  public String id() {
    return "cache-exact";
  }

  @Override
  public List<Finding> check(PatternCalls calls, AuditContext context) {
    return ExactCacheRule.shortestTtl((ttl, label) -> check(calls, ttl, label));
  }

  /** The finding for a cache that keeps answers for {@code ttl} ({@code label} in the config's words). */
  private List<Finding> check(PatternCalls calls, Duration ttl, String label) {
    ResponseCacheReplay replay = ResponseCacheReplay.of(calls.calls(), ttl, false);
    List<ResponseCacheReplay.Hit> repeats = replay.exact();
    int n = replay.eligible().size();
    if (repeats.size() < MIN_REPEATS) {
      return List.of();
    }
    double rate = share(repeats.size(), n);
    int same = 0;
    int other = 0;
    int toolCalls = 0;
    boolean repeatable = true;
    for (ResponseCacheReplay.Hit h : repeats) {
      same += h.sameAnswer() ? 1 : 0;
      other += h.otherAnswer() ? 1 : 0;
      toolCalls += h.storedToolCall() ? 1 : 0;
      repeatable &= h.call().shape().repeatable();
    }
    double sameShare = share(same, repeats.size());
    double otherShare = share(other, repeats.size());

    Map<String, Object> evidence = new LinkedHashMap<>();
    evidence.put("repeats", repeats.size());
    evidence.put("calls", n);
    evidence.put("distinct_requests", replay.distinctRequests());
    evidence.put("repeat_rate", rate);
    evidence.put("same_answer", same);
    evidence.put("other_answer", other);
    evidence.put("same_answer_share", sameShare);
    evidence.put("repeatable", repeatable);
    evidence.put("ttl", label);
    evidence.put("calls_read", n);
    String repeatsLine = count(n) + " answered calls, " + count(replay.distinctRequests()) + " distinct requests; "
        + count(repeats.size()) + " repeat a request answered at most " + label + " before (" + Dollars.percent(rate) + ")";

    if (otherShare > MAX_OTHER_ANSWERS) {
      if (rate < NOTE_RATE) {
        return List.of();
      }
      return List.of(new Finding(id(), calls.pattern(),
          Dollars.percent(otherShare) + " of exact repeats got a different answer; a cache would freeze one", 0,
          List.of(repeatsLine,
              count(other) + " of " + count(repeats.size()) + " repeats (" + Dollars.percent(otherShare)
                  + ") got another answer than the one the cache would have served them, more than "
                  + Dollars.percent(MAX_OTHER_ANSWERS) + ": the pattern wants variety or is not deterministic,"
                  + " so no cache is proposed"),
          evidence, null, null));
    }
    if (rate < MIN_RATE) {
      return List.of();
    }
    long saving = ResponseCacheReplay.cost(repeats);
    if (saving <= 0) {
      return List.of();
    }
    long monthly = calls.monthly(saving);
    int unpriced = ResponseCacheReplay.unpriced(repeats);
    evidence.put("repeat_cost_pico_usd", saving);
    evidence.put("spend_pico_usd", calls.spendPicoUsd());
    evidence.put("unpriced_repeats", unpriced);
    evidence.put("tool_call_repeats", toolCalls);

    List<String> arithmetic = new ArrayList<>();
    arithmetic.add(repeatsLine);
    arithmetic.add(count(repeats.size()) + " repeats cost " + Dollars.of(saving)
        + (unpriced > 0 ? " (" + count(unpriced) + " of unknown cost count $0)" : "")
        + "; served from the cache they cost $0");
    arithmetic.add(CacheBatchText.monthly(calls, saving));
    arithmetic.add(count(same) + " of " + count(repeats.size()) + " repeats (" + Dollars.percent(sameShare)
        + ") got the answer the cache would have served them");
    boolean changesAnswers = !(sameShare >= SAME_ANSWERS && repeatable);
    Map<String, Object> value = new LinkedHashMap<>();
    value.put("exact", true);
    value.put("ttl", label);
    if (!repeatable) {
      value.put("any_temperature", true);
      arithmetic.add("not every repeat is repeatable (temperature 0, a seed or top_k 1), and the cache keeps only"
          + " repeatable calls by default: any_temperature: true caches the others too, serving one sampled answer");
    }
    if (toolCalls > 0) {
      value.put("tool_calls", true);
      arithmetic.add(count(toolCalls) + " repeats would be served an answer that calls a tool, which the cache keeps"
          + " only with tool_calls: true");
    }
    String title = Dollars.percent(rate) + " of calls repeat an earlier call exactly within " + label;
    Recommendation r = new Recommendation(Recommendation.id(id(), calls.pattern()), calls.pattern(), "cache",
        value, changesAnswers, null);
    return List.of(new Finding(id(), calls.pattern(), title, monthly, arithmetic, evidence, r, null));
  }
}
