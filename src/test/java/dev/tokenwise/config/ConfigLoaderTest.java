package dev.tokenwise.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private final List<String> warnings = new ArrayList<>();

  private Config parse(String yaml, Map<String, String> env) {
    return ConfigLoader.parse(yaml, "test.yaml", env, warnings::add);
  }

  private ConfigException problems(String yaml, Map<String, String> env) {
    return assertThrows(ConfigException.class, () -> parse(yaml, env));
  }

  private static Path resource(String name) {
    try {
      return Path.of(ConfigLoaderTest.class.getResource("/config/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void design_example_loads_without_any_provider_key_set() {
    Config c = ConfigLoader.load(resource("design-example.yaml"), Map.of(), warnings::add);

    assertEquals("127.0.0.1", c.server().host());
    assertEquals(8787, c.server().port());
    assertEquals("sqlite:./tokenwise-data/tokenwise.db", c.store().url());
    assertEquals("redis://127.0.0.1:6379", c.redis().url());
    for (String p : List.of("openai", "anthropic", "groq")) {
      assertNull(c.providers().get(p).apiKey(), p + " passes the client's key through");
    }
    assertEquals(ProviderConfig.Kind.ANTHROPIC, c.providers().get("anthropic").kind());
    assertEquals("https://api.groq.com/openai/v1", c.providers().get("groq").baseUrl());
    assertEquals(3, c.retry().maxAttempts());
    assertEquals(new Config.Caps(new BigDecimal("50"), null), c.guard().tenant(), "the first files' key still works");
    assertTrue(c.log().storeBodies());
    assertEquals(Duration.ofDays(30), c.log().retention());
    assertTrue(warnings.isEmpty(), warnings::toString);

    Map<String, Object> policy = c.policies().get(0);
    assertEquals(Map.of("tag", "classify-ticket"), policy.get("match"));
    assertEquals("auto", policy.get("prompt_cache"));
    assertEquals(6, ((Map<?, ?>) policy.get("context")).get("keep_last_turns"));
    Map<?, ?> cache = (Map<?, ?>) policy.get("cache");
    assertEquals(Boolean.TRUE, cache.get("exact"));
    assertEquals(0.95, ((Map<?, ?>) cache.get("semantic")).get("threshold"));
    assertEquals("1h", cache.get("ttl"));
    assertEquals(List.of("groq/llama-3.3-70b-versatile", "deepseek/deepseek-chat"), policy.get("fallback"));
  }

  @Test
  void design_example_takes_provider_keys_from_the_environment() {
    Map<String, String> env = Map.of("OPENAI_API_KEY", "sk-openai-1", "ANTHROPIC_API_KEY", "sk-ant-2",
        "GROQ_API_KEY", "gsk-3");
    Config c = ConfigLoader.load(resource("design-example.yaml"), env, warnings::add);

    assertEquals("sk-openai-1", c.providers().get("openai").apiKey());
    assertEquals("sk-ant-2", c.providers().get("anthropic").apiKey());
    assertEquals("gsk-3", c.providers().get("groq").apiKey());
  }

  @Test
  void providers_not_in_the_file_keep_their_defaults() {
    Config c = parse("providers: { openai: {} }\n", Map.of("DEEPSEEK_API_KEY", "sk-ds", "OPENAI_API_KEY", "sk-o"));

    assertEquals("sk-ds", c.providers().get("deepseek").apiKey());
    assertNull(c.providers().get("openai").apiKey(), "a listed provider without api_key passes the client's key");
    assertEquals("https://api.openai.com/v1", c.providers().get("openai").baseUrl());
  }

  @Test
  void empty_file_gives_the_defaults() {
    assertEquals(ConfigLoader.defaults(Map.of()), parse("# nothing yet\n", Map.of()));
  }

  @Test
  void env_references_are_replaced_and_defaults_apply_when_unset_or_empty() {
    Config c = parse("""
        server: { host: "${HOST}", port: "${PORT:-9100}" }
        store: { url: "sqlite:${DATA:-/var/lib/tw}/tw.db" }
        log: { retention: "${RETENTION:-14d}" }
        policies:
          - route: { model: "${CHEAP_MODEL:-gpt-4o-mini}" }
            max_tokens:
              cap: ${CAP}
        """, Map.of("HOST", "0.0.0.0", "RETENTION", "", "CAP", "512"));

    assertEquals("0.0.0.0", c.server().host());
    assertEquals(9100, c.server().port());
    assertEquals("sqlite:/var/lib/tw/tw.db", c.store().url());
    assertEquals(Duration.ofDays(14), c.log().retention());
    assertEquals(Map.of("model", "gpt-4o-mini"), c.policies().get(0).get("route"));
    assertEquals(Map.of("cap", 512), c.policies().get(0).get("max_tokens"), "a plain reference is typed after substitution");
  }

  @Test
  void double_dollar_writes_a_literal_reference() {
    Config c = parse("server: { host: \"$${HOST}\" }\n", Map.of("HOST", "ignored"));

    assertEquals("${HOST}", c.server().host());
  }

  @Test
  void unset_variable_without_default_is_an_error_naming_it_and_its_line() {
    ConfigException e = problems("""
        server:
          host: "${BIND_HOST}"
        """, Map.of());

    assertEquals(List.of("line 2: server.host uses ${BIND_HOST} but environment variable BIND_HOST is not set"
        + " (set it, or write ${BIND_HOST:-default})"), e.problems());
  }

  @Test
  void unset_variable_inside_a_longer_api_key_is_still_an_error() {
    ConfigException e = problems("providers: { openai: { api_key: \"key-${PART}\" } }\n", Map.of());

    assertTrue(e.getMessage().contains("PART is not set"), e.getMessage());
  }

  @Test
  void unknown_key_names_its_line_and_the_closest_known_key() {
    ConfigException e = problems("""
        server:
          prot: 8080
        retyr: { max_attempts: 2 }
        providers:
          openai: { base_ulr: "https://example.com" }
        """, Map.of());

    assertEquals(List.of(
        "line 2: unknown key 'prot' in server (did you mean 'port'?)",
        "line 3: unknown key 'retyr' at the top level (did you mean 'retry'?)",
        "line 5: unknown key 'base_ulr' in providers.openai (did you mean 'base_url'?)"), e.problems());
  }

  @Test
  void unknown_key_far_from_any_known_key_lists_the_known_ones() {
    ConfigException e = problems("retry: { banana: 1 }\n", Map.of());

    assertEquals(List.of("line 1: unknown key 'banana' in retry (known keys: max_attempts, deadline, backoff, max_backoff, breaker)"), e.problems());
  }

  @Test
  void typos_in_policies_and_their_match_are_caught_with_their_line() {
    ConfigException e = problems("""
        policies:
          - match: { tag: a }
            route: { model: gpt-4o-mini }
          - match: { tga: b }
            cahce: { exact: true }
        """, Map.of());

    assertEquals(List.of(
        "line 4: unknown key 'tga' in policies[1].match (did you mean 'tag'?)",
        "line 5: unknown key 'cahce' in policies[1] (did you mean 'cache'?)"), e.problems().stream().sorted().toList());
  }

  @Test
  void the_response_cache_has_bounds_and_an_embedder() {
    Config d = parse("", Map.of());
    assertEquals(new Config.Cache(100_000, null, "local"), d.cache());
    Config c = parse("cache: { max_entries: 5000, max_memory: 64MiB, embeddings: openai/text-embedding-3-small }\n",
        Map.of());
    assertEquals(new Config.Cache(5000, 64L * 1024 * 1024, "openai/text-embedding-3-small"), c.cache());
    ConfigException e = problems("cache: { max_entries: 0, embeddings: nowhere/e5 }\n", Map.of());
    assertEquals(2, e.problems().size(), e.problems().toString());
    assertTrue(e.problems().get(0).contains("cache.max_entries must be between 1"), e.problems().toString());
    assertTrue(e.problems().get(1).contains("cache.embeddings must be 'local' or PROVIDER/MODEL"), e.problems().toString());
  }

  @Test
  void a_policy_cache_is_checked_with_its_lines() {
    parse("""
        policies:
          - cache: { exact: true, semantic: { threshold: 0.93 }, ttl: 1h, tool_calls: true }
          - cache: { semantic: true, any_temperature: true }
        """, Map.of());
    ConfigException e = problems("""
        policies:
          - cache: { exact: yes please, ttl: forever }
          - cache: { semantic: { threshold: 1.5, k: 3 } }
          - cache: on
        """, Map.of());
    List<String> p = e.problems().stream().sorted().toList();
    assertEquals(5, p.size(), p.toString());
    assertTrue(p.stream().anyMatch(s -> s.startsWith("line 2:") && s.contains("exact must be true or false")), p.toString());
    assertTrue(p.stream().anyMatch(s -> s.startsWith("line 2:") && s.contains("ttl must be a duration")), p.toString());
    assertTrue(p.stream().anyMatch(s -> s.startsWith("line 3:") && s.contains("threshold must be more than 0 and at most 1")),
        p.toString());
    assertTrue(p.stream().anyMatch(s -> s.startsWith("line 3:") && s.contains("unknown key 'k'")), p.toString());
    assertTrue(p.stream().anyMatch(s -> s.startsWith("line 4:") && s.contains("cache must be a mapping")), p.toString());
  }

  @Test
  void the_guard_reads_caps_overrides_and_the_anomaly_guard() {
    Config c = parse("""
        guard:
          tenant:  { usd_per_hour: 5, usd_per_day: 50 }
          pattern: { usd_per_hour: 2.50 }
          tenants: { team-a: { usd_per_day: 200 } }
          patterns: { support-chat: { usd_per_hour: 10 } }
          anomaly: { factor: 4, window: 10m, baseline: 48h, min_usd: 0.25 }
        """, Map.of());

    Config.Guard g = c.guard();
    assertTrue(g.active());
    assertEquals(new Config.Caps(new BigDecimal("5"), new BigDecimal("50")), g.tenant());
    assertEquals(new BigDecimal("2.50"), g.pattern().usdPerHour(), "the decimal as written");
    assertNull(g.pattern().usdPerDay());
    assertEquals(new Config.Caps(new BigDecimal("5"), new BigDecimal("200")), g.tenantCaps("team-a"),
        "a named tenant keeps every tenant's figure it does not give");
    assertEquals(g.tenant(), g.tenantCaps("team-b"));
    assertEquals(new Config.Caps(new BigDecimal("10"), null), g.patternCaps("support-chat"));
    assertEquals(new Config.Anomaly(new BigDecimal("4"), Duration.ofMinutes(10), Duration.ofHours(48),
        new BigDecimal("0.25")), g.anomaly());
    String text = ConfigLoader.describe(c);
    assertTrue(text.contains("guard: tenant usd_per_hour=5 usd_per_day=50; pattern usd_per_hour=2.50 usd_per_day=none;"
        + " anomaly factor=4 window=10m baseline=2d min_usd=0.25"), text);
    assertTrue(text.contains("  tenants.team-a: usd_per_day=200\n  patterns.support-chat: usd_per_hour=10\n"), text);
  }

  @Test
  void the_guard_is_off_by_default_and_its_anomaly_guard_takes_defaults() {
    assertFalse(parse("", Map.of()).guard().active());
    assertTrue(ConfigLoader.describe(parse("", Map.of())).contains("guard: none (no spend cap, no anomaly guard)"));
    assertNull(parse("guard: { anomaly: false }", Map.of()).guard().anomaly());
    Config.Anomaly defaults = new Config.Anomaly(new BigDecimal("5"), Duration.ofMinutes(5), Duration.ofHours(24),
        new BigDecimal("0.50"));
    assertEquals(defaults, parse("guard: { anomaly: true }", Map.of()).guard().anomaly());
    assertEquals(defaults, parse("guard: { anomaly: {} }", Map.of()).guard().anomaly());
    assertTrue(parse("guard: { anomaly: {} }", Map.of()).guard().active());
  }

  @Test
  void guard_mistakes_are_reported_with_their_lines() {
    ConfigException e = problems("""
        guard:
          tenant: { usd_per_hour: 0, usd_per_dya: 3 }
          tenant_usd_per_hour: 4
          pattern: { usd_per_day: lots }
          patterns: { quiet: {} }
          anomaly: { factor: 1, window: 90s, baseline: 30m, min_usd: -1 }
        """, Map.of());

    assertEquals(List.of(
        "line 2: unknown key 'usd_per_dya' in guard.tenant (did you mean 'usd_per_day'?)",
        "line 2: guard.tenant.usd_per_hour must be above 0 (leave it out for no cap)",
        "line 4: guard.pattern.usd_per_day must be a decimal number, got 'lots'",
        "line 5: guard.patterns.quiet sets no cap; give usd_per_hour or usd_per_day, or leave the name out",
        "line 6: guard.anomaly.factor must be above 1 (how many times the usual rate trips the guard), got 1",
        "line 6: guard.anomaly.window must be whole minutes from 1m to 1h, got 90s",
        "line 6: guard.anomaly.baseline must be whole hours from 2h to 7d, got 30m",
        "line 6: guard.anomaly.min_usd must not be negative, got -1"), e.problems());
    ConfigException twice = problems("guard: { tenant: { usd_per_hour: 1 }, tenant_usd_per_hour: 2 }", Map.of());
    assertEquals(List.of("line 1: guard.tenant_usd_per_hour and guard.tenant.usd_per_hour say the same thing;"
        + " keep only guard.tenant.usd_per_hour"), twice.problems());
  }

  @Test
  void an_hourly_cap_above_the_daily_one_is_a_warning() {
    Config c = parse("guard: { pattern: { usd_per_hour: 30, usd_per_day: 20 } }", Map.of());

    assertEquals(new BigDecimal("30"), c.guard().pattern().usdPerHour());
    assertEquals(List.of("line 1: guard.pattern.usd_per_hour 30 is above guard.pattern.usd_per_day 20, so the day cap"
        + " always trips first"), warnings);
  }

  @Test
  void retry_has_a_hard_ceiling_a_deadline_a_backoff_and_a_breaker() {
    assertEquals(Config.Retry.DEFAULT, parse("", Map.of()).retry());
    Config c = parse("""
        retry:
          max_attempts: 5
          deadline: 30s
          backoff: 100ms
          max_backoff: 2s
          breaker: { failures: 3, failure_rate: 0.25, window: 40, cooldown: 1m }
        """, Map.of());
    assertEquals(new Config.Retry(5, Duration.ofSeconds(30), Duration.ofMillis(100), Duration.ofSeconds(2),
        new Config.Retry.Breaker(3, 0.25, 40, Duration.ofMinutes(1))), c.retry());

    ConfigException e = problems("""
        retry:
          max_attempts: 6
          deadline: 0s
          breaker: { failures: 0, failure_rate: 1.5, window: 1, cooldown: soon, half_open: 1 }
        """, Map.of());
    assertEquals(List.of(
        "line 2: retry.max_attempts must be between 1 and 5, got 6",
        "line 3: retry.deadline must be longer than 0s",
        "line 4: retry.breaker.cooldown must be a duration like \"500ms\", \"30s\", \"5m\", \"1h\" or \"30d\","
            + " got 'soon'",
        "line 4: retry.breaker.failure_rate must be more than 0 and at most 1 (0.5 = half of the window), got 1.5",
        "line 4: retry.breaker.failures must be between 1 and 1000, got 0",
        "line 4: retry.breaker.window must be between 2 and 1000, got 1",
        "line 4: unknown key 'half_open' in retry.breaker (known keys: failures, failure_rate, window, cooldown)"),
        e.problems().stream().sorted().toList());
  }

  @Test
  void backoff_and_deadline_out_of_range_are_reset_with_a_warning() {
    Config c = parse("retry: { backoff: 10s, max_backoff: 6m, deadline: 2h }\n", Map.of());

    assertEquals(Duration.ofMinutes(5), c.retry().maxBackoff());
    assertEquals(Duration.ofSeconds(10), c.retry().backoff());
    assertEquals(Duration.ofHours(1), c.retry().deadline());
    assertEquals(List.of("line 1: retry.deadline 2h is longer than 1h; using 1h",
        "line 1: retry.max_backoff 6m is longer than 5m; using 5m"), warnings.stream().sorted().toList());

    warnings.clear();
    assertEquals(Duration.ofSeconds(1), parse("retry: { backoff: 3s, max_backoff: 1s }\n", Map.of()).retry().backoff());
    assertEquals(List.of("line 1: retry.backoff 3s is longer than retry.max_backoff 1s; using 1s"), warnings);
  }

  @Test
  void each_provider_has_its_own_timeouts() {
    ProviderConfig d = parse("", Map.of()).providers().get("openai");
    assertEquals(List.of(Duration.ofSeconds(5), Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofSeconds(600)),
        List.of(d.connectTimeout(), d.firstByteTimeout(), d.idleTimeout(), d.timeout()));
    ProviderConfig g = parse("""
        providers:
          groq: { connect_timeout: 2s, first_byte_timeout: 5s, idle_timeout: 15s, timeout: 2m }
        """, Map.of()).providers().get("groq");
    assertEquals(List.of(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofMinutes(2)),
        List.of(g.connectTimeout(), g.firstByteTimeout(), g.idleTimeout(), g.timeout()));

    ProviderConfig shortAttempt = parse("providers: { groq: { timeout: 10s } }\n", Map.of()).providers().get("groq");
    assertEquals(Duration.ofSeconds(10), shortAttempt.firstByteTimeout(), "no wait for headers outlasts the attempt");
    assertEquals(List.of(), warnings);
    parse("providers: { groq: { timeout: 10s, first_byte_timeout: 20s } }\n", Map.of());
    assertEquals(List.of("line 1: providers.groq.first_byte_timeout 20s is longer than providers.groq.timeout 10s,"
        + " which bounds the whole attempt; using 10s"), warnings);

    ConfigException e = problems("providers: { groq: { idle_timeout: 0s, connect_timeout: later } }\n", Map.of());
    assertEquals(List.of("line 1: providers.groq.connect_timeout must be a duration like \"500ms\", \"30s\", \"5m\","
        + " \"1h\" or \"30d\", got 'later'", "line 1: providers.groq.idle_timeout must be longer than 0s"),
        e.problems().stream().sorted().toList());
  }

  @Test
  void a_route_names_one_model_a_configured_provider_serves() {
    parse("policies: [ { route: { model: groq/llama-3.3-70b-versatile } }, { route: { model: claude-haiku-4-5 } } ]\n",
        Map.of());
    ConfigException e = problems("""
        policies:
          - route: { model: grok/llama-3.3-70b-versatile }
          - route: { modle: gpt-4o-mini }
          - route: gpt-4o-mini
        """, Map.of());
    List<String> p = e.problems();
    assertEquals(4, p.size(), p.toString());
    assertTrue(p.get(0).startsWith("line 2: policies[0].route.model names provider 'grok', which is not configured"),
        p.toString());
    assertTrue(p.stream().anyMatch(s -> s.startsWith("line 3: unknown key 'modle' in policies[1].route")), p.toString());
    assertTrue(p.stream().anyMatch(s -> s.contains("policies[1].route.model is missing")), p.toString());
    assertTrue(p.stream().anyMatch(s -> s.startsWith("line 4: policies[2].route must be a mapping")), p.toString());
  }

  @Test
  void a_fallback_chain_names_models_a_configured_provider_serves() {
    Config c = parse("""
        models: { my-finetune: openai }
        policies:
          - fallback: [ groq/llama-3.3-70b-versatile, claude-haiku-4-5, my-finetune ]
        """, Map.of());
    assertEquals(List.of("groq/llama-3.3-70b-versatile", "claude-haiku-4-5", "my-finetune"),
        c.policies().get(0).get("fallback"));

    ConfigException e = problems("""
        providers:
          local: { base_url: "http://127.0.0.1:8000/v1" }
        policies:
          - fallback: [ grok/llama-3.3-70b-versatile, "", llama3.2, local/, local/m, local/m ]
          - fallback: groq/llama-3.3-70b-versatile
          - fallback: []
          - fallback:
              - { model: gpt-4o }
        """, Map.of());
    assertEquals(List.of(
        "line 4: policies[0].fallback[0] names provider 'grok', which is not configured (did you mean 'groq'?)",
        "line 4: policies[0].fallback[1] must be a model name, got an empty value",
        "line 4: policies[0].fallback[2] names 'llama3.2', which no provider serves; write PROVIDER/MODEL (e.g."
            + " groq/llama-3.3-70b-versatile) or map the model under 'models:'",
        "line 4: policies[0].fallback[3] names provider 'local' but no model after the slash",
        "line 4: policies[0].fallback[5] names 'local/m' a second time; each model is tried once per pass of the chain",
        "line 5: policies[1].fallback must be a list of models like [groq/llama-3.3-70b-versatile, claude-haiku-4-5],"
            + " not a single value",
        "line 6: policies[2].fallback must name at least one model, e.g. [groq/llama-3.3-70b-versatile]",
        "line 8: policies[3].fallback[0] must be a model name, not a mapping"), e.problems());
  }

  @Test
  void duplicate_keys_are_errors() {
    ConfigException e = problems("server:\n  port: 1\n  port: 2\n", Map.of());

    assertEquals(List.of("line 3: duplicate key 'port' in server (first at line 2)"), e.problems());
  }

  @Test
  void several_problems_are_reported_together() {
    ConfigException e = problems("""
        server: { port: 70000 }
        store: { url: "mysql://db/tokenwise" }
        retry: { max_attempts: 0 }
        log: { retention: 30, store_bodies: maybe }
        providers:
          mine: { kind: grpc, base_url: "ftp://example.com" }
        guard: { tenant_usd_per_hour: -5 }
        """, Map.of());

    List<String> p = e.problems();
    assertEquals(8, p.size(), p::toString);
    assertTrue(p.contains("line 1: server.port must be between 0 and 65535, got 70000"), p::toString);
    assertTrue(p.contains("line 3: retry.max_attempts must be between 1 and 5, got 0"), p::toString);
    assertTrue(p.contains("line 4: log.retention must be a duration like \"500ms\", \"30s\", \"5m\", \"1h\" or"
        + " \"30d\", got '30'"), p::toString);
    assertTrue(p.contains("line 4: log.store_bodies must be true or false, got 'maybe'"), p::toString);
    assertTrue(p.contains("line 6: providers.mine.kind must be openai or anthropic, got 'grpc'"), p::toString);
    assertTrue(p.stream().anyMatch(s -> s.startsWith("line 6: providers.mine.base_url must be an absolute")));
    assertTrue(p.stream().anyMatch(s -> s.startsWith("line 2: store.url must be sqlite:PATH or postgresql://")));
    assertTrue(p.contains("line 7: guard.tenant_usd_per_hour must not be negative, got -5"), p::toString);
    assertTrue(e.getMessage().startsWith("test.yaml has 8 problems:\n  line "), e.getMessage());
  }

  @Test
  void wrong_shapes_are_reported_instead_of_failing() {
    ConfigException e = problems("""
        server: [ 1, 2 ]
        providers: { openai: { drop_params: { a: 1 } } }
        policies: { match: {} }
        """, Map.of());

    assertEquals(List.of(
        "line 1: server must be a mapping of keys, not a list",
        "line 2: providers.openai.drop_params must be a list, not a mapping",
        "line 3: policies must be a list, not a mapping"), e.problems());
  }

  @Test
  void durations_take_one_unit_suffix() {
    assertEquals(Duration.ofMillis(500), Units.duration("500ms"));
    assertEquals(Duration.ofSeconds(30), Units.duration("30s"));
    assertEquals(Duration.ofMinutes(5), Units.duration("5m"));
    assertEquals(Duration.ofHours(1), Units.duration("1h"));
    assertEquals(Duration.ofDays(30), Units.duration("30d"));
    for (String bad : List.of("30", "1.5s", "-1s", "30 seconds", "PT30S", "1h30m", "")) {
      assertNull(Units.duration(bad), bad);
    }
    assertEquals("30d", Units.format(Duration.ofDays(30)));
    assertEquals("90s", Units.format(Duration.ofSeconds(90)));
    assertEquals("1500ms", Units.format(Duration.ofMillis(1500)));
  }

  @Test
  void sizes_take_decimal_or_binary_units_or_plain_bytes() {
    assertEquals(32L * 1024 * 1024, Units.size("32MiB"));
    assertEquals(1_000_000L, Units.size("1MB"));
    assertEquals(512_000L, Units.size("512kb"));
    assertEquals(2L * 1024 * 1024 * 1024, Units.size("2GiB"));
    assertEquals(4096L, Units.size("4096"));
    for (String bad : List.of("1.5MB", "32 MiBs", "-1", "MB", "99999999999999GiB")) {
      assertNull(Units.size(bad), bad);
    }
  }

  @Test
  void server_max_body_and_durations_come_from_the_file() {
    Config c = parse("""
        server: { max_body: 1048576, shutdown_grace: 2s }
        providers: { openai: { timeout: 45s } }
        log: { flush_interval: 250ms }
        """, Map.of());

    assertEquals(1_048_576L, c.server().maxBodyBytes());
    assertEquals(Duration.ofSeconds(2), c.server().shutdownGrace());
    assertEquals(Duration.ofSeconds(45), c.providers().get("openai").timeout());
    assertEquals(Duration.ofMillis(250), c.log().flushInterval());
    assertEquals(ConfigLoader.DEFAULT_MAX_BODY, parse("server: {}\n", Map.of()).server().maxBodyBytes());
  }

  @Test
  void harmless_out_of_range_values_are_reset_with_a_warning_naming_the_value_used() {
    Config c = parse("""
        log:
          queue_capacity: 1000
          batch_size: 5000
          flush_interval: 1ms
        server: { shutdown_grace: 1h }
        """, Map.of());

    assertEquals(1000, c.log().batchSize());
    assertEquals(Duration.ofMillis(10), c.log().flushInterval());
    assertEquals(Duration.ofMinutes(5), c.server().shutdownGrace());
    assertEquals(List.of(
        "line 3: log.batch_size 5000 is larger than log.queue_capacity; using 1000",
        "line 4: log.flush_interval 1ms is too short; using 10ms",
        "line 5: server.shutdown_grace 1h is longer than 5m; using 5m").stream().sorted().toList(),
        warnings.stream().sorted().toList());
  }

  @Test
  void custom_openai_compatible_provider_with_models_and_headers() {
    Config c = ConfigLoader.load(resource("gateway.yaml"), gatewayEnv(), warnings::add);

    ProviderConfig local = c.providers().get("local");
    assertEquals(ProviderConfig.Kind.OPENAI, local.kind());
    assertEquals("http://127.0.0.1:8000/v1", local.baseUrl());
    assertNull(local.apiKey());
    assertEquals(Duration.ofSeconds(90), local.timeout());
    assertEquals(Map.of("X-Api-Key", "local-header-secret-55"), local.headers());
    assertEquals(List.of("logprobs"), local.dropParams());
    ProviderConfig proxy = c.providers().get("claude-proxy");
    assertEquals(ProviderConfig.Kind.ANTHROPIC, proxy.kind());
    assertEquals("proxy-fallback-key-7731", proxy.apiKey());
    assertEquals("local", c.models().get("qwen2.5-coder"));
    assertEquals(new Config.Server("0.0.0.0", 9000, 1_000_000L, Duration.ofSeconds(30)), c.server());
    assertEquals(new Config.Log(false, Duration.ofDays(7), 2000, 100, Duration.ofMillis(500)), c.log());
  }

  @Test
  void built_in_provider_names_inherit_kind_base_url_and_dropped_params() {
    Config c = parse("providers: { groq: { api_key: gsk-x }, anthropic: { timeout: 2m } }\n", Map.of());

    ProviderConfig groq = c.providers().get("groq");
    assertEquals("https://api.groq.com/openai/v1", groq.baseUrl());
    assertEquals(List.of("logprobs", "logit_bias", "top_logprobs"), groq.dropParams());
    assertEquals(ProviderConfig.Kind.ANTHROPIC, c.providers().get("anthropic").kind());
  }

  @Test
  void new_provider_needs_a_base_url_and_models_need_a_known_provider() {
    ConfigException e = problems("""
        providers:
          mine: { api_key: k }
        models: { my-model: mien, other: nowhere-at-all }
        """, Map.of());

    List<String> p = e.problems();
    assertEquals(3, p.size(), p::toString);
    assertTrue(p.get(0).startsWith("line 2: providers.mine needs base_url: 'mine' is not a built-in provider"), p::toString);
    assertTrue(p.get(1).startsWith("line 3: models.my-model names provider 'mien', which is not configured"), p::toString);
    assertTrue(p.get(2).startsWith("line 3: models.other names provider 'nowhere-at-all'"), p::toString);
  }

  @Test
  void gateway_keys_map_to_tenants_and_provider_keys() {
    Config c = ConfigLoader.load(resource("gateway.yaml"), gatewayEnv(), warnings::add);

    Config.Auth auth = c.auth();
    assertTrue(auth.requireGatewayKey());
    assertEquals("salt-from-env-31", auth.salt());
    assertEquals(new Config.GatewayKey("team-a", Map.of("openai", "sk-team-a-secret-0001")),
        auth.keys().get("tw-team-a-8f2e9c41d7"));
    assertEquals(new Config.GatewayKey("team-b", Map.of()), auth.keys().get("tw-b-from-env-9911"));
  }

  @Test
  void gateway_keys_are_checked_without_quoting_them() {
    ConfigException e = problems("""
        auth:
          require_gateway_key: true
          keys:
            "sk-not-a-gateway-key-4242": { tenant: a }
            "tw-no-tenant-7788": { provider_keys: { opnai: "sk-x-5555" } }
        """, Map.of());

    assertEquals(List.of(
        "line 2: auth.require_gateway_key is true but auth.keys is empty, so every request would be refused",
        "line 4: auth.keys[0] must start with 'tw-'",
        "line 5: auth.keys[1].provider_keys names provider 'opnai', which is not configured (did you mean 'openai'?)",
        "line 5: auth.keys[1] needs a tenant"),
        e.problems());
  }

  @Test
  void price_overrides_keep_the_exact_decimal_text() {
    Config c = ConfigLoader.load(resource("gateway.yaml"), gatewayEnv(), warnings::add);

    Config.PriceOverride local = c.prices().get(0);
    assertEquals(new Config.PriceOverride("local", "qwen2.5-coder", new BigDecimal("0.075"), new BigDecimal("0.0375"),
        null, null, new BigDecimal("0.30"), null, null), local);
    assertEquals("0.075", local.input().toPlainString());
    Config.PriceOverride mini = c.prices().get(1);
    assertEquals(new BigDecimal("0.075"), mini.batchInput());
    assertEquals(new BigDecimal("0.6"), mini.output());
  }

  @Test
  void price_rows_need_a_known_provider_a_model_and_numbers() {
    ConfigException e = problems("""
        prices:
          - { provider: openia, model: m, input: cheap }
          - { input: 1, outptu: 2 }
        """, Map.of());

    assertEquals(List.of(
        "line 2: prices[0].provider names provider 'openia', which is not configured (did you mean 'openai'?)",
        "line 2: prices[0].input must be a decimal number, got 'cheap'",
        "line 3: unknown key 'outptu' in prices[1] (did you mean 'output'?)",
        "line 3: prices[1] needs a provider",
        "line 3: prices[1] needs a model"), e.problems());
  }

  @Test
  void yaml_syntax_errors_name_the_line_but_not_the_text() {
    ConfigException e = problems("""
        providers:
          openai: { api_key: "sk-live-unterminated-9876 }
        """, Map.of());

    assertEquals(1, e.problems().size());
    assertTrue(e.problems().get(0).startsWith("line "), e.getMessage());
    assertFalse(e.getMessage().contains("sk-live"), e.getMessage());
  }

  @Test
  void no_secret_appears_in_problems() {
    Map<String, String> env = Map.of("SECRET_PORT", "sk-env-secret-1111");
    ConfigException e = problems("""
        server: { port: "${SECRET_PORT}" }
        store: { url: "postgresql//tokenwise:pg-secret-2222@db/tw" }
        redis: { url: "http://:redis-secret-3333@cache:6379" }
        providers:
          mine: { base_url: "ftp://user:url-secret-4444@host/v1", api_key: "sk-secret-5555", api_kee: "sk-secret-6666" }
        auth:
          salt: [ "salt-secret-7777" ]
          tw-misplaced-secret-8888: { tenant: a }
          keys: { "secret-gateway-key-9999": { tenant: b } }
        """, env);

    assertEquals(8, e.problems().size(), e::getMessage);
    for (String secret : List.of("sk-env-secret-1111", "pg-secret-2222", "redis-secret-3333", "url-secret-4444",
        "sk-secret-5555", "sk-secret-6666", "salt-secret-7777", "misplaced-secret-8888", "secret-gateway-key-9999")) {
      assertFalse(e.getMessage().contains(secret), () -> secret + " leaked into: " + e.getMessage());
    }
  }

  @Test
  void describe_masks_every_secret() {
    Config c = ConfigLoader.load(resource("gateway.yaml"), gatewayEnv(), warnings::add);

    String text = ConfigLoader.describe(c);
    for (String secret : List.of("pg-password-1234", "redis-password-5678", "local-header-secret-55",
        "proxy-fallback-key-7731", "salt-from-env-31", "tw-team-a-8f2e9c41d7", "tw-b-from-env-9911",
        "sk-team-a-secret-0001")) {
      assertFalse(text.contains(secret), () -> secret + " leaked into:\n" + text);
    }
    assertTrue(text.contains("store: url=postgresql://tokenwise:****@db.internal:5432/tokenwise"), text);
    assertTrue(text.contains("redis: url=redis://:****@cache.internal:6379"), text);
    assertTrue(text.contains("  claude-proxy: kind=anthropic base_url=https://llm-proxy.example.com/anthropic"
        + " api_key=**** timeout=10m connect_timeout=5s first_byte_timeout=1m idle_timeout=1m"), text);
    assertTrue(text.contains("  local: kind=openai base_url=http://127.0.0.1:8000/v1 api_key=(client's own)"
        + " timeout=90s connect_timeout=5s first_byte_timeout=1m idle_timeout=1m headers={X-Api-Key=****}"
        + " drop_params=[logprobs]"), text);
    assertTrue(text.contains("  [0] tw-****: tenant=team-a provider_keys={openai=****}"), text);
    assertTrue(text.contains("  local/qwen2.5-coder: input=0.075 cached_input=0.0375 output=0.30"), text);
    assertTrue(text.contains("server: host=0.0.0.0 port=9000 max_body=1000000B shutdown_grace=30s"), text);
  }

  @Test
  void redacted_urls_keep_everything_but_the_password() {
    assertEquals("postgres://u:****@h:5432/db", Redact.url("postgres://u:p@ss@h:5432/db"));
    assertEquals("jdbc:postgresql://h/db?user=u&password=****&ssl=true",
        Redact.url("jdbc:postgresql://h/db?user=u&password=pw&ssl=true"));
    assertEquals("rediss://****@h:6380", Redact.url("rediss://token@h:6380"));
    assertEquals("sqlite:./data/tw.db", Redact.url("sqlite:./data/tw.db"));
  }

  @Test
  void store_urls_accept_sqlite_and_postgresql_forms() {
    for (String url : List.of("sqlite:./tw.db", "postgresql://db/tw", "postgres://u:p@db:5432/tw",
        "jdbc:postgresql://db:5432/tw?sslmode=require")) {
      assertEquals(url, parse("store: { url: \"" + url + "\" }\n", Map.of()).store().url());
    }
  }

  @Test
  void resolve_prefers_the_config_argument_then_tokenwise_yaml_then_defaults(@TempDir Path dir) throws Exception {
    Map<String, String> env = Map.of();
    assertEquals(ConfigLoader.defaults(env), ConfigLoader.resolve(null, dir, env));
    assertTrue(ConfigLoader.locate(null, dir).isEmpty());

    Files.writeString(dir.resolve("tokenwise.yaml"), "server: { port: 1111 }\n");
    assertEquals(1111, ConfigLoader.resolve(null, dir, env).server().port());

    Files.writeString(dir.resolve("other.yaml"), "server: { port: 2222 }\n");
    assertEquals(2222, ConfigLoader.resolve("other.yaml", dir, env).server().port());
    assertEquals(dir.resolve("other.yaml"), ConfigLoader.locate("other.yaml", dir).orElseThrow());

    ConfigException missing = assertThrows(ConfigException.class, () -> ConfigLoader.resolve("gone.yaml", dir, env));
    assertTrue(missing.getMessage().contains("no such config file"), missing.getMessage());
  }

  @Test
  void config_exception_is_a_runtime_exception_listing_its_problems() {
    ConfigException e = problems("retry: { max_attempts: 11 }\n", Map.of());

    assertInstanceOf(RuntimeException.class, e);
    assertEquals("test.yaml has 1 problem:\n  line 1: retry.max_attempts must be between 1 and 5, got 11",
        e.getMessage());
  }

  private static Map<String, String> gatewayEnv() {
    return Map.of("PG_PASSWORD", "pg-password-1234", "REDIS_PASSWORD", "redis-password-5678",
        "LOCAL_KEY", "local-header-secret-55", "TW_SALT", "salt-from-env-31", "TW_KEY_B", "tw-b-from-env-9911");
  }
}
