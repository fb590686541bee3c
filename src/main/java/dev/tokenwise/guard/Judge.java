package dev.tokenwise.guard;

import dev.tokenwise.config.Config;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the configured caps and the anomaly rule to the spend of a tenant and a pattern, and words
 * what it finds: which guard is over, by how much, and for how long its calls are refused.
 */
final class Judge {

  /** The three kinds of guard, with the names alerts and metrics use. */
  enum Kind {
    TENANT_CAP("tenant_cap"),
    PATTERN_CAP("pattern_cap"),
    ANOMALY("anomaly");

    final String id;

    Kind(String id) {
      this.id = id;
    }
  }

  /**
   * One guard as judged: over (with its figures and wording) or not.
   *
   * @param kind which guard
   * @param scope the tenant or pattern name
   * @param period {@code 1h}, {@code 24h} or the anomaly window
   * @param over whether it refuses calls
   * @param figure what the window spent (picodollars)
   * @param limit the cap, or what the anomaly baseline allows the window
   * @param freesIn seconds until it would stop refusing, with no more spend
   * @param message the caller's error message, when over
   */
  record Judged(Kind kind, String scope, String period, boolean over, long figure, long limit, long freesIn,
      String message) {

    /** The trip's name: the same guard of the same scope, on every instance. */
    String key() {
      return key(kind, period, scope);
    }

    static String key(Kind kind, String period, String scope) {
      return kind.id + "|" + period + "|" + scope;
    }
  }

  private final Config.Guard config;
  private final AnomalyRule anomaly;

  Judge(Config.Guard config) {
    this.config = config;
    this.anomaly = config.anomaly() == null ? null : new AnomalyRule(config.anomaly());
  }

  /** Whether a tenant's spend is counted at all. */
  boolean countsTenant(String tenant) {
    return tenant != null && config.tenantCaps(tenant).any();
  }

  /** Whether a pattern's spend is counted at all. */
  boolean countsPattern(String pattern) {
    return pattern != null && (anomaly != null || config.patternCaps(pattern).any());
  }

  /** The hour sums a reading must hold: a day, or the anomaly baseline when longer. */
  int hoursKept() {
    return anomaly == null ? 24 : Math.max(24, anomaly.baselineHours());
  }

  /** The anomaly window's period name, e.g. {@code 5m}, or null when the anomaly guard is off. */
  String anomalyPeriod() {
    return anomaly == null ? null : anomaly.windowMinutes() + "m";
  }

  /** Every guard of a tenant, judged on its reading. */
  List<Judged> tenant(String tenant, Spend s) {
    List<Judged> out = new ArrayList<>(2);
    Config.Caps caps = config.tenantCaps(tenant);
    cap(out, Kind.TENANT_CAP, "tenant", tenant, s, caps, config.tenants().get(tenant));
    return out;
  }

  /** Every guard of a pattern, judged on its reading. */
  List<Judged> pattern(String pattern, Spend s) {
    List<Judged> out = new ArrayList<>(3);
    Config.Caps caps = config.patternCaps(pattern);
    cap(out, Kind.PATTERN_CAP, "pattern", pattern, s, caps, config.patterns().get(pattern));
    if (anomaly != null) {
      out.add(anomaly(pattern, s));
    }
    return out;
  }

  /** The hour and day caps of a scope; {@code own} are its named figures (null when it has none). */
  private static void cap(List<Judged> out, Kind kind, String word, String name, Spend s, Config.Caps caps,
      Config.Caps own) {
    String named = "guard." + word + "s." + name;
    String every = "guard." + word;
    if (caps.usdPerHour() != null) {
      long cap = Money.pico(caps.usdPerHour());
      long spent = s.lastHour();
      boolean over = spent >= cap;
      long frees = over ? s.hourFreesIn(cap) : 0;
      String key = (own != null && own.usdPerHour() != null ? named : every) + ".usd_per_hour";
      out.add(new Judged(kind, name, "1h", over, spent, cap, frees, over ? word + " " + name + " spent "
          + Money.usd(spent) + " USD in the last hour; " + key + " is " + plain(caps.usdPerHour())
          + ", so its calls are refused for about " + Money.seconds(frees) : null));
    }
    if (caps.usdPerDay() != null) {
      long cap = Money.pico(caps.usdPerDay());
      long spent = s.lastDay();
      boolean over = spent >= cap;
      long frees = over ? s.dayFreesIn(cap) : 0;
      String key = (own != null && own.usdPerDay() != null ? named : every) + ".usd_per_day";
      out.add(new Judged(kind, name, "24h", over, spent, cap, frees, over ? word + " " + name + " spent "
          + Money.usd(spent) + " USD in the last 24 hours; " + key + " is " + plain(caps.usdPerDay())
          + ", so its calls are refused for about " + Money.seconds(frees) : null));
    }
  }

  private Judged anomaly(String pattern, Spend s) {
    AnomalyRule.Finding f = anomaly.judge(s);
    String period = anomalyPeriod();
    if (!f.tripped()) {
      return new Judged(Kind.ANOMALY, pattern, period, false, f.windowPicoUsd(), f.allowedPicoUsd(), 0, null);
    }
    long frees = anomaly.freesIn(s);
    int w = anomaly.windowMinutes();
    String message = "pattern " + pattern + " spent " + Money.usd(f.windowPicoUsd()) + " USD in the last "
        + Money.minutes(w) + " (" + Money.usd(f.windowPicoUsd() * 60 / w) + " USD an hour), more than "
        + plain(anomaly.factor()) + " times its rate over the " + Money.minutes(f.baselineMinutes()) + " before ("
        + Money.usd(rate(f.baselinePicoUsd(), f.baselineMinutes())) + " USD an hour); guard.anomaly.factor is "
        + plain(anomaly.factor()) + ", so its calls are refused for about " + Money.seconds(frees);
    return new Judged(Kind.ANOMALY, pattern, period, true, f.windowPicoUsd(), f.allowedPicoUsd(), frees, message);
  }

  /** Picodollars an hour. */
  private static long rate(long pico, long minutes) {
    return minutes == 0 ? 0 : BigDecimal.valueOf(pico).multiply(BigDecimal.valueOf(60))
        .divide(BigDecimal.valueOf(minutes), 0, java.math.RoundingMode.FLOOR).longValue();
  }

  private static String plain(BigDecimal d) {
    return d.stripTrailingZeros().toPlainString();
  }
}
