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
import dev.tokenwise.demo.DemoContext;
import dev.tokenwise.demo.DemoSteps;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The demo's audit steps: after the first month, the audit of it (written as markdown, HTML and JSON
 * beside the demo's log) and every safe recommendation applied to the gateway's config; after the
 * second, the audit of the second month, which shows what was applied and what is left to decide.
 */
final class DemoAudit implements DemoSteps {
  /** The demo's six patterns all get findings. */
  static final int TOP = 6;

  /** What the first audit found, kept for the closing words. */
  private AuditReport first;
  private AuditReport second;

  @Override
  public void afterFirstMonth(DemoContext ctx) {
    PrintStream out = ctx.out();
    first = audit(ctx, ctx.firstMonth(), "audit-month-1");
    out.println();
    out.printf(Locale.ROOT, "audit of month 1: %,d calls, %s; %d recommendations (full report: %s)%n",
        first.current().calls(), Dollars.of(first.current().spendPicoUsd()), recommendations(first).size(),
        ctx.folder().resolve("audit-month-1.md"));
    for (AuditReport.PatternSection s : first.top()) {
      for (Finding f : s.findings()) {
        Recommendation r = f.recommendation();
        out.printf(Locale.ROOT, "  %-30s %11s/month  %-15s %s%n", r == null ? f.rule() + "/" + f.pattern() : r.id(),
            Dollars.of(f.monthlySavingPicoUsd()), label(f), f.title());
      }
    }
    out.println();
    out.println("applying the recommendations that cannot change an answer (tokenwise apply --all-safe):");
    ApplyCommand.run(ctx.configFile(), Map.of(), recommendations(first), Audits.facts(first), null, true, out, out);
  }

  @Override
  public void afterSecondMonth(DemoContext ctx) {
    second = audit(ctx, ctx.secondMonth(), "audit-month-2");
    PrintStream out = ctx.out();
    out.println();
    out.printf(Locale.ROOT, "audit of month 2: %,d calls, %s, against %s in month 1 (full report: %s)%n",
        second.current().calls(), Dollars.of(second.current().spendPicoUsd()),
        Dollars.of(second.before().spendPicoUsd()), ctx.folder().resolve("audit-month-2.html"));
    List<AuditReport.TacticSaving> saved = second.saved();
    for (AuditReport.TacticSaving t : saved) {
      out.printf(Locale.ROOT, "  saved by %-12s %,7d calls  %s%s%n", t.tactic(), t.calls(),
          t.estimated() ? "~" : "", Dollars.of(t.savedPicoUsd()));
    }
    List<Finding> open = second.findings().stream()
        .filter(f -> f.recommendation() != null && !"applied".equals(f.status())).toList();
    long left = open.stream().mapToLong(Finding::monthlySavingPicoUsd).sum();
    out.printf(Locale.ROOT, "left for you to decide: %d recommendations worth %s a month, which change answers"
        + " (prove a model with an eval first) or need a change in the app:%n", open.size(), Dollars.of(left));
    for (Finding f : open.stream().limit(8).toList()) {
      out.printf(Locale.ROOT, "  %-30s %11s/month  %s%n", f.recommendation().id(), Dollars.of(f.monthlySavingPicoUsd()),
          label(f));
    }
  }

  private static AuditReport audit(DemoContext ctx, DemoContext.Month month, String name) {
    Config config = ConfigLoader.load(ctx.configFile(), Map.of());
    Period period = new Period(month.start(), month.end());
    AuditReport report = Audits.run(config, ctx.store(), period, month.end(), TOP);
    write(ctx.folder().resolve(name + ".md"), MarkdownReport.write(report));
    write(ctx.folder().resolve(name + ".html"), HtmlReport.write(report));
    write(ctx.folder().resolve(name + ".json"), JsonReport.write(report));
    return report;
  }

  private static List<Recommendation> recommendations(AuditReport report) {
    return report.findings().stream().map(Finding::recommendation).filter(Objects::nonNull).toList();
  }

  private static String label(Finding f) {
    Recommendation r = f.recommendation();
    if ("applied".equals(f.status())) {
      return "applied";
    }
    if (r == null) {
      return "note";
    }
    if (r.blockedBy() != null) {
      return "needs the app";
    }
    if ("needs eval".equals(f.status())) {
      return "needs eval";
    }
    return r.changesAnswers() ? "changes answers" : "safe";
  }

  private static void write(Path file, String text) {
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  AuditReport first() {
    return first;
  }

  AuditReport second() {
    return second;
  }
}
