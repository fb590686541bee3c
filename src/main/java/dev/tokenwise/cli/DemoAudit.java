package dev.tokenwise.cli;

import dev.tokenwise.app.Audits;
import dev.tokenwise.app.Evals;
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
import dev.tokenwise.demo.DemoTraffic;
import dev.tokenwise.eval.EvalChart;
import dev.tokenwise.eval.EvalReport;
import dev.tokenwise.eval.EvalSummary;
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
 * beside the demo's log), every safe recommendation applied to the gateway's config, and an eval sweep
 * that proves (or not) a cheaper model for the classifier, applied when it passes; after the
 * second, the audit of the second month, which shows what was applied and what is left to decide.
 */
final class DemoAudit implements DemoSteps {
  /** The demo's six patterns all get findings. */
  static final int TOP = 6;

  /** What the first audit found, kept for the closing words. */
  private AuditReport first;
  /** The first month audited again once the classifier's sweep proved a cheaper model, or null. */
  private AuditReport proven;
  private EvalSummary sweep;
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
    proveTheClassifier(ctx);
  }

  /**
   * The classifier's model swap changes answers, so it is proven first: a sweep of its month's calls on
   * cheaper models; when one passes, the month is audited again (the swap now proven, the sweep's plot in
   * the HTML report) and the swap applied by its id.
   */
  private void proveTheClassifier(DemoContext ctx) {
    PrintStream out = ctx.out();
    String pattern = DemoTraffic.CLASSIFY;
    out.println();
    out.println("proving a cheaper model for " + pattern + " before switching (tokenwise eval --pattern " + pattern
        + "):");
    Config config = ConfigLoader.load(ctx.configFile(), Map.of());
    Evals.Outcome o;
    try {
      o = Evals.run(config, new Evals.Options(pattern, List.of(), 50, 1000, null, 0.95, null, null, null, null, true),
          ctx.clock(), Map.of(), new Evals.Out() {
            @Override
            public void line(String text) {
              out.println("  " + text.replace("\n", "\n  "));
            }

            @Override
            public void progress(int done, int total, long spentPicoUsd) {}
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("the demo's eval sweep was interrupted", e);
    }
    sweep = o.summary();
    String name = "eval-" + pattern;
    write(ctx.folder().resolve(name + ".md"), EvalReport.markdown(o.summary(), o.spec(), name + ".svg"));
    write(ctx.folder().resolve(name + ".svg"), EvalChart.svg(o.summary()));
    int width = o.summary().models().stream().mapToInt(m -> m.model().length()).max().orElse(10);
    for (EvalSummary.ModelFigures m : o.summary().models()) {
      out.printf(Locale.ROOT, "  %-" + width + "s  pass rate %5.1f %%  %s per 1,000 calls%s%n", m.model(),
          m.passRate() * 100, EvalReport.usd(m.costPer1kPicoUsd()), m.current() ? "  (in use)" : "");
    }
    EvalSummary.Verdict v = o.summary().verdict();
    out.println("  verdict: " + v.reason() + (v.keepCurrent() || v.model() == null ? ""
        : "; saves " + EvalReport.usd(v.monthlySavingPicoUsd()) + " a month") + " (report: "
        + ctx.folder().resolve(name + ".md") + ")");
    if (v.model() == null || v.keepCurrent()) {
      return;
    }
    proven = audit(ctx, ctx.firstMonth(), "audit-month-1");
    String id = Recommendation.id("model", pattern);
    out.println("applying the proven swap (tokenwise apply " + id + "):");
    ApplyCommand.run(ctx.configFile(), Map.of(), recommendations(proven), Audits.facts(proven), id, false, out, out);
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

  AuditReport proven() {
    return proven;
  }

  EvalSummary sweep() {
    return sweep;
  }
}
