package dev.tokenwise.audit;

import dev.tokenwise.audit.AuditReport.DaySpend;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** The figures and wordings the three report writers share, so that they agree. */
final class Figures {
  static final String APPLY_ALL_SAFE = "tokenwise apply --all-safe";
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT);

  private Figures() {}

  /** What a day's series adds up to. */
  static long total(DaySpend d) {
    return d.picoUsdByPattern().values().stream().mapToLong(Long::longValue).sum();
  }

  /** Findings not yet in the config, whatever their saving. */
  static List<Finding> open(AuditReport r) {
    return r.findings().stream().filter(f -> !applied(f)).toList();
  }

  /** The findings {@code apply --all-safe} writes: safe, open and not waiting for an eval. */
  static List<Finding> safeToApply(AuditReport r) {
    return withRecommendation(r).stream()
        .filter(f -> f.recommendation().safe() && !applied(f) && !"needs eval".equals(f.status())).toList();
  }

  /** The findings with a recommendation, largest saving first, then by id. */
  static List<Finding> withRecommendation(AuditReport r) {
    return r.findings().stream().filter(f -> f.recommendation() != null)
        .sorted(Comparator.comparingLong(Finding::monthlySavingPicoUsd).reversed()
            .thenComparing(f -> f.recommendation().id()))
        .toList();
  }

  static boolean applied(Finding f) {
    return "applied".equals(f.status());
  }

  static long sum(List<Finding> findings) {
    return findings.stream().mapToLong(Finding::monthlySavingPicoUsd).sum();
  }

  /** What a reader is told of a finding's state: applied, needs eval, blocked, note or open. */
  static String status(Finding f) {
    if (applied(f)) {
      return "applied";
    }
    if (f.status() != null) {
      return f.status();
    }
    if (f.recommendation() == null) {
      return "note";
    }
    return f.recommendation().blockedBy() != null ? "blocked" : "open";
  }

  static String risk(Recommendation r) {
    return r.changesAnswers() ? "changes answers" : "does not change answers";
  }

  /** A change as a signed percentage; "new" from nothing, "—" from nothing to nothing. */
  static String change(long from, long to) {
    if (from == 0) {
      return to == 0 ? "—" : "new";
    }
    double c = (double) (to - from) / from;
    return (c > 0 ? "+" : "") + Dollars.percent(c);
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  /** A period in UTC: whole days as dates, both inclusive; else the instants to the minute. */
  static String period(Period p) {
    ZonedDateTime from = p.from().atZone(ZoneOffset.UTC);
    ZonedDateTime to = p.to().atZone(ZoneOffset.UTC);
    String len = length(p.length());
    if (from.toLocalTime().equals(LocalTime.MIDNIGHT) && to.toLocalTime().equals(LocalTime.MIDNIGHT)) {
      String last = to.toLocalDate().minusDays(1).toString();
      String span = from.toLocalDate().toString().equals(last) ? last : from.toLocalDate() + " – " + last;
      return span + " (" + len + ", UTC)";
    }
    return MINUTE.format(from) + " – " + MINUTE.format(to) + " UTC (" + len + ", end excluded)";
  }

  static String time(Instant t) {
    return MINUTE.format(t.atZone(ZoneOffset.UTC)) + " UTC";
  }

  /** A length in days, hours and minutes: "30 days", "1 day 12 hours". */
  static String length(Duration d) {
    List<String> parts = new ArrayList<>();
    unit(parts, d.toDays(), "day");
    unit(parts, d.toHoursPart(), "hour");
    unit(parts, d.toMinutesPart(), "minute");
    if (parts.isEmpty()) {
      unit(parts, d.toSecondsPart(), "second");
    }
    return parts.isEmpty() ? "under a second" : String.join(" ", parts);
  }

  private static void unit(List<String> parts, long n, String unit) {
    if (n > 0) {
      parts.add(n + " " + unit + (n == 1 ? "" : "s"));
    }
  }
}
