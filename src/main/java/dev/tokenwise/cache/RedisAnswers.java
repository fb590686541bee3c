package dev.tokenwise.cache;

import dev.tokenwise.core.CachedAnswer;
import dev.tokenwise.core.ErrorKind;
import dev.tokenwise.core.GatewayException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.Response;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.params.ScanParams;
import redis.clients.jedis.params.SetParams;
import redis.clients.jedis.resps.ScanResult;
import redis.clients.jedis.resps.Tuple;

/**
 * Answers in Redis, shared by every gateway instance that names the same server. Under the namespace
 * {@code tokenwise:cache:}: {@code a:<key>} holds an answer in {@link AnswerCodec}'s form and expires
 * at the answer's own time; {@code p:<pattern>} is a sorted set of a pattern's keys scored by expiry, so
 * that a pattern can be dropped; {@code patterns} names the patterns; {@code semantic} is a sorted set
 * of the semantic answers' keys, read at start; and channel {@code feed} carries each new semantic
 * answer to the other instances. The index sets lose expired members on each write to them.
 *
 * <p>Nothing here throws on the request path: a failed get is a miss and a failed put a lost copy, both
 * counted, with a warning at most once a minute that names no prompt or body. After a connection
 * failure the store stays away from Redis for a second, so that a dead server costs the requests nothing
 * but misses. Timeouts are short (1 s to connect, 250 ms a reply), as a slow cache is worse than none.
 * Dropping a pattern or everything is an administrator's act and does throw, saying what failed.
 */
public final class RedisAnswers implements AnswerStore {
  private static final Logger LOG = System.getLogger(RedisAnswers.class.getName());

  static final String NAMESPACE = "tokenwise:cache:";
  static final int CONNECT_TIMEOUT_MS = 1_000;
  static final int SOCKET_TIMEOUT_MS = 250;
  /** How long requests skip Redis after it could not be reached. */
  static final long PAUSE_AFTER_FAILURE_NANOS = TimeUnit.SECONDS.toNanos(1);
  private static final int CHUNK = 100;
  private static final int ORIGIN_BYTES = Long.BYTES;

  private final RedisUrl url;
  private final Clock clock;
  private final String ns;
  private final JedisClientConfig config;
  private final RedisClient client;
  /** Marks this instance's own messages on the feed, which it has already delivered. */
  private final long origin = new SecureRandom().nextLong();
  private final RareWarning errors = new RareWarning(LOG, "response cache: Redis failed");
  private final AtomicBoolean followed = new AtomicBoolean();
  private volatile long skipUntilNanos = System.nanoTime();
  private volatile Consumer<CachedAnswer> follower;
  private volatile SemanticFeed feed;

  private RedisAnswers(RedisUrl url, Clock clock, String namespace) {
    this.url = url;
    this.clock = clock;
    this.ns = namespace;
    this.config = url.clientConfig(CONNECT_TIMEOUT_MS, SOCKET_TIMEOUT_MS);
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    // Virtual threads make many concurrent callers; past this many, waiting longer than a reply is a miss.
    pool.setMaxTotal(64);
    pool.setMaxIdle(64);
    pool.setMaxWait(Duration.ofMillis(SOCKET_TIMEOUT_MS));
    this.client = RedisClient.builder()
        .hostAndPort(new HostAndPort(url.host(), url.port()))
        .clientConfig(config)
        .poolConfig(pool)
        .build();
  }

  /**
   * Opens the store on {@code redis://[[user]:password@]host[:port][/db]} (or {@code rediss://} for
   * TLS). A server that does not answer yet is logged, not fatal: the cache misses until it does.
   *
   * @throws IllegalArgumentException when the URL is not of that form; the message hides the password
   */
  public static RedisAnswers open(String url, Clock clock) {
    return open(url, clock, NAMESPACE);
  }

  /** Opens with another key namespace, so that tests sharing one server never meet. */
  static RedisAnswers open(String url, Clock clock, String namespace) {
    RedisAnswers store = new RedisAnswers(RedisUrl.parse(url), clock, namespace);
    try {
      store.client.ping();
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "response cache: Redis at {0} does not answer yet ({1}); the cache misses until it"
          + " does", store.url, e.getMessage());
    }
    return store;
  }

  @Override
  public Optional<CachedAnswer> get(String key, long nowMillis) {
    if (skipping()) {
      return Optional.empty();
    }
    try {
      byte[] value = client.get(bytes(answerKey(key)));
      if (value == null) {
        return Optional.empty();
      }
      CachedAnswer a = AnswerCodec.decode(value);
      return a.liveAt(nowMillis) ? Optional.of(a) : Optional.empty();
    } catch (RuntimeException e) {
      failed("get", e);
      return Optional.empty();
    }
  }

  @Override
  public void put(CachedAnswer a) {
    long now = clock.millis();
    if (!a.liveAt(now) || skipping()) {
      return;
    }
    try {
      byte[] encoded = AnswerCodec.encode(a);
      String patternKey = patternKey(a.pattern());
      Response<String> set;
      try (AbstractPipeline p = client.pipelined()) {
        set = p.set(bytes(answerKey(a.key())), encoded, SetParams.setParams().pxAt(a.expiresMillis()));
        p.zadd(patternKey, a.expiresMillis(), a.key());
        p.zremrangeByScore(patternKey, "-inf", Long.toString(now));
        p.sadd(ns + "patterns", a.pattern());
        if (a.semantic()) {
          p.zadd(semanticKey(), a.expiresMillis(), a.key());
          p.zremrangeByScore(semanticKey(), "-inf", Long.toString(now));
          p.publish(bytes(channel()), message(encoded));
        }
        p.sync();
      }
      set.get();
    } catch (RuntimeException e) {
      failed("put", e);
      return;
    }
    Consumer<CachedAnswer> sink = follower;
    if (sink != null && a.semantic()) {
      deliver(sink, a);
    }
  }

  /**
   * Drops the answers of one pattern and returns how many there were.
   *
   * @throws GatewayException when Redis fails; answers already dropped stay dropped
   */
  @Override
  public long removePattern(String pattern) {
    String batch = ns + "t:" + UUID.randomUUID();
    try {
      // Moved aside in one step: answers put from now on start a new set that this removal leaves alone.
      client.srem(ns + "patterns", pattern);
      try {
        client.rename(patternKey(pattern), batch);
      } catch (JedisDataException e) {
        if (String.valueOf(e.getMessage()).contains("no such key")) {
          return 0;
        }
        throw e;
      }
      long removed = 0;
      List<String> members = client.zrange(batch, 0, -1);
      for (int i = 0; i < members.size(); i += CHUNK) {
        List<String> chunk = members.subList(i, Math.min(members.size(), i + CHUNK));
        removed += client.unlink(chunk.stream().map(this::answerKey).toArray(String[]::new));
        client.zrem(semanticKey(), chunk.toArray(String[]::new));
      }
      client.unlink(batch);
      return removed;
    } catch (RuntimeException e) {
      throw adminFailure("drop the answers of a pattern", e);
    }
  }

  /**
   * Drops every key of the namespace (SCAN and UNLINK, never KEYS) and returns how many answers went.
   *
   * @throws GatewayException when Redis fails; keys already dropped stay dropped
   */
  @Override
  public long removeAll() {
    try {
      long removed = 0;
      ScanParams params = new ScanParams().match(glob(ns) + "*").count(1_000);
      String cursor = ScanParams.SCAN_POINTER_START;
      do {
        ScanResult<String> page = client.scan(cursor, params);
        List<String> found = page.getResult();
        if (!found.isEmpty()) {
          client.unlink(found.toArray(String[]::new));
          removed += found.stream().filter(k -> k.startsWith(ns + "a:")).count();
        }
        cursor = page.getCursor();
      } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
      return removed;
    } catch (RuntimeException e) {
      throw adminFailure("drop every answer", e);
    }
  }

  /** The live answers counted through the pattern sets; 0 when Redis fails. */
  @Override
  public long size() {
    if (skipping()) {
      return 0;
    }
    try {
      String now = "(" + clock.millis();
      Set<String> patterns = client.smembers(ns + "patterns");
      List<Response<Long>> counts = new ArrayList<>();
      try (AbstractPipeline p = client.pipelined()) {
        for (String pattern : patterns) {
          counts.add(p.zcount(patternKey(pattern), now, "+inf"));
        }
        p.sync();
      }
      return counts.stream().mapToLong(Response::get).sum();
    } catch (RuntimeException e) {
      failed("size", e);
      return 0;
    }
  }

  /**
   * Sends {@code sink} every live semantic answer in Redis, then each one stored from now on by any
   * instance: this one's on the putting thread, the others' on the feed's thread, so the sink must be
   * thread-safe. Waits up to 5 s for the first read; when Redis is down it returns, and the read follows
   * once Redis answers. After the feed was cut off, the answers stored meanwhile are read again, so the
   * sink may see an answer twice.
   *
   * @throws IllegalStateException when called a second time
   */
  @Override
  public void followSemantic(Consumer<CachedAnswer> sink) {
    if (!followed.compareAndSet(false, true)) {
      throw new IllegalStateException("followSemantic was already called");
    }
    follower = sink;
    feed = new SemanticFeed(this::connectFeed, bytes(channel()), this::onFeed, this::catchUp, clock,
        SemanticFeed.PING_EVERY);
    if (!feed.awaitFirstCatchUp(Duration.ofSeconds(5))) {
      LOG.log(Level.WARNING, "response cache: the semantic answers in Redis at {0} are not read yet; they follow"
          + " when it answers", url);
    }
  }

  @Override
  public long failures() {
    SemanticFeed f = feed;
    return errors.count() + (f == null ? 0 : f.drops());
  }

  @Override
  public void close() {
    SemanticFeed f = feed;
    if (f != null) {
      f.close();
    }
    client.close();
  }

  @Override
  public String toString() {
    return "RedisAnswers[" + url + "]";
  }

  String answerKey(String key) {
    return ns + "a:" + key;
  }

  String patternKey(String pattern) {
    return ns + "p:" + pattern;
  }

  String semanticKey() {
    return ns + "semantic";
  }

  String channel() {
    return ns + "feed";
  }

  /** Reads the semantic answers created since {@code sinceMillis} and sends them to the follower. */
  private void catchUp(long sinceMillis) {
    Consumer<CachedAnswer> sink = follower;
    long now = clock.millis();
    client.zremrangeByScore(semanticKey(), "-inf", Long.toString(now));
    ScanParams params = new ScanParams().count(500);
    String cursor = ScanParams.SCAN_POINTER_START;
    List<String> keys = new ArrayList<>();
    do {
      ScanResult<Tuple> page = client.zscan(semanticKey(), cursor, params);
      for (Tuple t : page.getResult()) {
        keys.add(t.getElement());
      }
      cursor = page.getCursor();
    } while (!cursor.equals(ScanParams.SCAN_POINTER_START));
    for (int i = 0; i < keys.size(); i += CHUNK) {
      byte[][] chunk = keys.subList(i, Math.min(keys.size(), i + CHUNK)).stream()
          .map(k -> bytes(answerKey(k))).toArray(byte[][]::new);
      for (byte[] value : client.mget(chunk)) {
        if (value == null) {
          continue;
        }
        CachedAnswer a;
        try {
          a = AnswerCodec.decode(value);
        } catch (IllegalArgumentException e) {
          errors.happened("an unreadable answer in Redis: " + e.getMessage());
          continue;
        }
        if (a.semantic() && a.liveAt(now) && a.createdMillis() >= sinceMillis) {
          deliver(sink, a);
        }
      }
    }
  }

  private void onFeed(byte[] message) {
    try {
      if (message.length <= ORIGIN_BYTES || ByteBuffer.wrap(message).getLong() == origin) {
        return;
      }
      CachedAnswer a = AnswerCodec.decode(message, ORIGIN_BYTES, message.length - ORIGIN_BYTES);
      if (a.semantic() && a.liveAt(clock.millis())) {
        deliver(follower, a);
      }
    } catch (RuntimeException e) {
      errors.happened("an unreadable message on the feed: " + e.getMessage());
    }
  }

  private Jedis connectFeed() {
    return new Jedis(new HostAndPort(url.host(), url.port()), config);
  }

  private byte[] message(byte[] encoded) {
    return ByteBuffer.allocate(ORIGIN_BYTES + encoded.length).putLong(origin).put(encoded).array();
  }

  private void deliver(Consumer<CachedAnswer> sink, CachedAnswer a) {
    try {
      sink.accept(a);
    } catch (RuntimeException e) {
      errors.happened("the semantic index refused an answer: " + e);
    }
  }

  private boolean skipping() {
    if (System.nanoTime() - skipUntilNanos < 0) {
      errors.happened("skipped: Redis at " + url + " was unreachable a moment ago");
      return true;
    }
    return false;
  }

  private void failed(String what, RuntimeException e) {
    if (e instanceof JedisConnectionException) {
      skipUntilNanos = System.nanoTime() + PAUSE_AFTER_FAILURE_NANOS;
    }
    // Jedis's messages name commands and states, never the values sent.
    errors.happened(what + " on " + url + ": " + e.getMessage());
  }

  private GatewayException adminFailure(String what, RuntimeException e) {
    errors.happened(what + ": " + e.getMessage());
    return GatewayException.of(ErrorKind.INTERNAL, "response cache: could not " + what + " in Redis at " + url
        + ": " + e.getMessage() + "; check that Redis is running and reachable, then try again", e);
  }

  /** A namespace made literal for SCAN's MATCH pattern. */
  static String glob(String literal) {
    return literal.replaceAll("([*?\\[\\]\\\\])", "\\\\$1");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
