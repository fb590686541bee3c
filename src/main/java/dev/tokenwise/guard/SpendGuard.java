package dev.tokenwise.guard;

import dev.tokenwise.config.Config;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;

/**
 * The spend guard: counts what each answered call cost against its tenant and its pattern, and refuses
 * a call before it reaches a provider when one of its caps is reached (the last hour's or the last 24
 * hours' spend) or its pattern's anomaly guard is tripped. A refusal is a {@link ErrorKind#SPEND_GUARD}
 * error naming the scope, the window, the figure and the cap, with the seconds until the window frees up.
 * Each trip and each clear is alerted once ({@link Trips}). Nothing here throws into the request path
 * but that refusal: a failure of the counters lets the call through.
 */
public final class SpendGuard implements AutoCloseable {
  private static final Logger LOG = System.getLogger(SpendGuard.class.getName());
  static final Duration SWEEP_EVERY = Duration.ofSeconds(30);
  /** The connect timeout the Redis connection should have. */
  public static final int REDIS_CONNECT_TIMEOUT_MS = RedisSpend.CONNECT_TIMEOUT_MS;
  /** The reply timeout the Redis connection should have. */
  public static final int REDIS_SOCKET_TIMEOUT_MS = RedisSpend.SOCKET_TIMEOUT_MS;

  /**
   * A trip an administrator cleared.
   *
   * @param alertId the alert it closed
   * @param kind {@code tenant_cap}, {@code pattern_cap} or {@code anomaly}
   * @param scope the tenant or the pattern
   * @param period the window of the guard
   */
  public record Cleared(String alertId, String kind, String scope, String period) {}

  private final boolean on;
  private final Judge judge;
  private final SpendCounter counter;
  private final Trips trips;
  private final Clock clock;
  private final Map<Judge.Kind, LongAdder> refused = new EnumMap<>(Judge.Kind.class);
  private final Occasional unpriced = new Occasional(LOG, "spend guard: calls whose price is unknown count"
      + " nothing against the caps; give their models a price under prices:");
  private final Occasional defects = new Occasional(LOG, "spend guard: failed inside; the call went through");
  private final Thread sweeper;

  SpendGuard(Config.Guard config, SpendCounter counter, AlertSink alerts, Clock clock, boolean sweep) {
    this.on = config.active();
    this.judge = new Judge(config);
    this.counter = counter;
    this.clock = clock;
    this.trips = new Trips(counter, alerts, clock);
    for (Judge.Kind k : Judge.Kind.values()) {
      refused.put(k, new LongAdder());
    }
    this.sweeper = on && sweep ? Thread.ofVirtual().name("tokenwise-guard-sweep").start(this::sweepLoop) : null;
  }

  /** A guard that guards nothing and counts nothing. */
  public static SpendGuard off() {
    return new SpendGuard(Config.Guard.NONE, new LocalSpend(24), AlertSink.NONE, Clock.systemUTC(), false);
  }

  /** Spend counted in this process (one gateway instance). */
  public static SpendGuard local(Config.Guard config, AlertSink alerts, Clock clock) {
    return new SpendGuard(config, new LocalSpend(new Judge(config).hoursKept()), alerts, clock, true);
  }

  /**
   * Spend counted in Redis, shared by every instance that names the same server; when Redis fails, each
   * instance goes on with what it counted itself.
   *
   * @param client the connection settings, with short timeouts ({@link #REDIS_CONNECT_TIMEOUT_MS},
   *     {@link #REDIS_SOCKET_TIMEOUT_MS}): a slow guard is worse than one that counts locally
   * @param shown the server as it may be logged (no password)
   */
  public static SpendGuard redis(Config.Guard config, HostAndPort server, JedisClientConfig client, String shown,
      AlertSink alerts, Clock clock) {
    if (!config.active()) {
      return new SpendGuard(config, new LocalSpend(24), alerts, clock, false);
    }
    int hours = new Judge(config).hoursKept();
    return new SpendGuard(config, RedisSpend.open(server, client, shown, hours, RedisSpend.NAMESPACE), alerts,
        clock, true);
  }

  /**
   * Refuses a call whose tenant or pattern has reached a cap or tripped the anomaly guard.
   *
   * @param tenant the caller's tenant
   * @param pattern the call's pattern (a tag or a fingerprint), or null when unknown
   * @throws GatewayException of kind {@link ErrorKind#SPEND_GUARD}, with a retry-after
   */
  public void check(String tenant, String pattern) {
    if (!on) {
      return;
    }
    List<Judge.Judged> judged;
    try {
      judged = judgeNow(tenant, pattern);
      trips.observe(judged);
    } catch (RuntimeException e) {
      defects.happened(e.toString());
      return;
    }
    Judge.Judged first = null;
    long wait = 0;
    for (Judge.Judged j : judged) {
      if (j.over()) {
        first = first == null ? j : first;
        wait = Math.max(wait, j.freesIn());
      }
    }
    if (first != null) {
      refused.get(first.kind()).increment();
      throw GatewayException.of(ErrorKind.SPEND_GUARD, first.message()).withRetryAfter(Long.toString(wait));
    }
  }

  /**
   * Counts what an answered call cost against its tenant and pattern.
   *
   * @param costPicoUsd the call's cost; null when its price is unknown, which counts nothing (and says so)
   */
  public void record(String tenant, String pattern, Long costPicoUsd) {
    if (!on) {
      return;
    }
    try {
      List<String> scopes = new ArrayList<>(2);
      if (judge.countsTenant(tenant)) {
        scopes.add(tenantScope(tenant));
      }
      if (judge.countsPattern(pattern)) {
        scopes.add(patternScope(pattern));
      }
      if (scopes.isEmpty()) {
        return;
      }
      if (costPicoUsd == null) {
        unpriced.happened("one more" + (pattern == null ? "" : " of pattern " + pattern));
        return;
      }
      if (costPicoUsd > 0) {
        counter.add(scopes, costPicoUsd, clock.millis());
      }
    } catch (RuntimeException e) {
      defects.happened(e.toString());
    }
  }

  /**
   * Forgives what a tenant spent so far, so that its tripped caps clear now; the alerts of its trips are
   * closed as cleared by an administrator.
   *
   * @return the trips cleared (none when nothing was tripped)
   */
  public List<Cleared> clearTenant(String tenant) {
    counter.clear(tenantScope(tenant), clock.millis());
    return trips.clearAll(List.of(Judge.Judged.key(Judge.Kind.TENANT_CAP, "1h", tenant),
        Judge.Judged.key(Judge.Kind.TENANT_CAP, "24h", tenant)));
  }

  /**
   * Forgives what a pattern spent so far, against its caps and its anomaly window (its baseline keeps the
   * history), so that its tripped guards clear now.
   *
   * @return the trips cleared (none when nothing was tripped)
   */
  public List<Cleared> clearPattern(String pattern) {
    counter.clear(patternScope(pattern), clock.millis());
    List<String> keys = new ArrayList<>(List.of(Judge.Judged.key(Judge.Kind.PATTERN_CAP, "1h", pattern),
        Judge.Judged.key(Judge.Kind.PATTERN_CAP, "24h", pattern)));
    if (judge.anomalyPeriod() != null) {
      keys.add(Judge.Judged.key(Judge.Kind.ANOMALY, judge.anomalyPeriod(), pattern));
    }
    return trips.clearAll(keys);
  }

  /** The trips this instance knows to hold now, oldest first. */
  public List<Alert> tripped() {
    return trips.active();
  }

  /** Whether any cap or the anomaly guard is set. */
  public boolean active() {
    return on;
  }

  /** Trips alerted by this instance, by kind ({@code tenant_cap}, {@code pattern_cap}, {@code anomaly}). */
  public Map<String, Long> trips() {
    return trips.counts();
  }

  /** Calls refused, by the kind of guard that refused them. */
  public Map<String, Long> refused() {
    Map<String, Long> out = new LinkedHashMap<>();
    refused.forEach((k, v) -> out.put(k.id, v.sum()));
    return out;
  }

  /** Answered calls whose price was unknown, so that they counted nothing. */
  public long unpriced() {
    return unpriced.count();
  }

  /** Failures of the shared counters (each fell back to this instance's own). */
  public long backendFailures() {
    return counter.failures();
  }

  /**
   * Looks again at every trip held here, so that one whose window moved on is cleared (and alerted as
   * such) even when no call of its scope comes; forgets scopes that spent nothing for longer than any
   * window looks back.
   */
  void sweep() {
    for (Alert a : trips.active()) {
      boolean tenant = a.kind().equals(Judge.Kind.TENANT_CAP.id);
      trips.observe(judgeNow(tenant ? a.scope() : null, tenant ? null : a.scope()));
    }
    counter.forgetIdle(clock.millis());
  }

  @Override
  public void close() {
    if (sweeper != null) {
      sweeper.interrupt();
      try {
        sweeper.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    counter.close();
  }

  private List<Judge.Judged> judgeNow(String tenant, String pattern) {
    boolean t = judge.countsTenant(tenant);
    boolean p = judge.countsPattern(pattern);
    if (!t && !p) {
      return List.of();
    }
    List<String> scopes = new ArrayList<>(2);
    if (t) {
      scopes.add(tenantScope(tenant));
    }
    if (p) {
      scopes.add(patternScope(pattern));
    }
    List<Spend> spend = counter.read(scopes, clock.millis());
    List<Judge.Judged> out = new ArrayList<>(5);
    if (t) {
      out.addAll(judge.tenant(tenant, spend.get(0)));
    }
    if (p) {
      out.addAll(judge.pattern(pattern, spend.get(t ? 1 : 0)));
    }
    return out;
  }

  private void sweepLoop() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(SWEEP_EVERY);
        sweep();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        defects.happened("sweep: " + e);
      }
    }
  }

  static String tenantScope(String tenant) {
    return "t:" + tenant;
  }

  static String patternScope(String pattern) {
    return "p:" + pattern;
  }
}
