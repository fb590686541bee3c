package dev.tokenwise.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.analytics.Tier;
import dev.tokenwise.api.translate.ChatTexts;
import dev.tokenwise.core.Dialect;
import dev.tokenwise.core.Json;
import dev.tokenwise.core.Usage;
import dev.tokenwise.policy.Exchange;
import dev.tokenwise.policy.Pipeline;
import dev.tokenwise.policy.ShadowSettings;
import io.helidon.webserver.http.ServerRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Shadow tests: copies a sample of the answered calls of a pattern whose policy has {@code shadow} to a
 * candidate model, in the background, and hands each pair to a {@link ShadowSink}.
 *
 * <p>Design note: {@link #offer} runs on the client's handler thread after its answer went out and its row
 * was handed to the log: it only decides (a hash of the request id against the sample share) and starts a
 * virtual thread, or drops the sample when {@link #maxInFlight} copies are already running. Everything
 * else (the budget, the copy through {@link InternalCalls}, reading the two answers, the sink) runs on
 * that thread. Nothing a copy does can reach the client: every failure is logged (never with a prompt or a
 * key) and counted.
 */
public final class ShadowTap {
  /** Copies running at once, unless the caller says otherwise; beyond it a sample is dropped and counted. */
  public static final int DEFAULT_IN_FLIGHT = 16;
  /** How long a copy may take. */
  static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final System.Logger LOG = System.getLogger(ShadowTap.class.getName());
  private static final int MAX_ERROR = 300;

  private final Pipeline pipeline;
  private final Ledger ledger;
  private final InternalCalls calls;
  private final ShadowBudget budget;
  private final ShadowSink sink;
  private final int maxInFlight;
  private final Semaphore inFlight;
  private final ThreadFactory threads = Thread.ofVirtual().name("tokenwise-shadow-", 0)
      .uncaughtExceptionHandler((t, e) -> LOG.log(System.Logger.Level.ERROR, "a shadow test's thread failed", e))
      .factory();
  private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
  private volatile boolean closed;

  ShadowTap(Pipeline pipeline, Ledger ledger, InternalCalls calls, ShadowBudget budget, ShadowSink sink,
      int maxInFlight) {
    this.pipeline = pipeline;
    this.ledger = ledger;
    this.calls = calls;
    this.budget = budget;
    this.sink = sink;
    this.maxInFlight = maxInFlight;
    this.inFlight = new Semaphore(maxInFlight);
  }

  /**
   * What became of one shadow's samples since start.
   *
   * @param sampled calls the sample took
   * @param copied copies made (whatever came of them)
   * @param dropped samples dropped because too many copies were running
   * @param skippedBudget samples not copied because the day's cap would be passed
   * @param skippedUnpriced samples not copied because the candidate's price is unknown
   * @param skippedKey samples not copied because the client's own key would have gone to another provider
   *     than the one its call was routed to, and the gateway holds no key for the candidate's
   * @param failed samples that failed inside the gateway (the log says why)
   */
  public record Counts(String pattern, String candidate, long sampled, long copied, long dropped, long skippedBudget,
      long skippedUnpriced, long skippedKey, long failed) {}

  private static final class Tally {
    final LongAdder sampled = new LongAdder();
    final LongAdder copied = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder budget = new LongAdder();
    final LongAdder unpriced = new LongAdder();
    final LongAdder keyless = new LongAdder();
    final LongAdder failed = new LongAdder();
  }

  /** Every shadow's counts since start, by pattern then candidate. */
  public List<Counts> counts() {
    List<Counts> out = new ArrayList<>();
    tallies.forEach((key, t) -> {
      int cut = key.indexOf('\u0000');
      out.add(new Counts(key.substring(0, cut), key.substring(cut + 1), t.sampled.sum(), t.copied.sum(),
          t.dropped.sum(), t.budget.sum(), t.unpriced.sum(), t.keyless.sum(), t.failed.sum()));
    });
    out.sort(java.util.Comparator.comparing(Counts::pattern).thenComparing(Counts::candidate));
    return out;
  }

  /** The counts summed over every shadow, by outcome, for {@code /metrics}. */
  Map<String, Long> outcomes() {
    Map<String, Long> out = new LinkedHashMap<>();
    for (Counts c : counts()) {
      out.merge("copied", c.copied(), Long::sum);
      out.merge("dropped", c.dropped(), Long::sum);
      out.merge("skipped_budget", c.skippedBudget(), Long::sum);
      out.merge("skipped_unpriced", c.skippedUnpriced(), Long::sum);
      out.merge("skipped_key", c.skippedKey(), Long::sum);
      out.merge("failed", c.failed(), Long::sum);
    }
    return out;
  }

  /** Copies running now. */
  public int inFlight() {
    return maxInFlight - inFlight.availablePermits();
  }

  /** The daily caps' counts. */
  public ShadowBudget budget() {
    return budget;
  }

  /**
   * Offers a finished call whose policy has a shadow. Only a call a provider answered with 200 on a chat
   * endpoint is taken (not a cache hit, not the gateway's own call), and only when the sample takes it.
   * Never throws.
   */
  void offer(ProxyHandler.Endpoint endpoint, Exchange ex, CallLog log, ServerRequest req) {
    try {
      ShadowSettings settings = ex.policy().shadow();
      if (closed || ex.internal() || ex.cacheHit() != null || log.status != 200 || log.error != null
          || log.attempts == 0 || log.responseBody == null || log.pattern == null
          || endpoint != ProxyHandler.Endpoint.CHAT && endpoint != ProxyHandler.Endpoint.MESSAGES
          || !ShadowSample.takes(log.id, settings.sample())) {
        return;
      }
      Tally tally = tally(log.pattern, settings.model());
      tally.sampled.increment();
      if (!inFlight.tryAcquire()) {
        tally.dropped.increment();
        return;
      }
      long productionMillis = (System.nanoTime() - log.startNanos) / 1_000_000;
      Map<String, String> headers = headers(ex, req);
      try {
        threads.newThread(() -> copy(ex, log, settings, headers, productionMillis, tally)).start();
      } catch (RuntimeException | Error e) {
        inFlight.release();
        throw e;
      }
    } catch (RuntimeException | OutOfMemoryError e) {
      // no thread to be had, say: the client's call is done all the same
      tally(String.valueOf(log.pattern), String.valueOf(ex.policy().shadow().model())).failed.increment();
      LOG.log(System.Logger.Level.WARNING, "shadow test: request " + log.id + " was not copied: "
          + e.getClass().getSimpleName());
    }
  }

  /** Makes the copy and hands the pair over, on the copy's own thread. */
  private void copy(Exchange ex, CallLog log, ShadowSettings settings, Map<String, String> headers,
      long productionMillis, Tally tally) {
    String candidate = settings.model();
    try {
      var route = pipeline.resolve(candidate);
      Map<String, String> send = headersFor(ex, headers, route.providerName(), candidate);
      if (send == null) {
        tally.keyless.increment();
        return;
      }
      Long estimate = estimate(route.providerName(), route.model(), log.usage, ex.trimmedInputTokens());
      if (estimate == null) {
        tally.unpriced.increment();
        return;
      }
      ShadowBudget.Reservation held = budget.reserve(log.pattern, candidate, estimate, settings.budgetPicoUsdPerDay());
      if (held == null) {
        tally.budget.increment();
        return;
      }
      ObjectNode original = (ObjectNode) Json.tryParse(ex.raw());
      InternalCalls.Reply reply;
      try {
        reply = calls.chat(ex.dialect(), route.providerName(), copyBody(original, candidate), send, TIMEOUT);
      } catch (InterruptedException e) {
        held.settle(estimate);
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        held.settle(estimate); // it may have been billed: the estimate stands
        throw e;
      }
      long spend = reply.costPicoUsd() >= 0 ? reply.costPicoUsd() : estimate;
      held.settle(spend);
      tally.copied.increment();
      Dialect dialect = ex.dialect();
      byte[] whole = log.stream ? CachedReply.wholeFromStream(dialect, log.responseBody, log.usage) : log.responseBody;
      String candidateText = reply.status() == 200 ? ChatTexts.answer(dialect, reply.body()) : null;
      sink.accept(new ShadowCopy(log.id, held.at(), log.pattern, dialect, log.modelRequested, log.modelUsed, settings,
          log.costPicoUsd, productionMillis, reply.status(), error(reply, candidateText),
          reply.costPicoUsd() >= 0 ? reply.costPicoUsd() : null, spend, reply.latencyMillis(),
          ChatTexts.input(dialect, original), ChatTexts.answer(dialect, whole), candidateText,
          (model, body) -> callAs(ex, headers, model, body)));
    } catch (RuntimeException e) {
      tally.failed.increment();
      LOG.log(System.Logger.Level.WARNING, "shadow test: the copy of request " + log.id + " to " + candidate
          + " failed inside the gateway: " + e.getClass().getSimpleName() + (e instanceof dev.tokenwise.core
          .GatewayException g ? " (" + g.kind() + ")" : ""));
    } finally {
      inFlight.release();
    }
  }

  /** A call for the sink (a judge), made as the client of {@code ex} would, under the rule for its key. */
  private InternalCalls.Reply callAs(Exchange ex, Map<String, String> headers, String model, byte[] body) {
    String provider;
    Map<String, String> send;
    try {
      provider = pipeline.resolve(model).providerName();
      send = headersFor(ex, headers, provider, model);
    } catch (RuntimeException e) {
      return new InternalCalls.Reply(0, new byte[0], 0, null, null, 0, 0, "no provider serves " + model);
    }
    if (send == null) {
      return new InternalCalls.Reply(0, new byte[0], 0, null, null, 0, 0, "the client's own key is for "
          + ex.routedProvider() + ", not " + provider + "; set providers." + provider + ".api_key");
    }
    try {
      return calls.chat(Dialect.OPENAI, provider, body, send, TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new InternalCalls.Reply(0, new byte[0], 0, null, null, 0, 0, "interrupted");
    }
  }

  /**
   * The candidate's catalog price on the production call's tokens, every input token at the full input
   * price (the copy may not hit the prompt cache) and the turns a trim dropped added back (the copy gets
   * the call as the client sent it); null when the candidate has no price.
   */
  private Long estimate(String provider, String model, Usage usage, long trimmed) {
    if (usage == null) {
      return null;
    }
    Usage asSent = new Usage(usage.totalInputTokens() + trimmed, 0, 0, 0, usage.outputTokens(),
        usage.reasoningTokens(), true);
    return ledger.cost(provider, model, model, asSent, Tier.STANDARD);
  }

  /** The client's call as it sent it, on the candidate model and not streamed. */
  static byte[] copyBody(ObjectNode original, String candidate) {
    ObjectNode body = original.deepCopy();
    body.put("model", candidate);
    body.put("stream", false);
    body.remove("stream_options");
    return Json.bytes(body);
  }

  /** The client's own key (kept in memory for the copy only) and the dialect headers it sent. */
  private static Map<String, String> headers(Exchange ex, ServerRequest req) {
    Map<String, String> out = new LinkedHashMap<>();
    ex.passthrough().forEach((name, values) -> {
      if (!values.isEmpty()) {
        out.put(name, String.join(",", values));
      }
    });
    String authorization = ProxyHandler.header(req, "authorization");
    if (authorization != null) {
      out.put("authorization", authorization);
    }
    String apiKey = ProxyHandler.header(req, "x-api-key");
    if (apiKey != null) {
      out.put("x-api-key", apiKey);
    }
    return out;
  }

  /**
   * The headers a call to {@code model} of {@code provider} may carry for the client of {@code ex}: all of
   * them when its key is a gateway key or none, or when the provider is the one its call was routed to;
   * without its key when the gateway holds one for that provider; null when its own provider key would
   * have to go to another provider, which it never does.
   */
  private Map<String, String> headersFor(Exchange ex, Map<String, String> headers, String provider, String model) {
    if (ex.credentials().clientKey() == null || provider.equals(ex.routedProvider())) {
      return headers;
    }
    if (!pipeline.holdsKey(model, ex.credentials())) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>(headers);
    out.remove("authorization");
    out.remove("x-api-key");
    return out;
  }

  /** Why the copy got no answer: the gateway's own reason, or the error message of its answer, shortened. */
  private static String error(InternalCalls.Reply reply, String text) {
    if (reply.error() != null) {
      return reply.error();
    }
    if (reply.status() == 200) {
      return text == null ? "the answer could not be read" : null;
    }
    JsonNode parsed = Json.tryParse(reply.body());
    String message = parsed == null ? null : Json.textAt(parsed.path("error"), "message");
    String out = "HTTP " + reply.status() + (message == null ? "" : ": " + message.strip());
    return out.length() > MAX_ERROR ? out.substring(0, MAX_ERROR) + "…" : out;
  }

  private Tally tally(String pattern, String candidate) {
    return tallies.computeIfAbsent(pattern + '\u0000' + candidate, k -> new Tally());
  }

  /** Takes no more samples, and waits (at most {@code wait}) for the copies running to finish. */
  void close(Duration wait) {
    closed = true;
    try {
      if (inFlight.tryAcquire(maxInFlight, wait.toMillis(), TimeUnit.MILLISECONDS)) {
        inFlight.release(maxInFlight);
      } else {
        LOG.log(System.Logger.Level.INFO, "shadow tests: " + inFlight() + " copies still running at shutdown; left");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
