package dev.tokenwise.app;

import dev.tokenwise.analytics.PriceTable;
import dev.tokenwise.cache.AnswerStore;
import dev.tokenwise.cache.MemoryAnswers;
import dev.tokenwise.cache.RedisAnswers;
import dev.tokenwise.cache.semantic.MiniLmEmbedder;
import dev.tokenwise.cache.semantic.SemanticMatcher;
import dev.tokenwise.config.Config;
import dev.tokenwise.guard.AsyncAlerts;
import dev.tokenwise.guard.SpendGuard;
import dev.tokenwise.policy.Pipeline;
import dev.tokenwise.provider.Providers;
import dev.tokenwise.server.HttpServer;
import dev.tokenwise.server.ShadowBudget;
import dev.tokenwise.server.ShadowTap;
import dev.tokenwise.store.AsyncLogWriter;
import dev.tokenwise.store.BodyPruner;
import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.LogStores;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Map;

/** The composition root: builds every part from a config and starts the gateway. */
public final class Gateway implements AutoCloseable {
  private final LogStore store;
  private final AsyncLogWriter writer;
  private final BodyPruner pruner;
  private final Providers providers;
  private final HttpServer server;
  private final PolicyReloader reloader;
  private final AnswerStore answers;
  private final SemanticCache semantic;
  private final SpendGuard guard;
  private final AsyncAlerts alerts;
  private final EvalScoring scoring;

  private Gateway(LogStore store, AsyncLogWriter writer, BodyPruner pruner, Providers providers, HttpServer server,
      PolicyReloader reloader, AnswerStore answers, SemanticCache semantic, SpendGuard guard, AsyncAlerts alerts,
      EvalScoring scoring) {
    this.scoring = scoring;
    this.guard = guard;
    this.alerts = alerts;
    this.answers = answers;
    this.semantic = semantic;
    this.store = store;
    this.writer = writer;
    this.pruner = pruner;
    this.providers = providers;
    this.server = server;
    this.reloader = reloader;
  }

  /** Starts a gateway on the config's port (0 picks a free one). */
  public static Gateway start(Config config) {
    return start(config, Clock.systemUTC());
  }

  /** Starts a gateway whose request times, circuit-breaker cool-downs and cache lifetimes come from {@code clock}. */
  public static Gateway start(Config config, Clock clock) {
    return start(config, clock, null, Map.of());
  }

  /**
   * Starts a gateway that reloads its policies when {@code configFile} changes (checked every second).
   *
   * @param configFile the file {@code config} was loaded from, or null when it came from the defaults
   * @param env the environment the file's {@code ${VAR}} references are read from
   */
  public static Gateway start(Config config, Clock clock, Path configFile, Map<String, String> env) {
    LogStore store = LogStores.open(config.store().url());
    Config.Log log = config.log();
    AsyncLogWriter writer = new AsyncLogWriter(store, log.queueCapacity(), log.batchSize(), log.flushInterval());
    BodyPruner pruner = BodyPruner.start(store, log.retention(), clock);
    Providers providers = new Providers(config);
    PriceTable prices = PriceTable.bundled().withOverrides(config.prices());
    AnswerStore answers = null;
    AsyncAlerts alerts = new AsyncAlerts(new StoredAlerts(store.alerts()));
    SpendGuard guard = null;
    EvalScoring scoring = null;
    try {
      guard = guard(config, alerts, clock);
      answers = openAnswers(config, store, clock);
      SemanticCache semantic = semantic(config, providers);
      answers.followSemantic(semantic::add);
      dev.tokenwise.policy.Policies policies = dev.tokenwise.policy.Policies.of(config.policies());
      Pipeline pipeline = new Pipeline(providers, policies, answers, () -> semantic, SemanticMatcher.DEFAULT_THRESHOLD,
          config.retry(), clock);
      if (policies.usesSemanticCache()) {
        semantic.warm();
      }
      CacheReport cacheReport = new CacheReport(pipeline, answers, semantic,
          config.redis() == null ? "memory, kept in the store" : "redis");
      ShadowBudget shadowBudget = new ShadowBudget(clock, store.shadows()::spent);
      // the admin API's report asks the server for the shadow tests' counts, once it has started
      java.util.concurrent.atomic.AtomicReference<HttpServer> started =
          new java.util.concurrent.atomic.AtomicReference<>();
      scoring = new EvalScoring(semantic.localEmbedder());
      ShadowRecorder recorder = new ShadowRecorder(store.shadows(), shadowBudget, config.log().storeBodies(), scoring);
      HttpServer server = HttpServer.start(config, salt(config), pipeline, prices, writer, clock, guard,
          java.util.List.of(new dev.tokenwise.web.RequestsApi(store, config.auth().adminToken(),
              () -> TacticsReport.of(pipeline), cacheReport, () -> ProvidersReport.of(pipeline, config.retry())),
              new dev.tokenwise.web.GuardApi(store, config.auth().adminToken(),
                  new GuardReport(guard, config.redis() == null ? "memory" : "redis")),
              new dev.tokenwise.web.EvalsApi(store, config.auth().adminToken()),
              new dev.tokenwise.web.ShadowApi(store, config.auth().adminToken(), new ShadowReport(store.shadows(),
                  shadowBudget, pipeline::policies, () -> started.get() == null ? null : started.get().shadows(),
                  clock))),
          new HttpServer.Shadows(shadowBudget, recorder, ShadowTap.DEFAULT_IN_FLIGHT));
      started.set(server);
      PolicyReloader reloader = configFile == null ? null
          : new PolicyReloader(configFile, env, pipeline, config, java.time.Duration.ofSeconds(1), next -> {
            if (next.usesSemanticCache()) {
              semantic.warm();
            }
          });
      return new Gateway(store, writer, pruner, providers, server, reloader, answers, semantic, guard, alerts,
          scoring);
    } catch (RuntimeException e) {
      if (scoring != null) {
        scoring.close();
      }
      if (answers != null) {
        answers.close();
      }
      if (guard != null) {
        guard.close();
      }
      alerts.close();
      providers.close();
      pruner.close();
      writer.close();
      store.close();
      throw e;
    }
  }

  /** The port the gateway listens on. */
  public int port() {
    return server.port();
  }

  /** How this gateway calls itself (eval sweeps, shadow tests): see {@link dev.tokenwise.server.InternalCalls}. */
  public dev.tokenwise.server.InternalCalls internalCalls() {
    return server.internalCalls();
  }

  /** The shadow tests' counts since start (samples taken, copies made, skipped, dropped). */
  public ShadowTap shadows() {
    return server.shadows();
  }

  /** The request log (for the CLI's reports and for tests). */
  public LogStore store() {
    return store;
  }

  /** The spend guard's alert writer, to wait until every trip and clear is kept. */
  public AsyncAlerts alerts() {
    return alerts;
  }

  /**
   * The modification time of the config file version whose policies are in force, or null when the
   * gateway watches no file: a caller that rewrote the file (the demo's apply step) waits until it is
   * the file's own. A version with an error never gets there; the log names its problems.
   */
  public FileTime policiesInForce() {
    return reloader == null ? null : reloader.inForce();
  }

  /** The log writer, to wait until every answered call is written. */
  public AsyncLogWriter writer() {
    return writer;
  }

  /** Stops taking requests, then writes what the log still holds. */
  @Override
  public void close() {
    if (reloader != null) {
      reloader.close();
    }
    server.close();
    // the shadow copies still running were given their moment by the server; the scorer's model can go
    scoring.close();
    guard.close();
    // the alerts go to the store's table: before the store closes
    alerts.close();
    providers.close();
    pruner.close();
    writer.close();
    // the cache's copy queue goes to the store's table: before the store closes
    answers.close();
    semantic.close();
    store.close();
  }

  /**
   * The spend guard: off when nothing is configured; counting in Redis when {@code redis.url} is set (the
   * caps hold across instances), else in this process.
   */
  private static SpendGuard guard(Config config, AsyncAlerts alerts, Clock clock) {
    if (!config.guard().active()) {
      return SpendGuard.off();
    }
    if (config.redis() == null) {
      return SpendGuard.local(config.guard(), alerts, clock);
    }
    dev.tokenwise.cache.RedisUrl url = dev.tokenwise.cache.RedisUrl.parse(config.redis().url());
    return SpendGuard.redis(config.guard(), new redis.clients.jedis.HostAndPort(url.host(), url.port()),
        url.clientConfig(SpendGuard.REDIS_CONNECT_TIMEOUT_MS, SpendGuard.REDIS_SOCKET_TIMEOUT_MS), url.redacted(),
        alerts, clock);
  }

  /**
   * Where cached answers are kept: Redis when {@code redis.url} is set (shared by every instance), else
   * this process's memory, copied to the store so that a restart keeps them, unless
   * {@code log.store_bodies: false} says that no prompt or answer may be written there.
   */
  private static AnswerStore openAnswers(Config config, LogStore store, Clock clock) {
    if (config.redis() != null) {
      return RedisAnswers.open(config.redis().url(), clock);
    }
    return MemoryAnswers.open(clock, maxMemory(config), (int) config.cache().maxEntries(),
        config.log().storeBodies() ? new PersistedAnswers(store.answers()) : null);
  }

  /** {@code cache.max_memory}, or a quarter of the heap. */
  private static long maxMemory(Config config) {
    Long set = config.cache().maxMemoryBytes();
    return set != null ? set : Runtime.getRuntime().maxMemory() / 4;
  }

  /**
   * The semantic index and its embedder; the in-process model loads only when first asked for. The
   * index takes about 850 bytes of heap per entry; it holds at most one entry per 2 KiB of
   * {@code cache.max_memory}, which a stored answer with its embedding always outweighs, so the index
   * never outgrows the answers it points at by much.
   */
  private static SemanticCache semantic(Config config, Providers providers) {
    String embeddings = config.cache().embeddings();
    int max = (int) Math.max(1, Math.min(config.cache().maxEntries(), maxMemory(config) / 2048));
    return Config.Cache.LOCAL.equals(embeddings) ? SemanticCache.local(new MiniLmEmbedder(), max)
        : SemanticCache.remote(new ProviderEmbedder(providers, embeddings), max);
  }

  /**
   * The salt of tenant hashes: {@code auth.salt} when configured (needed for several instances), else a
   * random one kept in the data folder so that tenants keep their names across restarts.
   */
  static String salt(Config config) {
    if (config.auth().salt() != null) {
      return config.auth().salt();
    }
    String url = config.store().url();
    Path dir = url.startsWith("sqlite:") ? Path.of(url.substring(7)).toAbsolutePath().getParent()
        : Path.of("tokenwise-data").toAbsolutePath();
    Path file = dir.resolve("tenant-salt");
    try {
      if (Files.exists(file)) {
        return Files.readString(file).strip();
      }
      Files.createDirectories(dir);
      byte[] r = new byte[16];
      new SecureRandom().nextBytes(r);
      String salt = HexFormat.of().formatHex(r);
      Files.writeString(file, salt + "\n");
      return salt;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the tenant salt in " + file + "; set auth.salt in the config", e);
    }
  }
}
