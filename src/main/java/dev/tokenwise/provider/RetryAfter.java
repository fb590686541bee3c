package dev.tokenwise.provider;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * Reads how long a provider asked to be left alone: OpenAI's {@code retry-after-ms} first, then the
 * standard {@code retry-after}, as delta seconds (a fraction allowed, as OpenAI's SDK reads it) or as an
 * HTTP date (IMF-fixdate, {@code Wed, 21 Oct 2026 07:28:00 GMT}).
 */
public final class RetryAfter {
  /** No provider's advice is followed beyond a day: a larger value is a mistake or a "not today". */
  static final Duration MAX = Duration.ofDays(1);
  private static final Pattern NUMBER = Pattern.compile("\\d{1,15}(\\.\\d{1,9})?");

  private RetryAfter() {}

  /**
   * The wait the provider asked for, or null when it asked for none or wrote something unreadable; a date
   * in the past is a wait of zero.
   *
   * @param retryAfterMs the {@code retry-after-ms} header, or null
   * @param retryAfter the {@code retry-after} header, or null
   * @param now the current time, for a date
   */
  public static Duration parse(String retryAfterMs, String retryAfter, Instant now) {
    Duration ms = number(retryAfterMs, 1);
    if (ms != null) {
      return ms;
    }
    if (retryAfter == null || retryAfter.isBlank()) {
      return null;
    }
    Duration seconds = number(retryAfter, 1000);
    if (seconds != null) {
      return seconds;
    }
    try {
      Instant at = ZonedDateTime.parse(retryAfter.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return d.isNegative() ? Duration.ZERO : min(d);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** A non-negative decimal number of units ({@code millisPerUnit} each), or null. */
  private static Duration number(String text, long millisPerUnit) {
    if (text == null || !NUMBER.matcher(text.strip()).matches()) {
      return null;
    }
    BigDecimal millis = new BigDecimal(text.strip()).multiply(BigDecimal.valueOf(millisPerUnit));
    if (millis.compareTo(BigDecimal.valueOf(MAX.toMillis())) > 0) {
      return MAX;
    }
    return Duration.ofNanos(millis.movePointRight(6).longValue());
  }

  private static Duration min(Duration d) {
    return d.compareTo(MAX) > 0 ? MAX : d;
  }
}
