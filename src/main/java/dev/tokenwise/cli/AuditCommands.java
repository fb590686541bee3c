package dev.tokenwise.cli;

import dev.tokenwise.app.Audits;
import dev.tokenwise.audit.ApplyCommand;
import dev.tokenwise.audit.AuditReport;
import dev.tokenwise.audit.Dollars;
import dev.tokenwise.audit.Finding;
import dev.tokenwise.audit.HtmlReport;
import dev.tokenwise.audit.JsonReport;
import dev.tokenwise.audit.MarkdownReport;
import dev.tokenwise.audit.Period;
import dev.tokenwise.audit.Recommendation;
import dev.tokenwise.config.Config;
import dev.tokenwise.config.ConfigLoader;
import dev.tokenwise.config.Units;
import dev.tokenwise.demo.DemoResult;
import dev.tokenwise.demo.DemoRunner;
import dev.tokenwise.demo.DemoTraffic;
import dev.tokenwise.store.LogStore;
import dev.tokenwise.store.LogStores;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** The commands that read the request log: {@code audit}, {@code apply}, {@code demo}. */
final class AuditCommands {
  /** The longest period an audit reads: ten years of a log is more than any retention keeps. */
  private static final Duration LONGEST = Duration.ofDays(3650);
  static final int MAX_TOP = 100;
  /** The share of the demo's full traffic that {@code tokenwise demo} replays. */
  static final double DEMO_SCALE = 0.75;

  private AuditCommands() {}

  /** {@code tokenwise audit}: the report, to the terminal or a file. */
  static int audit(Args a, PrintStream out, PrintStream err) {
    return audit(a, System.getenv(), Clock.systemUTC(), Path.of("").toAbsolutePath(), out, err);
  }

  static int audit(Args a, Map<String, String> env, Clock clock, Path workingDir, PrintStream out, PrintStream err) {
    Path outFile = a.option("out") == null ? null : workingDir.resolve(a.option("out"));
    String format = format(a.option("format"), outFile);
    Config config = ConfigLoader.resolve(a.option("config"), workingDir, env);
    Optional<AuditReport> report = report(config, period(a, clock), top(a), err);
    if (report.isEmpty()) {
      return 1;
    }
    String text = switch (format) {
      case "html" -> HtmlReport.write(report.get());
      case "json" -> JsonReport.write(report.get());
      default -> MarkdownReport.write(report.get());
    };
    if (outFile == null) {
      out.print(text);
      if (!text.endsWith("\n")) {
        out.println();
      }
      return 0;
    }
    try {
      Path parent = outFile.getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(outFile, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      err.println("tokenwise: cannot write the report to " + outFile + ": " + e.getMessage());
      return 1;
    }
    summary(report.get(), out);
    out.println("report: " + outFile);
    return 0;
  }

  /** {@code tokenwise apply}: a recommendation of the audit, or every safe one, into the config file. */
  static int apply(Args a, PrintStream out, PrintStream err) {
    return apply(a, System.getenv(), Clock.systemUTC(), Path.of("").toAbsolutePath(), out, err);
  }

  static int apply(Args a, Map<String, String> env, Clock clock, Path workingDir, PrintStream out, PrintStream err) {
    boolean allSafe = a.flag("all-safe");
    if (a.positional.size() > 1) {
      throw new IllegalArgumentException("apply takes one recommendation id, got " + a.positional.size()
          + ": " + String.join(" ", a.positional));
    }
    String id = a.positional.isEmpty() ? null : a.positional.get(0);
    if (id == null && !allSafe) {
      throw new IllegalArgumentException("apply needs a recommendation id (as the audit lists it, e.g."
          + " cache-exact/faq-bot) or --all-safe");
    }
    Path file = ConfigLoader.locate(a.option("config"), workingDir)
        .orElseGet(() -> workingDir.resolve(a.option("config") == null ? ConfigLoader.DEFAULT_FILE : a.option("config")));
    Config config = Files.exists(file) ? ConfigLoader.load(file, env) : ConfigLoader.defaults(env);
    Optional<AuditReport> report = report(config, period(a, clock), top(a), err);
    if (report.isEmpty()) {
      return 1;
    }
    List<Recommendation> available = report.get().findings().stream().map(Finding::recommendation)
        .filter(java.util.Objects::nonNull).toList();
    return ApplyCommand.run(file, env, available, Audits.facts(report.get()), id, allSafe, out, err);
  }

  /**
   * {@code tokenwise demo}: two months ending today (UTC), so that a plain {@code tokenwise audit --config
   * DIR/tokenwise.yaml} afterwards reads the second month against the first.
   */
  static int demo(Args a, PrintStream out, PrintStream err) {
    Path folder = a.option("dir") == null ? DemoRunner.DEFAULT_FOLDER : Path.of(a.option("dir"));
    Instant today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).atStartOfDay(java.time.ZoneOffset.UTC)
        .toInstant();
    // three quarters of the full traffic: the same mix, and both months with their audits well within two minutes
    DemoRunner.Options options = DemoRunner.Options.defaults(out).folder(folder).scale(DEMO_SCALE)
        .start(today.minus(DemoTraffic.MONTH.multipliedBy(2)));
    DemoResult result;
    try {
      result = DemoRunner.run(options, new DemoAudit());
    } catch (IllegalStateException | UncheckedIOException e) {
      err.println("tokenwise: demo: " + e.getMessage());
      return 1;
    }
    Path config = result.folder().resolve("tokenwise.yaml");
    out.println();
    out.println("everything is in " + result.folder() + ": the config (with the applied policies), the request log,"
        + " the two audits (audit-month-1.md/.html/.json, audit-month-2.*) and the classifier's eval sweep"
        + " (eval-classify-ticket.md/.svg).");
    out.println("look again with:  ./tokenwise audit --config " + config + " --out audit.html");
    return 0;
  }

  /** The audit of the config's log, or empty (with the reason on {@code err}) when there is no log to read. */
  static Optional<AuditReport> report(Config config, Period period, int top, PrintStream err) {
    String url = config.store().url();
    Optional<Path> missing = LogStores.missingFile(url);
    if (missing.isPresent()) {
      err.println("tokenwise: no request log at " + missing.get() + " (store.url " + url + "): nothing has been"
          + " logged there yet. Send calls through 'tokenwise serve' with this config, pass the --config that"
          + " serve uses, or try 'tokenwise demo'.");
      return Optional.empty();
    }
    try (LogStore store = LogStores.open(url)) {
      return Optional.of(Audits.run(config, store, period, period.to(), top));
    }
  }

  static Period period(Args a, Clock clock) {
    String since = a.option("since") == null ? "30d" : a.option("since");
    Duration d;
    try {
      d = Units.duration(since);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("--since needs a duration such as 30d, 7d or 12h, got '" + since + "'");
    }
    if (d == null) {
      throw new IllegalArgumentException("--since needs a duration such as 30d, 7d or 12h, got '" + since + "'");
    }
    if (d.isZero() || d.isNegative() || d.compareTo(LONGEST) > 0) {
      throw new IllegalArgumentException("--since must be more than 0 and at most 3650d, got '" + since + "'");
    }
    Instant now = clock.instant();
    return new Period(now.minus(d), now);
  }

  static int top(Args a) {
    String v = a.option("top");
    if (v == null) {
      return dev.tokenwise.audit.Audit.TOP;
    }
    try {
      int n = Integer.parseInt(v);
      if (n >= 1 && n <= MAX_TOP) {
        return n;
      }
    } catch (NumberFormatException e) {
      // falls through to the message
    }
    throw new IllegalArgumentException("--top needs a number from 1 to " + MAX_TOP + ", got '" + v + "'");
  }

  /** The format asked for, else the one --out's extension names, else markdown. */
  static String format(String asked, Path outFile) {
    if (asked != null) {
      String f = asked.toLowerCase(Locale.ROOT);
      if (f.equals("markdown")) {
        return "md";
      }
      if (!List.of("md", "html", "json").contains(f)) {
        throw new IllegalArgumentException("--format must be md, html or json, got '" + asked + "'");
      }
      return f;
    }
    String name = outFile == null ? "" : outFile.getFileName().toString().toLowerCase(Locale.ROOT);
    if (name.endsWith(".html") || name.endsWith(".htm")) {
      return "html";
    }
    return name.endsWith(".json") ? "json" : "md";
  }

  /** A few lines for the terminal when the report went to a file. */
  static void summary(AuditReport r, PrintStream out) {
    AuditReport.Totals t = r.current();
    out.printf(Locale.ROOT, "audit of %,d calls, %s to %s: spend %s (previous period %s)%n", t.calls(),
        r.period().from(), r.period().to(), Dollars.of(t.spendPicoUsd()), Dollars.of(r.before().spendPicoUsd()));
    List<Finding> open = r.findings().stream()
        .filter(f -> f.recommendation() != null && !"applied".equals(f.status())).toList();
    long monthly = open.stream().mapToLong(Finding::monthlySavingPicoUsd).sum();
    long safe = open.stream().filter(f -> f.recommendation().safe()).count();
    out.printf(Locale.ROOT, "%d recommendations worth %s a month; %d safe to apply with 'tokenwise apply --all-safe'%n",
        open.size(), Dollars.of(monthly), safe);
    for (Finding f : open.stream().limit(5).toList()) {
      out.printf(Locale.ROOT, "  %-32s %12s/month  %s%n", f.recommendation().id(), Dollars.of(f.monthlySavingPicoUsd()),
          f.recommendation().changesAnswers() ? "changes answers" : "does not change answers");
    }
  }
}
