package dev.tokenwise.audit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;

/**
 * The time an audit reads, {@code [from, to)}, and how its figures project to a month of 30 days.
 *
 * @param from the first instant read
 * @param to the first instant not read
 */
public record Period(Instant from, Instant to) {
  /** A month as the audit projects to it. */
  public static final Duration MONTH = Duration.ofDays(30);

  public Period {
    if (!to.isAfter(from)) {
      throw new IllegalArgumentException("a period must end after it starts: " + from + " .. " + to);
    }
  }

  /** The period of the same length just before this one. */
  public Period previous() {
    return new Period(from.minus(length()), from);
  }

  public Duration length() {
    return Duration.between(from, to);
  }

  /**
   * What an amount seen over this period comes to over a month, in picodollars, rounded half up: the
   * amount times 30 days over the period's length.
   */
  public long monthly(long picoUsd) {
    return BigDecimal.valueOf(picoUsd).multiply(BigDecimal.valueOf(MONTH.toMillis()))
        .divide(BigDecimal.valueOf(length().toMillis()), 0, RoundingMode.HALF_UP).longValueExact();
  }

  /** Whether an epoch-millisecond time falls in it. */
  public boolean contains(long timeMs) {
    return timeMs >= from.toEpochMilli() && timeMs < to.toEpochMilli();
  }
}
