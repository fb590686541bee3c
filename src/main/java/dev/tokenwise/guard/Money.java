package dev.tokenwise.guard;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Picodollars (the unit of every counted cost) to and from the USD of the config and the messages. */
final class Money {
  private static final BigDecimal PICO = BigDecimal.TEN.pow(12);

  private Money() {}

  /** USD as picodollars, rounded down; saturates rather than overflows. */
  static long pico(BigDecimal usd) {
    BigDecimal p = usd.multiply(PICO).setScale(0, RoundingMode.FLOOR);
    return p.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : p.longValueExact();
  }

  /**
   * Picodollars as USD for a message: four decimals, rounded down (so a figure shown is never above what
   * was spent), more for sums under a cent; no trailing zeros.
   */
  static String usd(long pico) {
    BigDecimal v = BigDecimal.valueOf(pico, 12);
    int scale = v.abs().compareTo(new BigDecimal("0.01")) >= 0 ? 4 : 8;
    BigDecimal shown = v.setScale(scale, RoundingMode.DOWN).stripTrailingZeros();
    return shown.signum() == 0 ? "0" : shown.toPlainString();
  }

  /** A span of minutes in words: {@code 5 minutes}, {@code 3 hours}, {@code 2 h 56 min}. */
  static String minutes(long n) {
    if (n < 60) {
      return n == 1 ? "minute" : n + " minutes";
    }
    if (n % 60 == 0) {
      return n == 60 ? "hour" : n / 60 + " hours";
    }
    return n / 60 + " h " + n % 60 + " min";
  }

  /** Seconds in words, rounded up: {@code 45 s}, {@code 12 minutes}, and past two hours {@code 23 hours}. */
  static String seconds(long s) {
    if (s < 120) {
      return s + " s";
    }
    return s < 7_200 ? Math.ceilDiv(s, 60) + " minutes" : Math.ceilDiv(s, 3_600) + " hours";
  }
}
