package dev.tokenwise.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads {@code guard}: the caps of every tenant and every pattern, the caps of named ones, and the
 * anomaly guard. {@code guard.tenant_usd_per_hour}, the key of the first config files, still means
 * {@code guard.tenant.usd_per_hour}.
 */
final class GuardReader {
  static final BigDecimal DEFAULT_FACTOR = BigDecimal.valueOf(5);
  static final Duration DEFAULT_WINDOW = Duration.ofMinutes(5);
  static final Duration DEFAULT_BASELINE = Duration.ofHours(24);
  static final BigDecimal DEFAULT_MIN_USD = new BigDecimal("0.50");
  /** The anomaly window is read from minute counts kept for an hour. */
  static final Duration MAX_WINDOW = Duration.ofHours(1);
  /** Hour counts are kept this long at most. */
  static final Duration MAX_BASELINE = Duration.ofDays(7);
  private static final List<String> CAP_KEYS = List.of("usd_per_hour", "usd_per_day");
  private static final String LEGACY = "tenant_usd_per_hour";

  private final Config.Guard base;

  GuardReader(Config.Guard base) {
    this.base = base;
  }

  Config.Guard read(Section s) {
    s.allowOnly(List.of("tenant", "pattern", "tenants", "patterns", "anomaly", LEGACY));
    if (s.keys().isEmpty()) {
      return base;
    }
    Config.Caps tenant = caps(s.section("tenant"));
    BigDecimal legacy = positive(s, LEGACY);
    if (legacy != null) {
      if (tenant.usdPerHour() != null) {
        s.error(LEGACY, s.child(LEGACY) + " and " + s.child("tenant.usd_per_hour") + " say the same thing;"
            + " keep only guard.tenant.usd_per_hour");
      } else {
        tenant = new Config.Caps(legacy, tenant.usdPerDay());
      }
    }
    Config.Caps pattern = caps(s.section("pattern"));
    Map<String, Config.Caps> tenants = named(s.section("tenants"));
    Map<String, Config.Caps> patterns = named(s.section("patterns"));
    return new Config.Guard(tenant, pattern, tenants, patterns, anomaly(s));
  }

  /** {@code anomaly: { … }}, or {@code anomaly: true} for the defaults, {@code false} (or absent) for off. */
  private Config.Anomaly anomaly(Section s) {
    if (!s.has("anomaly")) {
      return null;
    }
    boolean scalar = s.entries().stream()
        .anyMatch(e -> e.key().equals("anomaly") && e.value() instanceof org.snakeyaml.engine.v2.nodes.ScalarNode);
    if (scalar) {
      Boolean on = s.bool("anomaly");
      return Boolean.TRUE.equals(on) ? anomalySettings(Section.of(s.child("anomaly"), null, s.problems(), s.env()))
          : null;
    }
    return anomalySettings(s.section("anomaly"));
  }

  private Map<String, Config.Caps> named(Section s) {
    Map<String, Config.Caps> out = new LinkedHashMap<>();
    for (Section.Entry e : s.entries()) {
      if (e.key().isBlank()) {
        s.problems().error(e.line(), "a name in " + s.path() + " must not be empty");
        continue;
      }
      Section one = Section.of(s.child(e.key()), e.value(), s.problems(), s.env());
      Config.Caps caps = caps(one);
      if (!caps.any() && one.keys().stream().allMatch(CAP_KEYS::contains)) {
        s.problems().error(e.line(), s.child(e.key()) + " sets no cap; give usd_per_hour or usd_per_day, or"
            + " leave the name out");
        continue;
      }
      out.put(e.key(), caps);
    }
    return Collections.unmodifiableMap(out);
  }

  private Config.Caps caps(Section s) {
    s.allowOnly(CAP_KEYS);
    BigDecimal hour = positive(s, "usd_per_hour");
    BigDecimal day = positive(s, "usd_per_day");
    if (hour != null && day != null && hour.compareTo(day) > 0) {
      s.warn("usd_per_hour", s.child("usd_per_hour") + " " + hour.toPlainString() + " is above "
          + s.child("usd_per_day") + " " + day.toPlainString() + ", so the day cap always trips first");
    }
    return new Config.Caps(hour, day);
  }

  private Config.Anomaly anomalySettings(Section s) {
    s.allowOnly(List.of("factor", "window", "baseline", "min_usd"));
    BigDecimal factor = s.decimal("factor");
    if (factor != null && factor.compareTo(BigDecimal.ONE) <= 0) {
      s.error("factor", s.child("factor") + " must be above 1 (how many times the usual rate trips the guard),"
          + " got " + factor.toPlainString());
      factor = null;
    }
    Duration window = s.duration("window");
    if (window != null && (window.isZero() || window.toMillis() % 60_000 != 0 || window.compareTo(MAX_WINDOW) > 0)) {
      s.error("window", s.child("window") + " must be whole minutes from 1m to 1h, got " + Units.format(window));
      window = null;
    }
    Duration baseline = s.duration("baseline");
    if (baseline != null && (baseline.toMillis() % 3_600_000 != 0 || baseline.compareTo(Duration.ofHours(2)) < 0
        || baseline.compareTo(MAX_BASELINE) > 0)) {
      s.error("baseline", s.child("baseline") + " must be whole hours from 2h to 7d, got " + Units.format(baseline));
      baseline = null;
    }
    BigDecimal min = s.decimal("min_usd");
    return new Config.Anomaly(or(factor, DEFAULT_FACTOR), or(window, DEFAULT_WINDOW), or(baseline, DEFAULT_BASELINE),
        or(min, DEFAULT_MIN_USD));
  }

  /** A cap: a decimal above zero, or null when absent or wrong (reported). */
  private static BigDecimal positive(Section s, String key) {
    BigDecimal cap = s.decimal(key);
    if (cap != null && cap.signum() == 0) {
      s.error(key, s.child(key) + " must be above 0 (leave it out for no cap)");
      return null;
    }
    return cap;
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
