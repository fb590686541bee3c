package dev.tokenwise.config;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** Printable views of a configuration with every secret masked: keys, salts, header values, URL passwords. */
final class Redact {
  static final String MASK = "****";
  private static final Pattern USERINFO =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*:(?:[A-Za-z][A-Za-z0-9+.-]*:)?//)([^/?#]*)@");
  private static final Pattern SECRET_PARAM = Pattern.compile(
      "([?&;](?:password|pass|pwd|sslpassword|secret|token|key|api_key|apikey)=)[^&;#]*", Pattern.CASE_INSENSITIVE);

  private Redact() {}

  /** The URL with the password of its user info and any password-like query parameter masked. */
  static String url(String url) {
    if (url == null) {
      return null;
    }
    var m = USERINFO.matcher(url);
    String out = url;
    if (m.find()) {
      String info = m.group(2);
      int colon = info.indexOf(':');
      String masked = colon >= 0 ? info.substring(0, colon) + ":" + MASK : MASK;
      out = m.group(1) + masked + "@" + url.substring(m.end());
    } else if (url.indexOf('@') >= 0) {
      // Not a URL we can take apart (a typo such as "postgresql//u:p@h"): hide all before the last '@'.
      out = MASK + url.substring(url.lastIndexOf('@'));
    }
    return SECRET_PARAM.matcher(out).replaceAll("$1" + MASK);
  }

  /** The effective configuration, one setting per line, with every secret masked. */
  static String describe(Config c) {
    List<String> lines = new ArrayList<>();
    Config.Server s = c.server();
    lines.add("server: host=" + s.host() + " port=" + s.port() + " max_body=" + Units.formatSize(s.maxBodyBytes())
        + " shutdown_grace=" + Units.format(s.shutdownGrace()));
    lines.add("store: url=" + url(c.store().url()));
    lines.add("redis: " + (c.redis() == null ? "none (in-process cache and counters)" : "url=" + url(c.redis().url())));
    Config.Cache cache = c.cache();
    lines.add("cache: max_entries=" + cache.maxEntries() + " max_memory="
        + (cache.maxMemoryBytes() == null ? "auto (a quarter of the heap)" : Units.formatSize(cache.maxMemoryBytes()))
        + " embeddings=" + cache.embeddings());
    lines.add("providers:");
    for (ProviderConfig p : c.providers().values()) {
      lines.add("  " + p.name() + ": kind=" + p.kind().name().toLowerCase(java.util.Locale.ROOT)
          + " base_url=" + url(p.baseUrl())
          + " api_key=" + (p.apiKey() == null ? "(client's own)" : MASK)
          + " timeout=" + Units.format(p.timeout()) + " connect_timeout=" + Units.format(p.connectTimeout())
          + " first_byte_timeout=" + Units.format(p.firstByteTimeout())
          + " idle_timeout=" + Units.format(p.idleTimeout())
          + (p.headers().isEmpty() ? "" : " headers=" + maskValues(p.headers()))
          + (p.dropParams().isEmpty() ? "" : " drop_params=" + p.dropParams()));
    }
    lines.add("models:" + (c.models().isEmpty() ? " (built-in catalog only)" : ""));
    c.models().forEach((model, provider) -> lines.add("  " + model + ": " + provider));
    lines.add("prices:" + (c.prices().isEmpty() ? " (built-in catalog only)" : ""));
    for (Config.PriceOverride p : c.prices()) {
      lines.add("  " + p.provider() + "/" + p.model() + ":" + price(" input", p.input())
          + price(" cached_input", p.cachedInput()) + price(" cache_write_5m", p.cacheWrite5m())
          + price(" cache_write_1h", p.cacheWrite1h()) + price(" output", p.output())
          + price(" batch_input", p.batchInput()) + price(" batch_output", p.batchOutput()));
    }
    Config.Auth a = c.auth();
    lines.add("auth: salt=" + (a.salt() == null ? "(none)" : MASK) + " require_gateway_key=" + a.requireGatewayKey()
        + " keys=" + a.keys().size() + " admin_token=" + (a.adminToken() == null ? "(none: loopback only)" : MASK));
    int i = 0;
    for (Config.GatewayKey k : a.keys().values()) {
      lines.add("  [" + i++ + "] tw-" + MASK + ": tenant=" + k.tenant()
          + (k.providerKeys().isEmpty() ? "" : " provider_keys=" + maskValues(k.providerKeys())));
    }
    Config.Retry r = c.retry();
    Config.Retry.Breaker b = r.breaker();
    lines.add("retry: max_attempts=" + r.maxAttempts() + " deadline=" + Units.format(r.deadline()) + " backoff="
        + Units.format(r.backoff()) + " max_backoff=" + Units.format(r.maxBackoff()) + " breaker: failures="
        + b.failures() + " failure_rate=" + b.failureRate() + " window=" + b.window() + " cooldown="
        + Units.format(b.cooldown()));
    guard(c.guard(), lines);
    Config.Log l = c.log();
    lines.add("log: store_bodies=" + l.storeBodies() + " retention=" + Units.format(l.retention())
        + " queue_capacity=" + l.queueCapacity() + " batch_size=" + l.batchSize()
        + " flush_interval=" + Units.format(l.flushInterval()));
    lines.add("policies: " + c.policies().size());
    for (Map<String, Object> p : c.policies()) {
      lines.add("  - " + p);
    }
    return String.join("\n", lines);
  }

  private static void guard(Config.Guard g, List<String> lines) {
    if (!g.active()) {
      lines.add("guard: none (no spend cap, no anomaly guard)");
      return;
    }
    Config.Anomaly a = g.anomaly();
    lines.add("guard: tenant " + caps(g.tenant()) + "; pattern " + caps(g.pattern()) + "; anomaly "
        + (a == null ? "off" : "factor=" + a.factor().toPlainString() + " window=" + Units.format(a.window())
            + " baseline=" + Units.format(a.baseline()) + " min_usd=" + a.minUsd().toPlainString()));
    g.tenants().forEach((name, caps) -> lines.add("  tenants." + name + ":" + given(caps)));
    g.patterns().forEach((name, caps) -> lines.add("  patterns." + name + ":" + given(caps)));
  }

  private static String caps(Config.Caps caps) {
    return "usd_per_hour=" + (caps.usdPerHour() == null ? "none" : caps.usdPerHour().toPlainString())
        + " usd_per_day=" + (caps.usdPerDay() == null ? "none" : caps.usdPerDay().toPlainString());
  }

  /** A named scope's own figures; the others are the ones every tenant or pattern has. */
  private static String given(Config.Caps caps) {
    return price(" usd_per_hour", caps.usdPerHour()) + price(" usd_per_day", caps.usdPerDay());
  }

  private static String maskValues(Map<String, String> map) {
    return "{" + String.join(", ", new TreeSet<>(map.keySet()).stream().map(k -> k + "=" + MASK).toList()) + "}";
  }

  private static String price(String label, BigDecimal value) {
    return value == null ? "" : label + "=" + value.toPlainString();
  }
}
