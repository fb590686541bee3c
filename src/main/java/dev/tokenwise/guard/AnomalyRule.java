package dev.tokenwise.guard;

import dev.tokenwise.config.Config;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * The anomaly guard's rule for one pattern: its spend over the last {@code window} minutes against its
 * rate over the {@code baseline} hours before. It trips when the window spent at least {@code min_usd}
 * and more than {@code factor} times what the baseline rate gives such a window.
 *
 * <p>The baseline is the hour counts of the last {@code baseline} hours less the window, spread over the
 * time from the start of the oldest clock hour with spend to the start of the window, so that a pattern
 * two hours old is measured over two hours, not diluted over a day. A pattern needs an hour of such
 * history: a new pattern, or one whose only spend is the burst itself, never trips. The rule clears by
 * itself as the window moves past the burst.
 */
final class AnomalyRule {
  private static final long MIN_BASELINE_MINUTES = 60;

  private final BigDecimal factor;
  private final int windowMinutes;
  private final int baselineHours;
  private final long minPicoUsd;

  AnomalyRule(Config.Anomaly settings) {
    this.factor = settings.factor();
    this.windowMinutes = (int) settings.window().toMinutes();
    this.baselineHours = (int) settings.baseline().toHours();
    this.minPicoUsd = Money.pico(settings.minUsd());
  }

  /**
   * What the rule finds in a reading.
   *
   * @param windowPicoUsd charged in the window
   * @param baselinePicoUsd spent over the baseline span, the window excluded
   * @param baselineMinutes the baseline span, 0 when there is no history
   * @param allowedPicoUsd the most the window may spend at {@code factor} times the baseline rate
   * @param tripped whether the window is over both that and {@code min_usd}
   */
  record Finding(long windowPicoUsd, long baselinePicoUsd, long baselineMinutes, long allowedPicoUsd,
      boolean tripped) {}

  int windowMinutes() {
    return windowMinutes;
  }

  int baselineHours() {
    return baselineHours;
  }

  BigDecimal factor() {
    return factor;
  }

  /** The rule applied to a reading now. */
  Finding judge(Spend s) {
    return judge(s, 0);
  }

  /** Seconds until the rule stops tripping, if nothing more is spent: the window moves past the burst. */
  long freesIn(Spend s) {
    for (int k = 1; k < windowMinutes; k++) {
      if (!judge(s, k).tripped()) {
        return s.secondsUntil((s.nowMinute() + k) * 60_000L);
      }
    }
    return s.secondsUntil((s.nowMinute() + windowMinutes) * 60_000L);
  }

  /** The rule as it will read {@code later} minutes from now with no more spend (the baseline held still). */
  private Finding judge(Spend s, int later) {
    long now = s.nowMinute();
    long windowStart = now - windowMinutes + 1;
    long charged = 0;
    long raw = 0;
    for (long m = windowStart; m <= now; m++) {
      raw += s.minute(m);
      if (m >= windowStart + later) {
        charged += s.chargedMinute(m);
      }
    }
    long total = 0;
    long first = Long.MIN_VALUE;
    for (long h = s.nowHour() - baselineHours + 1; h <= s.nowHour(); h++) {
      long v = s.hour(h);
      if (v > 0 && first == Long.MIN_VALUE) {
        first = h;
      }
      total += v;
    }
    long baseline = total - raw;
    long span = first == Long.MIN_VALUE ? 0 : windowStart - first * 60;
    if (baseline <= 0 || span < MIN_BASELINE_MINUTES) {
      return new Finding(charged, Math.max(0, baseline), 0, Long.MAX_VALUE, false);
    }
    long allowed = factor.multiply(BigDecimal.valueOf(baseline)).multiply(BigDecimal.valueOf(windowMinutes))
        .divide(BigDecimal.valueOf(span), 0, RoundingMode.FLOOR).min(BigDecimal.valueOf(Long.MAX_VALUE)).longValue();
    return new Finding(charged, baseline, span, allowed, charged >= minPicoUsd && charged > allowed);
  }
}
