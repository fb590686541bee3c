package dev.tokenwise.audit.rules;

import static dev.tokenwise.audit.rules.CacheBatchText.count;
import static dev.tokenwise.audit.rules.CacheBatchText.perMillion;

import dev.tokenwise.analytics.Cost;
import dev.tokenwise.analytics.ModelPrice;
import dev.tokenwise.analytics.Tier;
import dev.tokenwise.audit.AuditContext;
import dev.tokenwise.audit.Dollars;
import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.PatternCalls;
import dev.tokenwise.audit.Recommendation;
import dev.tokenwise.audit.Rule;
import dev.tokenwise.core.Usage;
import dev.tokenwise.policy.PromptCacheMinimum;
import dev.tokenwise.store.CallRow;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A prompt head (tool definitions and system prompt) sent again and again without the provider's prompt
 * cache (PLAYBOOK tactic 2).
 *
 * <p>Reads the calls of the pattern's main model whose head is at least the model's minimum to cache
 * ({@link PromptCacheMinimum}: Anthropic's per-model table, 1,024 tokens elsewhere) and replays them
 * through a 5-minute cache ({@link PromptCacheReplay}). Anthropic caches only what a request marks, at a
 * premium for each write: the saving is the heads at the input price less the writes at the 5-minute
 * write price and the reads at the cache-read price, and {@code prompt_cache: auto} marks them. OpenAI
 * and OpenAI-compatible providers cache a byte-stable head by themselves; what defeats them is a head
 * that changes from call to call (a date, an id, a timestamp in the system prompt), seen as many
 * distinct heads for one masked template: the saving is the reads a stable head would have had, at the
 * cached-input price, and only the app can fix it. The same holds for an Anthropic head that changes.
 * A pattern whose calls mostly read or write the cache already says nothing.
 */
public final class PromptCacheRule implements Rule {
  /** The fewest calls with a cacheable head worth a finding. */
  static final int MIN_CALLS = 20;
  /** Over this share of calls reading or writing the cache, the pattern uses it already. */
  static final double ALREADY_CACHED = 0.5;
  /**
   * A head that changes is worth a word when a stable one would have been read from the cache on at least
   * this share of the calls (and on {@link #MIN_CALLS} calls): a prompt edited once or twice in the period
   * also gives a template several heads, and costs nothing to speak of.
   */
  static final double MIN_LOST_READS = 0.10;

  private final Function<String, Optional<String>> sampleHeads;

  /** A rule that says how many heads a template has, not what differs between them. */
  public PromptCacheRule() {
    this(null);
  }

  /**
   * A rule that also shows what differs between two heads of one template.
   *
   * @param sampleHeads the prompt head of a call by its request id (empty when its body was not kept), or
   *     null
   */
  public PromptCacheRule(Function<String, Optional<String>> sampleHeads) {
    this.sampleHeads = sampleHeads;
  }

  @Override
  public String id() {
    return "prompt-cache";
  }

  @Override
  public List<Finding> check(PatternCalls calls, AuditContext context) {
    String provider = calls.mainProvider();
    String model = calls.mainModel();
    Optional<ModelPrice> found = provider == null ? Optional.empty() : context.prices().find(provider, model);
    if (found.isEmpty() || found.get().input() == null) {
      return List.of();
    }
    ModelPrice price = found.get();
    boolean anthropic = "anthropic".equals(provider);
    int minimum = anthropic ? PromptCacheMinimum.of(model) : PromptCacheMinimum.DEFAULT;
    List<CallRow> eligible = new ArrayList<>();
    int already = 0;
    int anthropicFormat = 0;
    for (CallRow c : calls.calls()) {
      if (c != null && c.ok() && !c.cacheHit() && c.shape() != null && c.shape().prefixHash() != 0
          && c.shape().prefixTokens() >= minimum && provider.equals(c.provider()) && model.equals(c.model())) {
        eligible.add(c);
        already += c.cachedInputTokens() > 0 || c.cacheWriteTokens() > 0 ? 1 : 0;
        anthropicFormat += "anthropic-messages".equals(c.dialect()) ? 1 : 0;
      }
    }
    if (eligible.size() < MIN_CALLS || already > eligible.size() * ALREADY_CACHED) {
      return List.of();
    }
    eligible.sort(Comparator.comparingLong(CallRow::timeMs));
    PromptCacheReplay replay = PromptCacheReplay.of(eligible);
    long lostReads = replay.stable().reads() - replay.asSent().reads();
    List<PromptCacheReplay.Template> unstable =
        lostReads >= Math.max(MIN_CALLS, eligible.size() * MIN_LOST_READS) ? replay.unstable() : List.of();

    Map<String, Object> evidence = new LinkedHashMap<>();
    PromptCacheReplay.Template busiest = replay.templates().get(0);
    evidence.put("provider", provider);
    evidence.put("model", model);
    evidence.put("min_prefix_tokens", minimum);
    evidence.put("prefix_tokens", busiest.tokens());
    evidence.put("calls", eligible.size());
    evidence.put("distinct_heads", replay.heads());
    evidence.put("templates", replay.templates().size());
    evidence.put("already_cached_calls", already);
    evidence.put("calls_read", eligible.size());
    List<String> arithmetic = new ArrayList<>();
    arithmetic.add(count(eligible.size()) + " calls on " + model + " with a prompt head of at least "
        + count(minimum) + " tokens (the least " + (anthropic ? "the model caches" : "the provider caches by itself")
        + "): " + plural(replay.heads(), "distinct head") + " in " + plural(replay.templates().size(), "template")
        + ", the busiest " + count(busiest.tokens()) + " tokens");
    return anthropic
        ? anthropic(calls, price, replay, unstable, anthropicFormat * 2 < eligible.size(), evidence, arithmetic)
        : automatic(calls, price, replay, unstable, evidence, arithmetic);
  }

  /** Anthropic: the cache pays when writes are few against reads; it needs marks, or a stable head. */
  private List<Finding> anthropic(PatternCalls calls, ModelPrice price, PromptCacheReplay replay,
      List<PromptCacheReplay.Template> unstable, boolean translated, Map<String, Object> evidence,
      List<String> arithmetic) {
    long[] sent = anthropicCosts(replay.asSent(), price);
    long[] one = anthropicCosts(replay.stable(), price);
    if (sent == null || one == null) {
      return List.of();
    }
    long savingAsSent = sent[0] - sent[1];
    long savingStable = one[0] - one[1];
    boolean stableNow = savingAsSent > 0;
    long saving = stableNow ? savingAsSent : savingStable;
    if (saving <= 0 || !stableNow && unstable.isEmpty()) {
      return List.of();
    }
    PromptCacheReplay.Tally t = stableNow ? replay.asSent() : replay.stable();
    long[] costs = stableNow ? sent : one;
    evidence.put("writes", t.writes());
    evidence.put("reads", t.reads());
    evidence.put("no_cache_pico_usd", costs[0]);
    evidence.put("with_cache_pico_usd", costs[1]);
    evidence.put("saving_pico_usd", saving);
    if (!stableNow) {
      arithmetic.add("as sent, the heads change between calls: " + count(replay.asSent().writes()) + " writes and "
          + count(replay.asSent().reads()) + " reads, a cache would cost " + Dollars.of(sent[1]) + " against "
          + Dollars.of(sent[0]) + " without");
    }
    arithmetic.add("replayed through a 5-minute cache refreshed by each read" + (stableNow ? "" : ", one head per template")
        + ": " + count(t.writes()) + " writes, " + count(t.reads()) + " reads");
    arithmetic.add("without a cache: " + count(t.callTokens()) + " head tokens × " + perMillion(price.input())
        + " per 1M input = " + Dollars.of(costs[0]));
    arithmetic.add("with it: " + count(t.writeTokens()) + " tokens written × " + perMillion(write(price))
        + " per 1M (5-minute write) + " + count(t.readTokens()) + " read × " + perMillion(read(price))
        + " per 1M (cache read) = " + Dollars.of(costs[1]));
    arithmetic.add("saving " + Dollars.of(costs[0]) + " − " + Dollars.of(costs[1]) + " = " + Dollars.of(saving));
    arithmetic.add(CacheBatchText.monthly(calls, saving));
    if (stableNow) {
      long more = savingStable - savingAsSent;
      if (!unstable.isEmpty() && more > 0) {
        evidence.put("stable_head_extra_pico_usd", more);
        arithmetic.add(count(unstable.get(0).heads()) + " distinct heads for one template: with the variable part moved"
            + " after the stable instructions, " + Dollars.of(calls.monthly(more)) + " a month more");
      }
      String blocked = translated ? "the calls come in the OpenAI format and are translated for Anthropic, and"
          + " prompt_cache: auto marks only Anthropic-format calls sent as they are: send them to /v1/messages, or"
          + " mark the head with cache_control in the app" : null;
      String title = "a " + count(replay.templates().get(0).tokens()) + "-token prompt head is sent "
          + count(t.calls()) + " times without the provider's cache";
      Recommendation r = new Recommendation(Recommendation.id(id(), calls.pattern()), calls.pattern(), "prompt_cache",
          "auto", false, blocked);
      return List.of(new Finding(id(), calls.pattern(), title, calls.monthly(saving), arithmetic, evidence, r, null));
    }
    return List.of(unstableFinding(calls, unstable, saving, evidence, arithmetic));
  }

  /** OpenAI and the like: they cache a stable head by themselves; only a head that changes misses. */
  private List<Finding> automatic(PatternCalls calls, ModelPrice price, PromptCacheReplay replay,
      List<PromptCacheReplay.Template> unstable, Map<String, Object> evidence, List<String> arithmetic) {
    if (unstable.isEmpty()) {
      return List.of();
    }
    long moreReads = replay.stable().reads() - replay.asSent().reads();
    long moreTokens = replay.stable().readTokens() - replay.asSent().readTokens();
    Optional<Long> atInput = Cost.picoUsd(new Usage(moreTokens, 0, 0, 0, 0, 0, false), price, Tier.STANDARD);
    Optional<Long> atCached = Cost.picoUsd(new Usage(0, moreTokens, 0, 0, 0, 0, false), price, Tier.STANDARD);
    if (moreReads <= 0 || atInput.isEmpty() || atCached.isEmpty() || atInput.get() - atCached.get() <= 0) {
      return List.of();
    }
    long saving = atInput.get() - atCached.get();
    evidence.put("writes", replay.stable().writes());
    evidence.put("reads", replay.stable().reads());
    evidence.put("reads_as_sent", replay.asSent().reads());
    evidence.put("saving_pico_usd", saving);
    arithmetic.add("replayed through a 5-minute cache: as sent, " + count(replay.asSent().reads())
        + " calls read a cached head; with one stable head per template " + count(replay.stable().reads())
        + " would: " + count(moreReads) + " more reads");
    arithmetic.add(count(moreReads) + " reads of " + count(moreTokens) + " head tokens (each its template's shortest"
        + " head) × (" + perMillion(price.input()) + " input − " + perMillion(read(price)) + " cached input per 1M) = "
        + Dollars.of(saving));
    arithmetic.add(CacheBatchText.monthly(calls, saving));
    return List.of(unstableFinding(calls, unstable, saving, evidence, arithmetic));
  }

  private Finding unstableFinding(PatternCalls calls, List<PromptCacheReplay.Template> unstable, long saving,
      Map<String, Object> evidence, List<String> arithmetic) {
    PromptCacheReplay.Template t = unstable.get(0);
    String heads = count(t.heads()) + " distinct heads for one template";
    String what = heads;
    Optional<String> differs = difference(t);
    if (differs.isPresent()) {
      what += "; " + differs.get();
      evidence.put("head_difference", differs.get());
    }
    evidence.put("unstable_template_calls", t.calls());
    evidence.put("unstable_template_heads", t.heads());
    Recommendation r = new Recommendation(Recommendation.id(id(), calls.pattern()), calls.pattern(), "prompt_cache",
        "auto", false, "the head changes from call to call (" + what + "); move the variable part (a date, an id,"
            + " a timestamp) after the stable instructions, in the app");
    return new Finding(id(), calls.pattern(), "the prompt head is not byte-stable: " + heads, calls.monthly(saving),
        arithmetic, evidence, r, null);
  }

  /** What differs between two heads of one template, from their text, when the heads can be read. */
  private Optional<String> difference(PromptCacheReplay.Template t) {
    if (sampleHeads == null || t.firstOtherHead() == null) {
      return Optional.empty();
    }
    try {
      Optional<String> a = sampleHeads.apply(t.first().id());
      Optional<String> b = sampleHeads.apply(t.firstOtherHead().id());
      if (a == null || b == null || a.isEmpty() || b.isEmpty() || a.get().equals(b.get())) {
        return Optional.empty();
      }
      return Optional.of(HeadDiff.describe(a.get(), b.get()));
    } catch (RuntimeException e) {
      return Optional.empty(); // a body that cannot be read leaves the finding without the example
    }
  }

  private static String plural(long n, String word) {
    return count(n) + " " + word + (n == 1 ? "" : "s");
  }

  /** {no cache, with cache} in picodollars, or null when the model cannot be priced. */
  private static long[] anthropicCosts(PromptCacheReplay.Tally t, ModelPrice price) {
    Optional<Long> without = Cost.picoUsd(new Usage(t.callTokens(), 0, 0, 0, 0, 0, false), price, Tier.STANDARD);
    Optional<Long> with = Cost.picoUsd(new Usage(0, t.readTokens(), t.writeTokens(), 0, 0, 0, false), price,
        Tier.STANDARD);
    return without.isEmpty() || with.isEmpty() ? null : new long[] {without.get(), with.get()};
  }

  /** The price a 5-minute write is billed at (the input price where none is published, as Cost bills it). */
  private static java.math.BigDecimal write(ModelPrice p) {
    return p.cacheWrite5m() != null ? p.cacheWrite5m() : p.input();
  }

  /** The price a cache read is billed at (the input price where none is published, as Cost bills it). */
  private static java.math.BigDecimal read(ModelPrice p) {
    return p.cachedInput() != null ? p.cachedInput() : p.input();
  }
}
