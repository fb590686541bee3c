package dev.tokenwise.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one duration format ({@code "30s"}) and the size format ({@code "32MiB"}) of the config file. */
public final class Units {
  private static final Pattern DURATION = Pattern.compile("(\\d{1,12})(ms|s|m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d{1,15})\\s*([kmg]i?b|b)?", Pattern.CASE_INSENSITIVE);
  private static final Pattern SHARE = Pattern.compile("(\\d{1,3}(?:\\.\\d{1,6})?|\\.\\d{1,6})\\s*%|(\\d(?:\\.\\d{1,8})?|\\.\\d{1,8})");

  private Units() {}

  /** A duration such as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h} or {@code 30d}, or null. */
  public static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.strip());
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "ms" -> Duration.ofMillis(n);
      case "s" -> Duration.ofSeconds(n);
      case "m" -> Duration.ofMinutes(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofDays(n);
    };
  }

  /**
   * A share as a fraction: a percentage ({@code 5%}, {@code 0.5%}) or a plain fraction ({@code 0.05}), exact;
   * null when the text is neither. The range is the caller's to check.
   */
  public static java.math.BigDecimal share(String text) {
    Matcher m = SHARE.matcher(text.strip());
    if (!m.matches()) {
      return null;
    }
    if (m.group(1) != null) {
      return new java.math.BigDecimal(m.group(1)).movePointLeft(2).stripTrailingZeros();
    }
    return new java.math.BigDecimal(m.group(2)).stripTrailingZeros();
  }

  /** Bytes from {@code 1048576}, {@code 512KB}, {@code 1MB} (powers of 1000) or {@code 32MiB} (of 1024), or null. */
  static Long size(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      return null;
    }
    long n = Long.parseLong(m.group(1));
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    long factor = switch (unit) {
      case "kb" -> 1000L;
      case "mb" -> 1000L * 1000;
      case "gb" -> 1000L * 1000 * 1000;
      case "kib" -> 1024L;
      case "mib" -> 1024L * 1024;
      case "gib" -> 1024L * 1024 * 1024;
      default -> 1L;
    };
    try {
      return Math.multiplyExact(n, factor);
    } catch (ArithmeticException e) {
      return null;
    }
  }

  /** The shortest exact way to write a duration in the config format. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    long[] factors = {86_400_000L, 3_600_000L, 60_000L, 1000L};
    String[] units = {"d", "h", "m", "s"};
    for (int i = 0; i < factors.length; i++) {
      if (ms != 0 && ms % factors[i] == 0) {
        return ms / factors[i] + units[i];
      }
    }
    return ms + "ms";
  }

  /** The shortest exact way to write a size in the config format. */
  static String formatSize(long bytes) {
    long[] factors = {1024L * 1024 * 1024, 1024L * 1024, 1024L};
    String[] units = {"GiB", "MiB", "KiB"};
    for (int i = 0; i < factors.length; i++) {
      if (bytes != 0 && bytes % factors[i] == 0) {
        return bytes / factors[i] + units[i];
      }
    }
    return bytes + "B";
  }
}
