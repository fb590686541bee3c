package dev.tokenwise.policy;

import dev.tokenwise.cache.AnswerStore;
import dev.tokenwise.cache.SemanticSearch;
import dev.tokenwise.core.UpstreamReply;
import dev.tokenwise.provider.Providers;
import java.util.List;
import java.util.function.Supplier;

/**
 * The request path between the server and the provider: each stage runs in order, then the call is
 * sent. A stage may stop the request by throwing a {@link dev.tokenwise.core.GatewayException}.
 */
public final class Pipeline {
  private final Providers providers;
  private final List<Stage> stages;
  private final ApplyPolicy applyPolicy;
  private final CapMaxTokens cap = new CapMaxTokens();
  private final PromptCache promptCache = new PromptCache(java.time.Clock.systemUTC());
  private final CacheLookup cache;
  private final AnswerStore answers;
  private final Fallback.Shared fallback;

  /** The pipeline over the configured providers, with the config's policies and no response cache. */
  public Pipeline(Providers providers, Policies policies) {
    this(providers, policies, null, null, 1f);
  }

  /**
   * The pipeline over the configured providers, with the config's policies and a response cache, and the
   * default retry settings.
   *
   * @param answers where cached answers are kept, or null for no response cache
   * @param semantic the semantic index, asked for only once a policy turns semantic matching on
   * @param defaultThreshold the similarity a paraphrase needs when a policy names none
   */
  public Pipeline(Providers providers, Policies policies, AnswerStore answers, Supplier<SemanticSearch> semantic,
      float defaultThreshold) {
    this(providers, policies, answers, semantic, defaultThreshold, dev.tokenwise.config.Config.Retry.DEFAULT,
        java.time.Clock.systemUTC());
  }

  /**
   * The pipeline over the configured providers, with the config's policies, a response cache, and the
   * retry settings and circuit breakers of the fallback chains.
   *
   * @param answers where cached answers are kept, or null for no response cache
   * @param semantic the semantic index, asked for only once a policy turns semantic matching on
   * @param defaultThreshold the similarity a paraphrase needs when a policy names none
   * @param retry attempts, deadline, backoff and breakers
   * @param clock times the circuit breakers' cool-downs and Retry-After dates
   */
  public Pipeline(Providers providers, Policies policies, AnswerStore answers, Supplier<SemanticSearch> semantic,
      float defaultThreshold, dev.tokenwise.config.Config.Retry retry, java.time.Clock clock) {
    this.fallback = Fallback.Shared.of(retry, clock, Thread::sleep,
        java.util.random.RandomGenerator.getDefault());
    this.providers = providers;
    this.applyPolicy = new ApplyPolicy(providers, policies);
    this.answers = answers;
    this.cache = answers == null ? null : new CacheLookup(answers, semantic, defaultThreshold);
    List<Stage> list = new java.util.ArrayList<>(List.of(new Identify(), applyPolicy,
        new TrimContext(new Summarizer(providers)), cap, new Resolve(providers)));
    if (cache != null) {
      list.add(cache);
    }
    list.add(new EarlyExit());
    list.add(promptCache);
    this.stages = List.copyOf(list);
  }

  /** Answers the response cache holds now (0 without one). */
  public long cacheEntries() {
    return answers == null ? 0 : answers.size();
  }

  /** Reads the response cache's backend failed (Redis down), since start. */
  public long cacheFailures() {
    return answers == null ? 0 : answers.failures();
  }

  /** What the response cache did per pattern (empty without a response cache). */
  public java.util.Map<String, CacheStats.Row> cacheStats() {
    return cache == null ? java.util.Map.of() : cache.stats().snapshot();
  }

  /** Puts new policies in force for the requests that start from now on; those in flight keep theirs. */
  public void replacePolicies(Policies next) {
    applyPolicy.replace(next);
  }

  /** The policies in force now. */
  public Policies policies() {
    return applyPolicy.policies();
  }

  /** What the automatic output caps have learnt, per pattern. */
  public java.util.Map<String, CapStats> capStats() {
    return cap.stats();
  }

  /** Per pattern: calls, prefixes that were not byte-stable, and the share of input read from cache. */
  public java.util.Map<String, PromptCacheStats> promptCacheStats() {
    return promptCache.stats();
  }

  /**
   * Runs the stages: pattern and route are set afterwards. A cache hit stops the run: the call is
   * answered from {@link Exchange#cacheHit()} and goes to no provider.
   */
  public void prepare(Exchange ex) {
    for (Stage stage : stages) {
      stage.before(ex);
      ex.ran(stage);
      if (ex.cacheHit() != null) {
        return;
      }
    }
  }

  /**
   * Tells the stages that ran, last first, what came of the call. A call answered from the cache
   * teaches them nothing: no provider saw it; nor does one the gateway made of itself.
   */
  public void finish(Exchange ex, Outcome outcome) {
    if (ex.cacheHit() != null || ex.internal()) {
      return;
    }
    java.util.List<Stage> ran = ex.ranStages();
    for (int i = ran.size() - 1; i >= 0; i--) {
      ran.get(i).after(ex, outcome);
    }
  }

  /**
   * Sends the prepared request to its provider: the original bytes when no stage changed the body.
   */
  public UpstreamReply send(Exchange ex, String path) {
    return providers.call(ex.route(), path, ex.upstreamBody(), ex.credentials(), ex.passthrough(), ex.upstreamStream());
  }

  /** The fallback chain of a prepared call: its route first, then its policy's {@code fallback} models. */
  public Fallback fallback(Exchange ex) {
    return new Fallback(ex, fallback, providers);
  }

  /**
   * Sends one attempt of a call to the route its fallback chain chose, within what is left of the call's
   * deadline.
   */
  public UpstreamReply send(Exchange ex, String path, Fallback chain) {
    return providers.call(ex.route(), path, ex.upstreamBody(), ex.credentials(), ex.passthrough(), ex.upstreamStream(),
        chain.left());
  }

  /** The circuit breakers by {@code provider/model}, as they stand now. */
  public java.util.Map<String, dev.tokenwise.provider.CircuitBreaker.Snapshot> circuits() {
    return fallback.breakers().snapshot();
  }

  /** Whether each known circuit is open (half-open counts as open: calls still skip it), by {@code provider/model}. */
  public java.util.Map<String, Boolean> openCircuits() {
    java.util.Map<String, Boolean> out = new java.util.TreeMap<>();
    circuits().forEach((k, s) -> out.put(k, s.state() != dev.tokenwise.provider.CircuitBreaker.State.CLOSED));
    return out;
  }

  /** Sends a request that has no body (model listing) to a route. */
  public UpstreamReply get(dev.tokenwise.provider.Route route, String path, Exchange ex) {
    return providers.call(route, path, null, ex.credentials(), ex.passthrough(), false);
  }

  /**
   * Whether the gateway holds a key of its own for the provider of a model, for this caller: in the config,
   * or among a gateway key's provider keys. Without one, a call there needs the caller's own key.
   */
  public boolean holdsKey(String model, dev.tokenwise.core.Credentials credentials) {
    return Providers.hasOwnKey(providers.resolve(model).provider(), credentials);
  }

  /** The catalog's default output cap of a model, for dialects that require one. */
  public long defaultMaxTokens(String model) {
    return dev.tokenwise.provider.ModelCatalog.defaultMaxTokens(model);
  }

  /** Whether a model is an OpenAI reasoning model (o-series, GPT-5 family). */
  public boolean isReasoningModel(String model) {
    return dev.tokenwise.provider.ModelCatalog.isReasoningModel(model);
  }

  /** The route of a model, for endpoints that do not go through the stages. */
  public dev.tokenwise.provider.Route resolve(String model) {
    return providers.resolve(model);
  }
}
