package dev.tokenwise.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the top-level sections of a config file on top of the defaults. Problems go to
 * {@link Problems}; what is read wrongly keeps its default so that reading can go on and report
 * everything at once.
 */
final class ConfigReader {
  static final List<String> TOP_KEYS = List.of(
      "server", "store", "redis", "providers", "models", "prices", "auth", "retry", "guard", "log", "cache", "policies");
  private static final Pattern PROVIDER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final int MAX_QUEUE = 1_000_000;
  private static final Duration MIN_FLUSH = Duration.ofMillis(10);
  private static final Duration MAX_FLUSH = Duration.ofMinutes(1);
  private static final Duration MAX_GRACE = Duration.ofMinutes(5);
  private static final Duration MAX_DEADLINE = Duration.ofHours(1);
  private static final Duration MAX_BACKOFF = Duration.ofMinutes(5);
  private static final Duration MAX_COOLDOWN = Duration.ofHours(1);

  private final Config base;
  private final Problems problems;

  ConfigReader(Config base, Problems problems) {
    this.base = base;
    this.problems = problems;
  }

  Config read(Section root) {
    root.allowOnly(TOP_KEYS);
    Map<String, ProviderConfig> providers = providers(root.section("providers"));
    Map<String, String> models = models(root.section("models"), providers);
    return new Config(
        server(root.section("server")),
        store(root.section("store")),
        redis(root.section("redis")),
        providers,
        models,
        new PriceReader(problems, providers.keySet()).read(root),
        new AuthReader(providers.keySet()).read(root.section("auth")),
        retry(root.section("retry")),
        new GuardReader(base.guard()).read(root.section("guard")),
        log(root.section("log")),
        cache(root.section("cache"), providers),
        new PolicyReader(problems, providers.keySet(), models).read(root));
  }

  private Config.Server server(Section s) {
    s.allowOnly(List.of("host", "port", "max_body", "shutdown_grace"));
    Config.Server d = base.server();
    String host = or(s.text("host"), d.host());
    if (host.isBlank()) {
      s.error("host", s.child("host") + " must not be empty");
      host = d.host();
    }
    int port = or(s.integer("port", 0, 65535), (long) d.port()).intValue();
    long maxBody = or(s.size("max_body"), d.maxBodyBytes());
    if (maxBody < 1) {
      s.error("max_body", s.child("max_body") + " must be at least 1 byte");
      maxBody = d.maxBodyBytes();
    }
    Duration grace = or(s.duration("shutdown_grace"), d.shutdownGrace());
    if (grace.compareTo(MAX_GRACE) > 0) {
      s.warn("shutdown_grace", s.child("shutdown_grace") + " " + Units.format(grace) + " is longer than "
          + Units.format(MAX_GRACE) + "; using " + Units.format(MAX_GRACE));
      grace = MAX_GRACE;
    }
    return new Config.Server(host, port, maxBody, grace);
  }

  private Config.Store store(Section s) {
    s.allowOnly(List.of("url"));
    String url = s.text("url");
    if (url == null) {
      return base.store();
    }
    String lower = url.toLowerCase(Locale.ROOT);
    boolean ok;
    if (lower.startsWith("sqlite:")) {
      ok = url.length() > "sqlite:".length();
    } else if (lower.startsWith("postgresql://") || lower.startsWith("postgres://")
        || lower.startsWith("jdbc:postgresql://")) {
      ok = hasAuthority(lower.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
    } else {
      ok = false;
    }
    if (!ok) {
      s.error("url", s.child("url") + " must be sqlite:PATH or postgresql://HOST/DB (also postgres:// or"
          + " jdbc:postgresql://), got " + Section.quote(Redact.url(url)));
      return base.store();
    }
    return new Config.Store(url);
  }

  private Config.Redis redis(Section s) {
    s.allowOnly(List.of("url"));
    String url = s.text("url");
    if (url == null) {
      return base.redis();
    }
    String lower = url.toLowerCase(Locale.ROOT);
    if (!(lower.startsWith("redis://") || lower.startsWith("rediss://")) || !hasHost(url)) {
      s.error("url", s.child("url") + " must be redis://HOST:PORT or rediss://HOST:PORT, got "
          + Section.quote(Redact.url(url)));
      return base.redis();
    }
    return new Config.Redis(url);
  }

  private Map<String, ProviderConfig> providers(Section s) {
    Map<String, ProviderConfig> out = new LinkedHashMap<>(base.providers());
    for (Section.Entry e : s.entries()) {
      String name = e.key();
      if (!PROVIDER_NAME.matcher(name).matches()) {
        problems.error(e.line(), "provider name " + Section.quoteKey(name) + " may use only letters, digits,"
            + " '.', '_' and '-' (it is written before the '/' in provider/model)");
        continue;
      }
      ProviderConfig p = provider(Section.of(s.child(name), e.value(), problems, s.env()), name);
      if (p != null) {
        out.put(name, p);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private ProviderConfig provider(Section s, String name) {
    s.allowOnly(List.of("kind", "base_url", "api_key", "timeout", "connect_timeout", "first_byte_timeout",
        "idle_timeout", "headers", "drop_params"));
    ConfigLoader.BuiltinProvider builtin = ConfigLoader.BuiltinProvider.byId(name);
    ProviderConfig.Kind kind = builtin == null ? ProviderConfig.Kind.OPENAI : builtin.kind;
    String kindText = s.text("kind");
    if (kindText != null) {
      switch (kindText.strip().toLowerCase(Locale.ROOT)) {
        case "openai" -> kind = ProviderConfig.Kind.OPENAI;
        case "anthropic" -> kind = ProviderConfig.Kind.ANTHROPIC;
        default -> s.error("kind", s.child("kind") + " must be openai or anthropic, got " + Section.quote(kindText));
      }
    }
    String baseUrl = s.text("base_url");
    if (baseUrl == null && !s.has("base_url")) {
      if (builtin == null) {
        problems.error(s.line(), s.path() + " needs base_url: '" + name + "' is not a built-in provider"
            + " (built-in: " + ConfigLoader.BuiltinProvider.ids() + ")");
      } else {
        baseUrl = builtin.baseUrl;
      }
    } else if (baseUrl != null && !isHttpUrl(baseUrl)) {
      s.error("base_url", s.child("base_url") + " must be an absolute http:// or https:// URL, got "
          + Section.quote(Redact.url(baseUrl)));
      baseUrl = null;
    }
    String apiKey = s.secret("api_key");
    Duration timeout = positive(s, "timeout", ProviderConfig.DEFAULT_TIMEOUT);
    Duration connect = positive(s, "connect_timeout", ProviderConfig.DEFAULT_CONNECT_TIMEOUT);
    Duration firstByte = positive(s, "first_byte_timeout", ProviderConfig.DEFAULT_FIRST_BYTE_TIMEOUT);
    Duration idle = positive(s, "idle_timeout", ProviderConfig.DEFAULT_IDLE_TIMEOUT);
    if (firstByte.compareTo(timeout) > 0) {
      // the default wait for headers shrinks silently to a shorter attempt; a value written out is worth a word
      if (s.has("first_byte_timeout")) {
        s.warn("first_byte_timeout", s.child("first_byte_timeout") + " " + Units.format(firstByte)
            + " is longer than " + s.child("timeout") + " " + Units.format(timeout)
            + ", which bounds the whole attempt; using " + Units.format(timeout));
      }
      firstByte = timeout;
    }
    Map<String, String> headers = headers(s.section("headers"));
    List<String> dropParams = s.texts("drop_params");
    if (dropParams == null) {
      dropParams = builtin == null ? List.of() : builtin.dropParams;
    }
    if (baseUrl == null) {
      return null;
    }
    return new ProviderConfig(name, kind, stripSlash(baseUrl), apiKey, timeout, headers, dropParams, connect,
        firstByte, idle);
  }

  /** A duration longer than 0, or {@code fallback} when absent or wrong (with the problem noted). */
  private static Duration positive(Section s, String key, Duration fallback) {
    Duration d = s.duration(key);
    if (d != null && d.isZero()) {
      s.error(key, s.child(key) + " must be longer than 0s");
      return fallback;
    }
    return d == null ? fallback : d;
  }

  private Map<String, String> headers(Section s) {
    Map<String, String> out = new LinkedHashMap<>();
    for (Section.Entry e : s.entries()) {
      if (!e.key().matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
        problems.error(e.line(), "header name " + Section.quote(e.key()) + " in " + s.path() + " is not a valid"
            + " HTTP header name");
        continue;
      }
      // Header values are often credentials (api-key, Authorization): messages never quote them.
      String v = s.scalar(e.value(), s.child(e.key()), false);
      if (v != null) {
        out.put(e.key(), v);
      }
    }
    return Collections.unmodifiableMap(out);
  }

  private Map<String, String> models(Section s, Map<String, ProviderConfig> providers) {
    Map<String, String> out = new LinkedHashMap<>(base.models());
    for (Section.Entry e : s.entries()) {
      String provider = s.scalar(e.value(), s.child(e.key()), false);
      if (provider == null) {
        continue;
      }
      if (!providers.containsKey(provider)) {
        problems.error(e.line(), unknownProvider(s.child(e.key()), provider, providers.keySet()));
        continue;
      }
      out.put(e.key(), provider);
    }
    return Collections.unmodifiableMap(out);
  }

  static String unknownProvider(String at, String provider, java.util.Collection<String> known) {
    String hint = Problems.closest(provider, known);
    return at + " names provider " + Section.quote(provider) + ", which is not configured"
        + (hint != null ? " (did you mean '" + hint + "'?)" : " (known: " + String.join(", ", known) + ")");
  }

  private Config.Retry retry(Section s) {
    s.allowOnly(List.of("max_attempts", "deadline", "backoff", "max_backoff", "breaker"));
    Config.Retry d = base.retry();
    int attempts = or(s.integer("max_attempts", 1, Config.Retry.HARD_CEILING), (long) d.maxAttempts()).intValue();
    Duration deadline = positive(s, "deadline", d.deadline());
    if (deadline.compareTo(MAX_DEADLINE) > 0) {
      s.warn("deadline", s.child("deadline") + " " + Units.format(deadline) + " is longer than "
          + Units.format(MAX_DEADLINE) + "; using " + Units.format(MAX_DEADLINE));
      deadline = MAX_DEADLINE;
    }
    Duration backoff = or(s.duration("backoff"), d.backoff());
    Duration maxBackoff = or(s.duration("max_backoff"), d.maxBackoff());
    if (maxBackoff.compareTo(MAX_BACKOFF) > 0) {
      s.warn("max_backoff", s.child("max_backoff") + " " + Units.format(maxBackoff) + " is longer than "
          + Units.format(MAX_BACKOFF) + "; using " + Units.format(MAX_BACKOFF));
      maxBackoff = MAX_BACKOFF;
    }
    if (backoff.compareTo(maxBackoff) > 0) {
      s.warn("backoff", s.child("backoff") + " " + Units.format(backoff) + " is longer than retry.max_backoff "
          + Units.format(maxBackoff) + "; using " + Units.format(maxBackoff));
      backoff = maxBackoff;
    }
    return new Config.Retry(attempts, deadline, backoff, maxBackoff, breaker(s.section("breaker"), d.breaker()));
  }

  private Config.Retry.Breaker breaker(Section s, Config.Retry.Breaker d) {
    s.allowOnly(List.of("failures", "failure_rate", "window", "cooldown"));
    int failures = or(s.integer("failures", 1, 1000), (long) d.failures()).intValue();
    int window = or(s.integer("window", 2, 1000), (long) d.window()).intValue();
    double rate = d.failureRate();
    java.math.BigDecimal r = s.decimal("failure_rate");
    if (r != null && (r.signum() == 0 || r.compareTo(java.math.BigDecimal.ONE) > 0)) {
      s.error("failure_rate", s.child("failure_rate") + " must be more than 0 and at most 1 (0.5 = half of the"
          + " window), got " + r.toPlainString());
    } else if (r != null) {
      rate = r.doubleValue();
    }
    Duration cooldown = positive(s, "cooldown", d.cooldown());
    if (cooldown.compareTo(MAX_COOLDOWN) > 0) {
      s.warn("cooldown", s.child("cooldown") + " " + Units.format(cooldown) + " is longer than "
          + Units.format(MAX_COOLDOWN) + "; using " + Units.format(MAX_COOLDOWN));
      cooldown = MAX_COOLDOWN;
    }
    return new Config.Retry.Breaker(failures, rate, window, cooldown);
  }

  private Config.Cache cache(Section s, Map<String, ProviderConfig> providers) {
    s.allowOnly(List.of("max_entries", "max_memory", "embeddings"));
    Config.Cache d = base.cache();
    Long entries = s.integer("max_entries", 1, 10_000_000);
    Long memory = s.size("max_memory");
    if (memory != null && memory < 1024 * 1024) {
      s.error("max_memory", s.child("max_memory") + " must be at least 1MiB, got " + memory + " bytes");
      memory = null;
    }
    String embeddings = s.text("embeddings");
    if (embeddings != null) {
      embeddings = embeddings.strip();
      int slash = embeddings.indexOf('/');
      if (!embeddings.equals(Config.Cache.LOCAL) && (slash <= 0 || slash == embeddings.length() - 1
          || !providers.containsKey(embeddings.substring(0, slash)))) {
        s.error("embeddings", s.child("embeddings") + " must be 'local' or PROVIDER/MODEL naming a configured provider ("
            + String.join(", ", providers.keySet()) + "), got " + Section.quote(embeddings));
        embeddings = null;
      }
    }
    return new Config.Cache(or(entries, d.maxEntries()), memory != null ? memory : d.maxMemoryBytes(),
        or(embeddings, d.embeddings()));
  }

  private Config.Log log(Section s) {
    s.allowOnly(List.of("store_bodies", "retention", "queue_capacity", "batch_size", "flush_interval"));
    Config.Log d = base.log();
    boolean storeBodies = or(s.bool("store_bodies"), d.storeBodies());
    Duration retention = or(s.duration("retention"), d.retention());
    int queue = or(s.integer("queue_capacity", 1, Integer.MAX_VALUE), (long) d.queueCapacity()).intValue();
    if (queue > MAX_QUEUE) {
      s.warn("queue_capacity", s.child("queue_capacity") + " " + queue + " would hold too much memory; using "
          + MAX_QUEUE);
      queue = MAX_QUEUE;
    }
    int batch = or(s.integer("batch_size", 1, Integer.MAX_VALUE), (long) d.batchSize()).intValue();
    if (batch > queue) {
      s.warn("batch_size", s.child("batch_size") + " " + batch + " is larger than log.queue_capacity; using "
          + queue);
      batch = queue;
    }
    Duration flush = or(s.duration("flush_interval"), d.flushInterval());
    if (flush.compareTo(MIN_FLUSH) < 0) {
      s.warn("flush_interval", s.child("flush_interval") + " " + Units.format(flush) + " is too short; using "
          + Units.format(MIN_FLUSH));
      flush = MIN_FLUSH;
    } else if (flush.compareTo(MAX_FLUSH) > 0) {
      s.warn("flush_interval", s.child("flush_interval") + " " + Units.format(flush) + " would delay the log;"
          + " using " + Units.format(MAX_FLUSH));
      flush = MAX_FLUSH;
    }
    return new Config.Log(storeBodies, retention, queue, batch, flush);
  }

  /** Reads {@code auth}: the salt, gateway keys (possibly from {@code ${ENV}}) and whether they are required. */
  private final class AuthReader {
    private final java.util.Set<String> providerNames;

    AuthReader(java.util.Set<String> providerNames) {
      this.providerNames = providerNames;
    }

    Config.Auth read(Section s) {
      s.allowOnly(List.of("salt", "require_gateway_key", "keys", "admin_token"));
      String salt = s.has("salt") ? s.secret("salt") : base.auth().salt();
      String adminToken = s.has("admin_token") ? s.secret("admin_token") : base.auth().adminToken();
      boolean require = or(s.bool("require_gateway_key"), base.auth().requireGatewayKey());
      Map<String, Config.GatewayKey> keys = new LinkedHashMap<>(base.auth().keys());
      Section ks = s.section("keys");
      int index = 0;
      for (Section.Entry e : ks.entries()) {
        // The key is the secret itself, so messages name it by position, never by value.
        String at = ks.path() + "[" + index++ + "]";
        String key = ks.scalar(new org.snakeyaml.engine.v2.nodes.ScalarNode(
            org.snakeyaml.engine.v2.nodes.Tag.STR, e.key(), org.snakeyaml.engine.v2.common.ScalarStyle.PLAIN),
            at, true);
        if (key == null) {
          problems.error(e.line(), at + " is empty or uses an unset environment variable");
          continue;
        }
        if (!key.startsWith("tw-") || key.length() < 4) {
          problems.error(e.line(), at + " must start with 'tw-'");
          continue;
        }
        Config.GatewayKey g = gatewayKey(Section.of(at, e.value(), problems, s.env()), e.line());
        if (g != null && keys.put(key, g) != null) {
          problems.error(e.line(), at + " is the same key as an earlier one");
        }
      }
      if (require && keys.isEmpty()) {
        s.error("require_gateway_key", s.child("require_gateway_key") + " is true but auth.keys is empty, so"
            + " every request would be refused");
      }
      return new Config.Auth(salt, Collections.unmodifiableMap(keys), require, adminToken);
    }

    private Config.GatewayKey gatewayKey(Section s, int line) {
      s.allowOnly(List.of("tenant", "provider_keys"));
      Map<String, String> providerKeys = new LinkedHashMap<>();
      Section pk = s.section("provider_keys");
      for (Section.Entry e : pk.entries()) {
        if (!providerNames.contains(e.key())) {
          problems.error(e.line(), unknownProvider(pk.path(), e.key(), providerNames));
          continue;
        }
        String v = pk.scalar(e.value(), pk.child(e.key()), true);
        if (v != null) {
          providerKeys.put(e.key(), v);
        }
      }
      String tenant = s.text("tenant");
      if (tenant == null) {
        if (!s.has("tenant")) {
          problems.error(line, s.path() + " needs a tenant");
        }
        return null;
      }
      if (tenant.isBlank()) {
        s.error("tenant", s.child("tenant") + " must not be empty");
        return null;
      }
      return new Config.GatewayKey(tenant.strip(), Collections.unmodifiableMap(providerKeys));
    }
  }

  static boolean isHttpUrl(String url) {
    try {
      URI u = new URI(url);
      String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && u.getHost() != null && u.getQuery() == null
          && u.getFragment() == null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static boolean hasHost(String url) {
    try {
      String host = new URI(url).getHost();
      return host != null && !host.isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static boolean hasAuthority(String url) {
    try {
      String authority = new URI(url).getRawAuthority();
      return authority != null && !authority.isEmpty();
    } catch (URISyntaxException e) {
      return false;
    }
  }

  private static String stripSlash(String url) {
    return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
