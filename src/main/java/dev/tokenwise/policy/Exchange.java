package dev.tokenwise.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.core.Credentials;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.LargeStrings;
import dev.tokenwise.provider.Route;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One request on its way through the pipeline: the client's JSON as received (stages change only the
 * fields they own), who sent it, and what each stage decided.
 */
public final class Exchange {
  private final String id;
  private final Instant time;
  private final long startNanos;
  private final Dialect dialect;
  private final String endpoint;
  private final ObjectNode body;
  private final byte[] raw;
  private final LargeStrings large;
  private final Credentials credentials;
  private final Map<String, List<String>> passthrough;
  private final String tag;
  private final String requestedModel;
  private final List<Decision> decisions = new ArrayList<>(4);
  private String pattern;
  private Route route;
  private boolean bodyChanged;
  private boolean usageInjected;
  private Dialect upstreamDialect;
  private String targetModel;
  private Policy policy;
  private long trimmedInputTokens;
  private boolean cacheMarksPlaced;
  private final List<Stage> ran = new ArrayList<>(4);
  private String baselineProvider;
  private String baselineModel;
  private ObjectNode translated;
  private long outputCap;
  private SummaryUsage summaryUsage;
  private final boolean stream;
  private boolean earlyExitJson;
  private boolean earlyExitWhole;
  private boolean earlyExitCalibrating;
  private boolean exitedEarly;
  private long fullOutputEstimate;
  private String cacheDirective;
  private SummaryUsage embeddingUsage;
  private String cacheStatus = "bypass";
  private dev.tokenwise.core.CachedAnswer cacheHit;
  private CacheLookup.Plan cachePlan;
  private JsonNode priorStreamOptions;
  private final Map<String, JsonNode> droppedParams = new java.util.LinkedHashMap<>();
  private Route primaryRoute;
  private boolean earlyExitDecision;
  private boolean onFallback;
  private boolean internal;

  /**
   * @param id the request id
   * @param time when it arrived
   * @param startNanos {@link System#nanoTime()} when it arrived
   * @param dialect the client's wire format
   * @param endpoint the path called
   * @param body the parsed body (owned by this exchange; stages may change their fields)
   * @param raw the body's bytes as received
   * @param large the large strings set aside from {@code body}, put back when it is written again
   * @param credentials who calls
   * @param passthrough client headers forwarded as given
   * @param tag the {@code X-Tokenwise-Tag} value, or null
   */
  public Exchange(String id, Instant time, long startNanos, Dialect dialect, String endpoint, ObjectNode body,
      byte[] raw, LargeStrings large, Credentials credentials, Map<String, List<String>> passthrough, String tag) {
    this.id = id;
    this.time = time;
    this.startNanos = startNanos;
    this.dialect = dialect;
    this.endpoint = endpoint;
    this.body = body;
    this.raw = raw;
    this.large = large;
    this.credentials = credentials;
    this.passthrough = passthrough;
    this.tag = tag;
    this.requestedModel = body.path("model").asText();
    this.stream = body.path("stream").asBoolean(false);
  }

  /**
   * The client's {@code X-Tokenwise-Cache} directive: {@code no-store} (neither read nor write the
   * response cache) or {@code refresh} (ask the provider and replace the stored answer).
   */
  public void cacheDirective(String directive) {
    this.cacheDirective = directive;
  }

  /**
   * Marks a call the gateway made of itself (an eval sweep's or a shadow test's): no policy applies to it
   * (so no cache, route, cap or other tactic), and it teaches the pattern's statistics nothing.
   */
  public void internal(boolean internal) {
    this.internal = internal;
  }

  /** Whether the gateway made this call of itself; see {@link #internal(boolean)}. */
  public boolean internal() {
    return internal;
  }

  /** What embedding the last user message for the semantic cache cost, when a provider made it; else null. */
  public SummaryUsage embeddingUsage() {
    return embeddingUsage;
  }

  void embeddingUsage(SummaryUsage usage) {
    this.embeddingUsage = usage;
  }

  String cacheDirective() {
    return cacheDirective;
  }

  /** What the response cache did: {@code hit-exact}, {@code hit-semantic}, {@code miss} or {@code bypass}. */
  public String cacheStatus() {
    return cacheStatus;
  }

  /** The stored answer that serves this call, or null when the provider is called. */
  public dev.tokenwise.core.CachedAnswer cacheHit() {
    return cacheHit;
  }

  void cacheHit(dev.tokenwise.core.CachedAnswer answer, String status) {
    this.cacheHit = answer;
    this.cacheStatus = status;
  }

  void cacheMiss(CacheLookup.Plan plan) {
    this.cachePlan = plan;
    this.cacheStatus = "miss";
  }

  CacheLookup.Plan cachePlan() {
    return cachePlan;
  }

  /** Whether the answer is to be stored: the server then hands it over whole in {@link Outcome}. */
  public boolean cacheWanted() {
    return cachePlan != null;
  }

  public String id() {
    return id;
  }

  public Instant time() {
    return time;
  }

  public long startNanos() {
    return startNanos;
  }

  public Dialect dialect() {
    return dialect;
  }

  public String endpoint() {
    return endpoint;
  }

  /** The request body; a stage that changes it calls {@link #markChanged}. */
  public ObjectNode body() {
    return body;
  }

  /** The large strings set aside from {@link #body()}. */
  LargeStrings large() {
    return large;
  }

  /** The body exactly as the client sent it. */
  public byte[] raw() {
    return raw;
  }

  /**
   * The body as it goes upstream: the translated body when the provider speaks the other dialect, else
   * the original bytes unless a stage changed a field.
   */
  public byte[] upstreamBody() {
    if (translated != null) {
      return Json.bytes(translated);
    }
    return bodyChanged ? large.restore(Json.bytes(body)) : raw;
  }

  /** The wire format of the provider, once routed: the client's own unless the call is translated. */
  public Dialect upstreamDialect() {
    return upstreamDialect == null ? dialect : upstreamDialect;
  }

  void upstreamDialect(Dialect upstream) {
    this.upstreamDialect = upstream;
  }

  /** Whether the provider speaks the other dialect, so request and answer are translated. */
  public boolean translated() {
    return upstreamDialect != null && upstreamDialect != dialect;
  }

  /**
   * Sets the request in the provider's dialect, for a translated call; the provider's parameters it
   * rejects are removed and noted.
   */
  public void translatedBody(ObjectNode upstream, List<String> notes) {
    for (String param : route.provider().dropParams()) {
      if (upstream.remove(param) != null) {
        notes = new ArrayList<>(notes);
        notes.add("dropped '" + param + "', which " + route.providerName() + " rejects");
      }
    }
    this.translated = upstream;
    // a fallback chain may translate for several attempts: each note once
    once(new Decision("translate", dialect.id() + " -> " + upstreamDialect().id()));
    for (String note : notes) {
      once(new Decision("translate", note));
    }
  }

  /** Whether the provider speaks the other dialect and the request has not been written in it yet. */
  public boolean needsTranslation() {
    return translated() && translated == null;
  }

  /** The request as it goes upstream, as a tree. */
  public ObjectNode upstreamTree() {
    return translated != null ? translated : body;
  }

  /** The model id the provider is asked for. */
  public String upstreamModel() {
    return route.model();
  }

  /** The body as the client sent it, with every string value whole (large ones included). */
  public ObjectNode wholeBody() {
    return large.any() ? (ObjectNode) Json.tryParse(raw) : body;
  }

  public Credentials credentials() {
    return credentials;
  }

  public Map<String, List<String>> passthrough() {
    return passthrough;
  }

  /** The client's tag, or null. */
  public String tag() {
    return tag;
  }

  /** The model the client asked for. */
  public String requestedModel() {
    return requestedModel;
  }

  void ran(Stage stage) {
    ran.add(stage);
  }

  List<Stage> ranStages() {
    return ran;
  }

  /** Input tokens a trim removed (an estimate), which the baseline adds back. */
  public long trimmedInputTokens() {
    return trimmedInputTokens;
  }

  void trimmedInputTokens(long tokens) {
    this.trimmedInputTokens = tokens;
  }

  /** Whether the gateway placed prompt-cache breakpoints, so that the baseline bills every input token in full. */
  public boolean cacheMarksPlaced() {
    return cacheMarksPlaced;
  }

  void cacheMarksPlaced(boolean placed) {
    this.cacheMarksPlaced = placed;
  }

  /** The policy that applies to this call, or null. */
  public Policy policy() {
    return policy;
  }

  void policy(Policy p) {
    this.policy = p;
  }

  /** The model the call runs on: the client's, unless a policy swapped it. */
  public String targetModel() {
    return targetModel == null ? requestedModel : targetModel;
  }

  void targetModel(String model) {
    this.targetModel = model;
  }

  /** The provider of the model the client asked for, which the baseline is priced at, or null. */
  public String baselineProvider() {
    return baselineProvider;
  }

  /** The model the client asked for, as its provider names it, which the baseline is priced at, or null. */
  public String baselineModel() {
    return baselineModel;
  }

  void baseline(String provider, String model) {
    this.baselineProvider = provider;
    this.baselineModel = model;
  }

  /** Whether the client asked for a stream (a stage may still ask the provider for one, see {@link #upstreamStream}). */
  public boolean stream() {
    return stream;
  }

  /** Whether the provider is asked for a stream: the client asked for one, or the gateway does for an early exit. */
  public boolean upstreamStream() {
    return stream || earlyExitWhole;
  }

  /** The call pattern, once the identify stage ran. */
  public String pattern() {
    return pattern;
  }

  void pattern(String pattern) {
    this.pattern = pattern;
  }

  /** Where the call goes, once routed. */
  public Route route() {
    return route;
  }

  void route(Route route) {
    this.route = route;
  }

  /** Records that a stage changed the body, and what it did (null: said elsewhere, as a fallback's attempt lines do). */
  void markChanged(Decision decision) {
    bodyChanged = true;
    if (decision != null) {
      decisions.add(decision);
    }
  }

  void record(Decision decision) {
    decisions.add(decision);
  }

  private void once(Decision decision) {
    if (!decisions.contains(decision)) {
      decisions.add(decision);
    }
  }

  /** The output cap the gateway set below what the client asked for (or in place of no value), or 0. */
  long outputCap() {
    return outputCap;
  }

  void outputCap(long cap) {
    this.outputCap = cap;
  }

  /**
   * What the call that summarised dropped turns used, for the gateway to price against the savings, or
   * null when no summary was asked for on this request (none was needed, or a cached one was reused).
   */
  public SummaryUsage summaryUsage() {
    return summaryUsage;
  }

  void summaryUsage(String provider, String model, long inputTokens, long outputTokens) {
    this.summaryUsage = new SummaryUsage(provider, model, inputTokens, outputTokens);
  }

  /** Whether the gateway, not the client, asked an OpenAI stream for its usage chunk. */
  public boolean usageInjected() {
    return usageInjected;
  }

  /** Records that the route asked an OpenAI stream for its usage chunk; {@code prior} is the client's {@code stream_options}. */
  void usageInjected(JsonNode prior) {
    this.usageInjected = true;
    this.priorStreamOptions = prior;
  }

  /** Records a parameter the route removed because its provider rejects it, so another route can have it back. */
  void dropped(String param, JsonNode value) {
    droppedParams.putIfAbsent(param, value);
  }

  /** Undoes what the route changed in the body for its own provider (the usage option, dropped parameters). */
  void undoRouteChanges() {
    if (usageInjected) {
      if (priorStreamOptions == null) {
        body.remove("stream_options");
      } else {
        body.set("stream_options", priorStreamOptions);
      }
      usageInjected = false;
      priorStreamOptions = null;
    }
    droppedParams.forEach(body::set);
    droppedParams.clear();
  }

  /**
   * Points the call at another route of its fallback chain for the next attempt: the translated body
   * goes (the server translates again when the new provider speaks the other dialect), the model it runs
   * on is the chain's entry, and an early exit decided for the first route stays on only while the
   * provider speaks the client's dialect.
   */
  void retarget(Route next, Dialect upstream, String model) {
    if (primaryRoute == null) {
      primaryRoute = route;
      earlyExitDecision = earlyExitJson;
    }
    translated = null;
    targetModel = model;
    onFallback = !next.equals(primaryRoute);
    earlyExitJson = earlyExitDecision && upstream == dialect;
  }

  /**
   * The provider the call was routed to (before any fallback): the one a client's own key was meant for.
   */
  public String routedProvider() {
    Route r = primaryRoute != null ? primaryRoute : route;
    return r == null ? null : r.providerName();
  }

  /**
   * Whether the call now runs on a model of its fallback chain rather than the one it was routed to:
   * its answer must not be kept under the first route's cache key.
   */
  public boolean onFallback() {
    return onFallback;
  }

  /** Whether the stream stops once the answer's JSON value is complete ({@code early_exit: json}). */
  public boolean earlyExitJson() {
    return earlyExitJson;
  }

  void earlyExitJson(boolean on) {
    this.earlyExitJson = on;
  }

  /**
   * Whether the client wants a whole answer that the gateway reads from a stream it asked the provider
   * for, so that the stream can stop once the answer's JSON value is complete.
   */
  public boolean earlyExitWhole() {
    return earlyExitWhole;
  }

  /** Asks the provider for a stream in place of the whole answer the client wants; see {@link #earlyExitWhole()}. */
  void earlyExitWhole(Decision decision) {
    body.put("stream", true);
    if (dialect == Dialect.OPENAI) {
      JsonNode options = body.get("stream_options");
      (options instanceof ObjectNode o ? o : body.putObject("stream_options")).put("include_usage", true);
    }
    earlyExitWhole = true;
    earlyExitJson = true;
    markChanged(decision);
  }

  /** Whether this call runs to its end to learn the pattern's complete answer length. */
  boolean earlyExitCalibrating() {
    return earlyExitCalibrating;
  }

  void earlyExitCalibrating(boolean on) {
    this.earlyExitCalibrating = on;
  }

  /** The pattern's mean output tokens of a complete answer, which an early exit saves the rest of. */
  public long fullOutputEstimate() {
    return fullOutputEstimate;
  }

  void fullOutputEstimate(long tokens) {
    this.fullOutputEstimate = tokens;
  }

  /** Whether the stream was stopped after its JSON value (set by the relay as it stops). */
  public boolean stoppedEarly() {
    return exitedEarly;
  }

  /** Marks the stream as stopped after its JSON value, before it is priced. */
  public void markStoppedEarly() {
    this.exitedEarly = true;
  }

  /** Records that the stream was stopped after the answer's JSON value, with about this many output tokens relayed. */
  public void exitedEarly(long outputTokens) {
    decisions.add(new Decision(EarlyExit.TACTIC, "stopped after the JSON value, ~" + outputTokens
        + " output tokens relayed"));
  }

  /** Whether any stage changed the body (when none did, the original bytes are forwarded). */
  public boolean bodyChanged() {
    return bodyChanged;
  }

  /** Everything the stages decided, in order. */
  public List<Decision> decisions() {
    return List.copyOf(decisions);
  }
}
