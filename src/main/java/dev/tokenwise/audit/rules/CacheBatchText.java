package dev.tokenwise.audit.rules;

import dev.tokenwise.audit.Dollars;
import dev.tokenwise.audit.PatternCalls;
import dev.tokenwise.audit.Period;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/** How the cache and batch rules write counts, prices and the step from the period to a month. */
final class CacheBatchText {
  private static final BigDecimal DAY_MS = BigDecimal.valueOf(86_400_000L);

  private CacheBatchText() {}

  /** A count with thousands separators: {@code 10,000}. */
  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A length of time in days, up to two decimals: {@code 1 d}, {@code 0.5 d}. */
  static String days(java.time.Duration d) {
    BigDecimal days = BigDecimal.valueOf(d.toMillis()).divide(DAY_MS, 2, RoundingMode.HALF_UP).stripTrailingZeros();
    return days.toPlainString() + " d";
  }

  /** "$3.50 in the period (1 d) × 30 d / 1 d = $105.00 a month". */
  static String monthly(PatternCalls calls, long periodPicoUsd) {
    String length = days(calls.period().length());
    return Dollars.of(periodPicoUsd) + " in the period (" + length + ") × " + days(Period.MONTH) + " / " + length
        + " = " + Dollars.of(calls.monthly(periodPicoUsd)) + " a month";
  }

  /** A catalog price, USD per 1M tokens, with at least two decimals: {@code $3.00}, {@code $0.075}. */
  static String perMillion(BigDecimal usd) {
    if (usd == null) {
      return "none";
    }
    BigDecimal p = usd.stripTrailingZeros();
    return "$" + p.setScale(Math.max(2, p.scale()), RoundingMode.UNNECESSARY).toPlainString();
  }

  /** A share of a whole, 0 when the whole is 0. */
  static double share(long part, long whole) {
    return whole == 0 ? 0 : (double) part / whole;
  }
}
