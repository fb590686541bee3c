package dev.tokenwise.guard;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.params.SetParams;

/**
 * Spend counted in Redis, so that every gateway instance naming the same server shares the caps. Under
 * {@code tokenwise:guard:}: {@code m:<scope>:<epoch minute>} and {@code h:<scope>:<epoch hour>} are
 * counters raised with INCRBY (one pipeline per call) that expire once no window looks at them;
 * {@code c:<scope>} holds the minute of an administrator's clear; {@code trip:<guard>} the id of the alert
 * of a held trip, taken with SET NX so that one instance alerts it.
 *
 * <p>A reading is one MGET of the scope's 60 minute keys, its hour keys and its clear. Nothing throws:
 * every failure is counted and logged at most once a minute, and the counters of this process, which
 * always count this instance's own spend too, answer instead; after a connection failure Redis is left
 * alone for a second, so that a dead server costs the requests nothing.
 */
final class RedisSpend implements SpendCounter {
  private static final Logger LOG = System.getLogger(RedisSpend.class.getName());
  static final String NAMESPACE = "tokenwise:guard:";
  static final int CONNECT_TIMEOUT_MS = 1_000;
  static final int SOCKET_TIMEOUT_MS = 250;
  private static final long PAUSE_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final RedisClient client;
  private final String shown;
  private final String ns;
  private final int hours;
  private final LocalSpend local;
  private final Occasional errors = new Occasional(LOG, "spend guard: Redis failed, this instance's own counts"
      + " stand in");
  private volatile long skipUntilNanos = System.nanoTime();

  private RedisSpend(RedisClient client, String shown, String ns, int hours) {
    this.client = client;
    this.shown = shown;
    this.ns = ns;
    this.hours = hours;
    this.local = new LocalSpend(hours);
  }

  /**
   * Connects (lazily: a server that does not answer yet is logged, and the local counts stand in until it
   * does). {@code config} should carry short timeouts, as a slow guard is worse than a local one.
   */
  static RedisSpend open(HostAndPort server, JedisClientConfig config, String shown, int hours, String namespace) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    // Virtual threads make many concurrent callers; past this many, waiting is worse than the local counts.
    pool.setMaxTotal(64);
    pool.setMaxIdle(64);
    pool.setMaxWait(Duration.ofMillis(SOCKET_TIMEOUT_MS));
    RedisClient client = RedisClient.builder().hostAndPort(server).clientConfig(config).poolConfig(pool).build();
    RedisSpend spend = new RedisSpend(client, shown, namespace, hours);
    try {
      client.ping();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "spend guard: Redis at {0} does not answer yet ({1}); each instance counts its own"
          + " spend until it does", shown, e.getMessage());
    }
    return spend;
  }

  @Override
  public void add(List<String> scopes, long picoUsd, long nowMillis) {
    local.add(scopes, picoUsd, nowMillis);
    if (skipping()) {
      return;
    }
    long minute = Math.floorDiv(nowMillis, 60_000L);
    long hour = Math.floorDiv(minute, 60);
    // a minute is read for an hour after it, an hour for as many hours as are kept; one more for slack
    long minuteTtl = (minute + Spend.MINUTES + 1) * 60_000L - nowMillis;
    long hourTtl = (hour + hours + 1) * 3_600_000L - nowMillis;
    try (AbstractPipeline p = client.pipelined()) {
      for (String scope : scopes) {
        String m = minuteKey(scope, minute);
        String h = hourKey(scope, hour);
        p.incrBy(m, picoUsd);
        p.pexpire(m, minuteTtl);
        p.incrBy(h, picoUsd);
        p.pexpire(h, hourTtl);
      }
      p.sync();
    } catch (RuntimeException e) {
      failed("count spend", e);
    }
  }

  @Override
  public List<Spend> read(List<String> scopes, long nowMillis) {
    if (skipping()) {
      return local.read(scopes, nowMillis);
    }
    long now = Math.floorDiv(nowMillis, 60_000L);
    long nowHour = Math.floorDiv(now, 60);
    int per = Spend.MINUTES + hours + 1;
    String[] keys = new String[scopes.size() * per];
    int k = 0;
    for (String scope : scopes) {
      for (long m = now - Spend.MINUTES + 1; m <= now; m++) {
        keys[k++] = minuteKey(scope, m);
      }
      for (long h = nowHour - hours + 1; h <= nowHour; h++) {
        keys[k++] = hourKey(scope, h);
      }
      keys[k++] = clearKey(scope);
    }
    List<String> values;
    try {
      values = client.mget(keys);
    } catch (RuntimeException e) {
      failed("read spend", e);
      return local.read(scopes, nowMillis);
    }
    List<Spend> out = new ArrayList<>(scopes.size());
    for (int s = 0; s < scopes.size(); s++) {
      int base = s * per;
      long[] minutes = new long[Spend.MINUTES];
      for (int i = 0; i < Spend.MINUTES; i++) {
        minutes[i] = number(values.get(base + i));
      }
      long[] hourSums = new long[hours];
      for (int i = 0; i < hours; i++) {
        hourSums[i] = number(values.get(base + Spend.MINUTES + i));
      }
      String cleared = values.get(base + per - 1);
      out.add(new Spend(nowMillis, minutes, hourSums, cleared == null ? Spend.NONE_CLEARED : number(cleared)));
    }
    return out;
  }

  @Override
  public void clear(String scope, long nowMillis) {
    local.clear(scope, nowMillis);
    try {
      client.set(clearKey(scope), Long.toString(Math.floorDiv(nowMillis, 60_000L)),
          SetParams.setParams().px(Duration.ofHours(hours + 1L).toMillis()));
    } catch (RuntimeException e) {
      failed("clear", e);
    }
  }

  @Override
  public boolean claim(String trip, String alertId, Duration ttl) {
    if (skipping()) {
      return local.claim(trip, alertId, ttl);
    }
    try {
      return "OK".equals(client.set(tripKey(trip), alertId, SetParams.setParams().nx().px(ttl.toMillis())));
    } catch (RuntimeException e) {
      failed("claim a trip", e);
      // better an alert twice than none
      return local.claim(trip, alertId, ttl);
    }
  }

  @Override
  public String release(String trip) {
    String mine = local.release(trip);
    if (skipping()) {
      return mine;
    }
    try {
      String id = client.getDel(tripKey(trip));
      return id != null ? id : mine;
    } catch (RuntimeException e) {
      failed("release a trip", e);
      return mine;
    }
  }

  @Override
  public long failures() {
    return errors.count();
  }

  @Override
  public void forgetIdle(long nowMillis) {
    local.forgetIdle(nowMillis);
  }

  @Override
  public void close() {
    client.close();
    local.close();
  }

  @Override
  public String toString() {
    return "RedisSpend[" + shown + "]";
  }

  String minuteKey(String scope, long minute) {
    return ns + "m:" + scope + ":" + minute;
  }

  String hourKey(String scope, long hour) {
    return ns + "h:" + scope + ":" + hour;
  }

  String clearKey(String scope) {
    return ns + "c:" + scope;
  }

  String tripKey(String trip) {
    return ns + "trip:" + trip;
  }

  private static long number(String v) {
    if (v == null) {
      return 0;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private boolean skipping() {
    return System.nanoTime() - skipUntilNanos < 0;
  }

  private void failed(String what, RuntimeException e) {
    if (e instanceof JedisConnectionException) {
      skipUntilNanos = System.nanoTime() + PAUSE_AFTER_FAILURE_NANOS;
    }
    // Jedis's messages name commands and states, never the values sent.
    errors.happened(what + " on " + shown + ": " + e.getMessage());
  }
}
