package dev.tokenwise.provider;

import dev.tokenwise.config.Config;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The circuit breakers of this gateway instance, one per provider and model, made on a model's first
 * transient failure (a model that never failed needs none). In process on purpose: each instance judges
 * the providers by what it sees itself, and needs no shared store to keep answering.
 */
public final class Breakers {
  /**
   * Breakers kept at most: model names come from clients, so without a bound a stream of failing made-up
   * names would grow the map for ever. Past it, the breakers with nothing to remember are dropped.
   */
  static final int MAX_BREAKERS = 10_000;

  private final Config.Retry.Breaker settings;
  private final Clock clock;
  private final Map<String, CircuitBreaker> breakers = new ConcurrentHashMap<>();

  /** Breakers with these settings, timed by {@code clock} (a test's own clock skips a cool-down). */
  public Breakers(Config.Retry.Breaker settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
  }

  /** Asks to call a route's model now. */
  public CircuitBreaker.Permit acquire(Route route) {
    CircuitBreaker b = breakers.get(key(route));
    return b == null ? CircuitBreaker.Permit.GO : b.acquire(clock.instant());
  }

  /** How long the route's circuit refuses calls yet, or null when a call may go; see {@link CircuitBreaker#refusesFor}. */
  public java.time.Duration refusesFor(Route route) {
    CircuitBreaker b = breakers.get(key(route));
    return b == null ? null : b.refusesFor(clock.instant());
  }

  /** The route answered; see {@link CircuitBreaker#success}. */
  public void success(Route route, CircuitBreaker.Permit permit) {
    CircuitBreaker b = breakers.get(key(route));
    if (b != null) {
      b.success(permit);
    }
  }

  /** The route failed transiently; see {@link CircuitBreaker#failure}. */
  public void failure(Route route, CircuitBreaker.Permit permit) {
    if (breakers.size() >= MAX_BREAKERS && !breakers.containsKey(key(route))) {
      breakers.values().removeIf(CircuitBreaker::idle);
    }
    breakers.computeIfAbsent(key(route), k -> new CircuitBreaker(settings)).failure(permit, clock.instant());
  }

  /** The call told nothing of the route; see {@link CircuitBreaker#release}. */
  public void release(Route route, CircuitBreaker.Permit permit) {
    CircuitBreaker b = breakers.get(key(route));
    if (b != null) {
      b.release(permit);
    }
  }

  /** Every breaker by {@code provider/model}, sorted. */
  public Map<String, CircuitBreaker.Snapshot> snapshot() {
    Map<String, CircuitBreaker.Snapshot> out = new TreeMap<>();
    var now = clock.instant();
    breakers.forEach((k, b) -> out.put(k, b.snapshot(now)));
    return out;
  }

  /** The breaker's name: {@code provider/model}. */
  public static String key(Route route) {
    return route.providerName() + "/" + route.model();
  }
}
