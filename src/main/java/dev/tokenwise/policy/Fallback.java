package dev.tokenwise.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.config.Config;
import dev.tokenwise.config.Units;
import dev.tokenwise.provider.Breakers;
import dev.tokenwise.provider.CircuitBreaker;
import dev.tokenwise.provider.FailureClass;
import dev.tokenwise.provider.Providers;
import dev.tokenwise.provider.RetryAfter;
import dev.tokenwise.provider.Route;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * One call's way through its fallback chain: the model it was routed to, then the policy's
 * {@code fallback} models in order, pass after pass, until one answers or the call runs out of attempts
 * ({@code retry.max_attempts}, at most 5, first try included, whatever the chain) or of time
 * ({@code retry.deadline}). The server drives it: {@link #next()} picks the model of the next attempt
 * (skipping models whose circuit is open, waiting when it returns to a model already tried), the server
 * sends the call and reports what came of it, and {@link #failed} decides from {@link FailureClass}
 * whether anyone may be asked again.
 *
 * <p>Design note: which model comes next follows three rules. A model that asks for a wait it can have
 * within the deadline (Retry-After) is waited for and asked again, once; it is never asked before that
 * time. Any other transient failure moves the call to the next model at once (another provider is not
 * slowed by the first one's outage). A return to a model already tried waits an exponential backoff with
 * full jitter first. So a chain of one model is plain retry with backoff, and an outage of the first
 * model costs the caller one failed attempt.
 */
public final class Fallback {
  /** The trace's name for what this class records. */
  static final String NAME = "fallback";

  /** How a call waits between attempts; the gateway sleeps the request's own virtual thread. */
  interface Sleeper {
    void sleep(Duration d) throws InterruptedException;
  }

  /**
   * What the calls of one gateway share: the retry settings, the circuit breakers, the clock that times
   * breakers and Retry-After dates, how to wait and the jitter's random source.
   */
  record Shared(Config.Retry retry, Breakers breakers, Clock clock, Sleeper sleeper, Backoff backoff) {

    static Shared of(Config.Retry retry, Clock clock, Sleeper sleeper, RandomGenerator random) {
      return new Shared(retry, new Breakers(retry.breaker(), clock), clock, sleeper,
          new Backoff(retry.backoff(), retry.maxBackoff(), random));
    }
  }

  private final Exchange ex;
  private final Shared shared;
  private final List<FallbackChain.Link> chain;
  private final boolean[] excluded;
  private final int[] tries;
  /** Per model, the {@link System#nanoTime()} before which it asked not to be called (Retry-After), or 0. */
  private final long[] notBefore;
  /** Per model, whether the call already waited out one of its Retry-Afters to ask it again. */
  private final boolean[] waitedFor;
  private final long deadlineNanos;
  private final List<Attempt> attempts = new ArrayList<>(2);
  /** What happened, in order: skipped models, waits, attempts (each as its trace line). */
  private final List<String> trace = new ArrayList<>(2);
  private int skips;
  private int cursor;
  private int current = -1;
  private boolean sameModelNext;
  private CircuitBreaker.Permit permit;
  private boolean inFlight;
  private long attemptStart;
  private String stop;
  private Duration soonest;

  Fallback(Exchange ex, Shared shared, Providers providers) {
    this.ex = ex;
    this.shared = shared;
    this.deadlineNanos = ex.startNanos() + shared.retry().deadline().toNanos();
    FallbackChain c = FallbackChain.of(ex, providers);
    c.leftOut().forEach(why -> trace.add(NAME + ": skipped " + why));
    this.skips = c.leftOut().size();
    this.chain = c.links();
    this.excluded = new boolean[chain.size()];
    this.tries = new int[chain.size()];
    this.notBefore = new long[chain.size()];
    this.waitedFor = new boolean[chain.size()];
  }

  /**
   * Chooses the model of the next attempt and points the call at it, after any wait that is due; false
   * when no attempt may be made (budget, deadline, every model refused or excluded), with the reason in
   * {@link #stopReason()}.
   */
  public boolean next() {
    if (inFlight) {
      throw new IllegalStateException("the outcome of attempt " + attempts.size() + " was not reported");
    }
    int refusedInARow = 0;
    while (true) {
      if (attempts.size() >= shared.retry().maxAttempts()) {
        stop = "retry.max_attempts (" + shared.retry().maxAttempts() + ") reached";
        return false;
      }
      int i = sameModelNext ? current : nextLink();
      sameModelNext = false;
      if (i < 0) {
        if (stop == null) {
          stop = "no model of the chain may be asked again";
        }
        return false;
      }
      FallbackChain.Link link = chain.get(i);
      long now = System.nanoTime();
      long asked = notBefore[i] - now;
      Duration wait = tries[i] == 0 ? Duration.ZERO : shared.backoff().before(tries[i]);
      boolean retryAfter = asked > wait.toNanos();
      if (retryAfter) {
        wait = Duration.ofNanos(asked);
      }
      Duration refused = shared.breakers().refusesFor(link.route());
      if (refused != null) {
        skip(link, refused);
        if (++refusedInARow >= activeLinks()) {
          stop = "every model of the chain has its circuit open";
          return false;
        }
        continue;
      }
      long left = deadlineNanos - now;
      if (wait.toNanos() >= left) {
        excluded[i] = true;
        stop = "the call's deadline (retry.deadline " + Units.format(shared.retry().deadline()) + ") leaves "
            + Math.max(0, left / 1_000_000) + " ms, too little to wait " + wait.toMillis() + " ms and ask "
            + Breakers.key(link.route()) + " again";
        trace.add(NAME + ": " + stop);
        continue;
      }
      if (wait.isPositive()) {
        trace.add(NAME + ": waited " + wait.toMillis() + " ms (" + (retryAfter ? "Retry-After" : "backoff")
            + ") before asking " + Breakers.key(link.route()) + " again");
        if (!sleep(wait)) {
          return false;
        }
      }
      CircuitBreaker.Permit p = shared.breakers().acquire(link.route());
      if (!p.allowed()) {
        skip(link, p.retryIn());
        if (++refusedInARow >= activeLinks()) {
          stop = "every model of the chain has its circuit open";
          return false;
        }
        continue;
      }
      if (!link.route().equals(ex.route())) {
        Resolve.retarget(ex, link.route(), link.name());
      }
      stop = null;
      current = i;
      tries[i]++;
      permit = p;
      inFlight = true;
      attemptStart = System.nanoTime();
      return true;
    }
  }

  private void skip(FallbackChain.Link link, Duration refused) {
    skips++;
    if (soonest == null || refused.compareTo(soonest) < 0) { // zero: half-open, the probe may end any moment
      soonest = refused;
    }
    trace.add(NAME + ": skipped " + Breakers.key(link.route()) + " (circuit " + (refused.isPositive()
        ? "open, " + seconds(refused) + " s left)" : "half-open, a probe call is in flight)"));
  }

  /**
   * The attempt failed before an answer reached the client: records it and says whether the call may
   * go on (true: call {@link #next()}), or must answer the client with this failure now (false: the
   * request itself was refused).
   *
   * <p>A Retry-After is always honoured: the model is not asked again before it. The call waits it out on
   * the same model the first time; when the same model asks again and the chain has another model, that
   * one goes first, so that one rate-limited model cannot hold the call until its budget is spent.
   *
   * @param status the provider's HTTP status, or 0 when none came
   * @param body the provider's body parsed as JSON, or null
   * @param cause the failure on the gateway's side, or null
   * @param retryAfterMs the provider's {@code retry-after-ms} header, or null
   * @param retryAfter the provider's {@code retry-after} header, or null
   * @param error a short description for the log and the trace
   * @param costPicoUsd what the attempt was billed (0 unless the provider reported usage), or null when unknown
   */
  public boolean failed(int status, JsonNode body, Throwable cause, String retryAfterMs, String retryAfter,
      String error, Long costPicoUsd) {
    FailureClass c = FailureClass.of(status, body, cause);
    FallbackChain.Link link = end(status, c == FailureClass.FAIL ? "rejected" : "failed", error, costPicoUsd);
    if (c == FailureClass.FAIL) {
      shared.breakers().success(link.route(), permit); // the provider is up: it judged the request
      return false;
    }
    shared.breakers().failure(link.route(), permit);
    if (c == FailureClass.FALLBACK) {
      excluded[current] = true;
      trace.add(NAME + ": " + Breakers.key(link.route()) + " will not answer this call (quota spent); not asked again");
      return true;
    }
    Duration asked = RetryAfter.parse(retryAfterMs, retryAfter, shared.clock().instant());
    if (asked == null) {
      return true;
    }
    long now = System.nanoTime();
    if (asked.toNanos() >= deadlineNanos - now) {
      excluded[current] = true;
      trace.add(NAME + ": " + Breakers.key(link.route()) + " asked to wait " + seconds(asked)
          + " s (Retry-After), past the call's deadline; going on without it");
      return true;
    }
    notBefore[current] = now + asked.toNanos();
    if (!waitedFor[current] || activeLinks() == 1) {
      waitedFor[current] = true;
      sameModelNext = true;
    } else {
      trace.add(NAME + ": " + Breakers.key(link.route()) + " asked to wait again (Retry-After); the next model goes"
          + " first");
    }
    return true;
  }

  /** The attempt answered the client (it may still have been an error the client must see, such as a 400). */
  public void answered(int status) {
    FallbackChain.Link link = end(status, "ok", null, null);
    shared.breakers().success(link.route(), permit);
  }

  /** The attempt's stream broke after part of it reached the client: too late for another model. */
  public void broke(String error) {
    FallbackChain.Link link = end(200, "broken", error, null);
    shared.breakers().failure(link.route(), permit);
  }

  /** The client left during the attempt: it tells nothing of the provider. */
  public void cancelled(int status) {
    FallbackChain.Link link = end(status, "cancelled", "the client went away", null);
    shared.breakers().release(link.route(), permit);
  }

  /**
   * The model chosen by {@link #next()} cannot take this call after all (its provider speaks the other
   * format and the request uses something that format lacks): no attempt is counted, and the call goes on
   * without that model.
   */
  public void cannotSend(String why) {
    if (!inFlight) {
      throw new IllegalStateException("no attempt in flight");
    }
    inFlight = false;
    tries[current]--;
    excluded[current] = true;
    skips++;
    shared.breakers().release(chain.get(current).route(), permit);
    trace.add(NAME + ": skipped " + Breakers.key(chain.get(current).route()) + " (" + why + ")");
  }

  /** Whether a provider's 2xx body is an answer (see {@link FailureClass#isAnswer}). */
  public static boolean isAnswer(JsonNode body) {
    return FailureClass.isAnswer(body);
  }

  /** The shortest wait before a skipped model's circuit lets a probe through, or null when none was skipped. */
  public Duration soonestProbe() {
    return soonest;
  }

  /**
   * Ends an attempt whose outcome was never reported (the gateway failed during it, or the client's
   * connection did as the answer went out): it is logged as cancelled, with what it cost when it was
   * priced, and tells the breakers nothing. Does nothing when no attempt is in flight.
   */
  public void abandon(String why, Long costPicoUsd) {
    if (inFlight) {
      FallbackChain.Link link = end(0, "cancelled", why, costPicoUsd);
      shared.breakers().release(link.route(), permit);
    }
  }

  /** Sets what the last attempt was billed, once it is priced. */
  public void priced(Long costPicoUsd) {
    if (!attempts.isEmpty()) {
      attempts.set(attempts.size() - 1, attempts.get(attempts.size() - 1).priced(costPicoUsd));
    }
  }

  /**
   * What the attempts recorded so far were billed (while an attempt is in flight: those before it), or
   * null when one of them had an unknown price.
   */
  public Long recordedCost() {
    long sum = 0;
    for (Attempt a : attempts) {
      if (a.costPicoUsd() == null) {
        return null;
      }
      sum += a.costPicoUsd();
    }
    return sum;
  }

  /** The time left before the call's deadline, which the attempt's timeouts are cut to. */
  public Duration left() {
    return Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
  }

  /** The attempts made so far. */
  public List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  /**
   * The trace lines of the chain, in order ({@code fallback: attempt 1 openai/gpt-4o: 503 in 120 ms},
   * skipped models, waits), or none when the call made one attempt and nothing else happened.
   */
  public List<String> trace() {
    return trace(0);
  }

  /**
   * The trace lines, with the attempt in flight as answering with {@code status} (the headers of its
   * answer are about to go out, before the attempt is over).
   */
  public List<String> trace(int status) {
    if (quiet()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(trace.size() + 1);
    out.addAll(trace);
    if (inFlight) {
      Route r = chain.get(current).route();
      out.add(NAME + ": " + new Attempt(attempts.size() + 1, r.providerName(), r.model(), status,
          (System.nanoTime() - attemptStart) / 1_000_000, "ok", null, null).describe());
    }
    return out;
  }

  /** Whether the chain did nothing worth telling: at most one attempt, nothing skipped, nothing waited for. */
  public boolean quiet() {
    return trace.size() + (inFlight ? 1 : 0) <= 1 && skips == 0;
  }

  /** Why {@link #next()} said no, or null while it has not. */
  public String stopReason() {
    return stop;
  }

  /**
   * Every attempt on one line, for the error that ends a call no model answered:
   * {@code attempt 1 openai/gpt-4o: 503 in 120 ms; attempt 2 …}.
   */
  public String summary() {
    List<String> parts = new ArrayList<>();
    for (String t : trace) {
      String line = t.substring(NAME.length() + 2);
      if (line.startsWith("attempt ") || line.startsWith("skipped ")) {
        parts.add(line);
      }
    }
    return String.join("; ", parts);
  }

  private FallbackChain.Link end(int status, String outcome, String error, Long costPicoUsd) {
    if (!inFlight) {
      throw new IllegalStateException("no attempt in flight");
    }
    inFlight = false;
    FallbackChain.Link link = chain.get(current);
    Attempt a = new Attempt(attempts.size() + 1, link.route().providerName(), link.route().model(), status,
        (System.nanoTime() - attemptStart) / 1_000_000, outcome, error, costPicoUsd);
    attempts.add(a);
    trace.add(NAME + ": " + a.describe());
    return link;
  }

  private int nextLink() {
    int n = chain.size();
    for (int k = 0; k < n; k++) {
      int i = (cursor + k) % n;
      if (!excluded[i]) {
        cursor = (i + 1) % n;
        return i;
      }
    }
    return -1;
  }

  private int activeLinks() {
    int n = 0;
    for (boolean x : excluded) {
      if (!x) {
        n++;
      }
    }
    return n;
  }

  private boolean sleep(Duration d) {
    try {
      shared.sleeper().sleep(d);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop = "the gateway was stopping while the call waited to ask again";
      return false;
    }
  }

  private static long seconds(Duration d) {
    return (d.toMillis() + 999) / 1000;
  }
}
