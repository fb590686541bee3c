package dev.tokenwise.audit;

import dev.tokenwise.analytics.Cost;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Locale;

/**
 * Picodollars as a reader sees them in the audit: {@code $1,234.57}; under a dollar, four decimals
 * ({@code $0.0045}) so that a per-call figure does not round to nothing. The JSON report carries the
 * exact figures beside these.
 */
public final class Dollars {
  private Dollars() {}

  public static String of(long picoUsd) {
    BigDecimal usd = Cost.toUsd(picoUsd);
    boolean small = usd.abs().compareTo(BigDecimal.ONE) < 0 && usd.signum() != 0;
    DecimalFormat f = new DecimalFormat(small ? "0.0000" : "#,##0.00", DecimalFormatSymbols.getInstance(Locale.ROOT));
    f.setRoundingMode(RoundingMode.HALF_UP);
    String text = f.format(usd.abs());
    return (usd.signum() < 0 ? "-$" : "$") + text;
  }

  /** A share as a percentage with one decimal, {@code 36.2 %}. */
  public static String percent(double share) {
    return BigDecimal.valueOf(share * 100).setScale(1, RoundingMode.HALF_UP).toPlainString() + " %";
  }
}
