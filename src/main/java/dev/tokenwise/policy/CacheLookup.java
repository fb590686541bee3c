package dev.tokenwise.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.cache.AnswerStore;
import dev.tokenwise.cache.SemanticSearch;
import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.core.Dialect;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code cache} tactic: answers a call from a stored answer when one fits, else lets it through and
 * keeps its answer afterwards. It runs after routing, since the key names the model that answers.
 *
 * <p>Only repeatable answers are kept unless the policy says otherwise: a call at temperature 0 or with
 * a seed. Errors, answers cut by a length limit or a content filter, answers that stopped early and
 * (unless allowed) tool calls are never kept. The semantic cache compares only the last user message of
 * calls that agree on everything else (tenant, model, system prompt, tools, earlier turns), and a hit
 * must pass a lexical gate too: a wrong answer costs more than a call.
 */
final class CacheLookup implements Stage {
  static final String TACTIC = "cache";
  static final String HIT_EXACT = "hit-exact";
  static final String HIT_SEMANTIC = "hit-semantic";
  /** Stored questions weighed per lookup; the best of them above the threshold that passes the gate wins. */
  private static final int CANDIDATES = 8;
  /** Finish reasons of complete answers, both dialects. */
  private static final Set<String> COMPLETE = Set.of("stop", "end_turn", "stop_sequence");
  private static final Set<String> TOOL_CALL = Set.of("tool_calls", "function_call", "tool_use");

  private final AnswerStore store;
  private final Supplier<SemanticSearch> semantic;
  private final float defaultThreshold;
  private final CacheStats stats = new CacheStats();

  /**
   * @param store where answers are kept
   * @param semantic the semantic index, asked for only when a policy turns semantic matching on
   * @param defaultThreshold the similarity a paraphrase needs when the policy names none
   */
  CacheLookup(AnswerStore store, Supplier<SemanticSearch> semantic, float defaultThreshold) {
    this.store = store;
    this.semantic = semantic;
    this.defaultThreshold = defaultThreshold;
  }

  /**
   * What the lookup learnt, for storing the answer once the call is over.
   *
   * @param key the exact key
   * @param scope the semantic scope, or null
   * @param query the last user message, or null
   * @param vector its embedding, or null
   */
  record Plan(CacheSettings settings, String key, String scope, String query, float[] vector) {}

  @Override
  public String name() {
    return TACTIC;
  }

  CacheStats stats() {
    return stats;
  }

  @Override
  public void before(Exchange ex) {
    Policy policy = ex.policy();
    CacheSettings settings = policy == null ? null : CacheSettings.of(policy.tactic(TACTIC), defaultThreshold);
    if (settings == null || !isChat(ex)) {
      return;
    }
    String pattern = ex.pattern() == null ? "none" : ex.pattern();
    String directive = ex.cacheDirective();
    if ("no-store".equals(directive)) {
      stats.bypass(pattern);
      ex.record(new Decision(name(), "bypass: X-Tokenwise-Cache: no-store (" + policy.name() + ")"));
      return;
    }
    String unrepeatable = unrepeatable(ex.dialect(), ex.body(), settings);
    if (unrepeatable != null) {
      stats.bypass(pattern);
      ex.record(new Decision(name(), "bypass: " + unrepeatable + " (" + policy.name() + ")"));
      return;
    }
    String tenant = ex.credentials().tenant();
    String provider = ex.route().providerName();
    String model = ex.targetModel();
    String key = CacheKey.exact(tenant, ex.dialect(), provider, model, ex.body(), ex.large());
    long now = ex.time().toEpochMilli();
    boolean refresh = "refresh".equals(directive);
    if (!refresh) {
      Optional<CachedAnswer> hit = store.get(key, now).filter(a -> a.tenant().equals(tenant));
      if (hit.isPresent()) {
        stats.hit(pattern, false, hit.get().baselinePicoUsd());
        ex.cacheHit(hit.get(), HIT_EXACT);
        ex.record(new Decision(name(), HIT_EXACT + ": stored " + age(now, hit.get()) + " ago, served without a call"));
        return;
      }
    }
    String scope = null;
    String query = null;
    float[] vector = null;
    if (settings.semantic()) {
      scope = CacheKey.scope(tenant, ex.dialect(), provider, model, ex.body(), ex.large());
      query = scope == null ? null : CacheKey.lastUserQuery(ex.body());
      if (query != null) {
        try {
          SemanticSearch search = semantic.get();
          scope = search.model() + "/" + scope;
          SemanticSearch.Embedding e = search.embed(query, ex.credentials());
          vector = e.vector();
          if (e.provider() != null) {
            ex.embeddingUsage(new SummaryUsage(e.provider(), e.model(), e.inputTokens(), 0));
          }
          if (!refresh && semanticHit(ex, search, settings, scope, query, vector, tenant, now, pattern)) {
            return;
          }
        } catch (RuntimeException e) {
          // the exact cache still works; a call is never failed for want of an embedding
          vector = null;
          ex.record(new Decision(name(), "semantic lookup skipped: " + e.getMessage()));
        }
      }
    }
    stats.miss(pattern);
    ex.cacheMiss(new Plan(settings, key, scope, query, vector));
    if (refresh) {
      ex.record(new Decision(name(), "refresh: X-Tokenwise-Cache: refresh; the provider answers and the stored answer"
          + " is replaced"));
    }
  }

  private boolean semanticHit(Exchange ex, SemanticSearch search, CacheSettings settings, String scope, String query,
      float[] vector, String tenant, long now, String pattern) {
    List<SemanticSearch.Candidate> near = search.nearest(scope, vector, settings.threshold(), CANDIDATES);
    String refused = null;
    for (SemanticSearch.Candidate c : near) {
      String why = search.refusal(query, c.query());
      if (why != null) {
        if (refused == null) {
          refused = String.format(Locale.ROOT, "%.3f", c.score()) + ", " + why;
        }
        continue;
      }
      Optional<CachedAnswer> hit = store.get(c.key(), now).filter(a -> a.tenant().equals(tenant));
      if (hit.isEmpty()) {
        search.remove(c.key()); // expired or invalidated since it was indexed
        continue;
      }
      stats.hit(pattern, true, hit.get().baselinePicoUsd());
      ex.cacheHit(hit.get(), HIT_SEMANTIC);
      ex.record(new Decision(name(), HIT_SEMANTIC + ": similarity " + String.format(Locale.ROOT, "%.3f", c.score())
          + " (threshold " + settings.threshold() + ") to a question stored " + age(now, hit.get()) + " ago"));
      return true;
    }
    if (refused != null) {
      stats.refused(pattern);
      ex.record(new Decision(name(), "miss: a near question was refused by the lexical gate (" + refused + ")"));
    }
    return false;
  }

  @Override
  public void after(Exchange ex, Outcome outcome) {
    Plan plan = ex.cachePlan();
    if (plan == null || outcome.answer() == null || outcome.status() != 200 || outcome.usage() == null
        || ex.stoppedEarly() || ex.onFallback()) {
      // a fallback model's answer is not what the key's model would have said
      return;
    }
    String finish = outcome.finishReason();
    boolean toolCall = finish != null && TOOL_CALL.contains(finish);
    if (finish == null || !(COMPLETE.contains(finish) || toolCall && plan.settings().toolCalls())) {
      return;
    }
    long now = ex.time().toEpochMilli();
    String pattern = ex.pattern() == null ? "none" : ex.pattern();
    boolean semantic = plan.vector() != null;
    store.put(new CachedAnswer(plan.key(), ex.credentials().tenant(), pattern, ex.dialect().id(),
        semantic ? plan.scope() : null, semantic ? plan.query() : null, plan.vector(), outcome.answer(),
        outcome.model() != null ? outcome.model() : ex.upstreamModel(), finish, outcome.usage(), orUnknown(outcome.costPicoUsd()),
        orUnknown(outcome.baselinePicoUsd()), now, now + plan.settings().ttl().toMillis()));
    stats.stored(pattern);
  }

  /** Why a call's answer would not repeat (so is not cached), or null when it would. */
  static String unrepeatable(Dialect dialect, JsonNode body, CacheSettings settings) {
    if (body.path("n").asInt(1) > 1) {
      return "n > 1 asks for several answers";
    }
    if (settings.anyTemperature()) {
      return null;
    }
    JsonNode t = body.get("temperature");
    boolean zero = t != null && t.isNumber() && t.asDouble() == 0;
    boolean seeded = dialect == Dialect.OPENAI && body.hasNonNull("seed");
    boolean greedy = dialect == Dialect.ANTHROPIC && body.path("top_k").asInt(0) == 1;
    if (zero || seeded || greedy) {
      return null;
    }
    return "temperature " + (t == null ? "not set (1 by default)" : t.asText()) + " without a seed samples a new"
        + " answer each time; set temperature 0, or cache.any_temperature: true";
  }

  private static boolean isChat(Exchange ex) {
    return ex.endpoint().endsWith("/chat/completions") || ex.endpoint().endsWith("/messages");
  }

  private static long orUnknown(Long pico) {
    return pico == null ? -1 : pico;
  }

  private static String age(long now, CachedAnswer a) {
    long s = Math.max(0, (now - a.createdMillis()) / 1000);
    return s < 120 ? s + " s" : s < 7200 ? s / 60 + " min" : s / 3600 + " h";
  }
}
