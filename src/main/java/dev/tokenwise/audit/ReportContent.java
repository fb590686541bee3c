package dev.tokenwise.audit;

import static dev.tokenwise.audit.Figures.APPLY_ALL_SAFE;
import static dev.tokenwise.audit.Figures.applied;
import static dev.tokenwise.audit.Figures.change;
import static dev.tokenwise.audit.Figures.count;
import static dev.tokenwise.audit.Figures.length;
import static dev.tokenwise.audit.Figures.open;
import static dev.tokenwise.audit.Figures.period;
import static dev.tokenwise.audit.Figures.risk;
import static dev.tokenwise.audit.Figures.safeToApply;
import static dev.tokenwise.audit.Figures.status;
import static dev.tokenwise.audit.Figures.sum;
import static dev.tokenwise.audit.Figures.time;
import static dev.tokenwise.audit.Figures.total;
import static dev.tokenwise.audit.Figures.withRecommendation;

import dev.tokenwise.audit.AuditReport.DaySpend;
import dev.tokenwise.audit.AuditReport.SpendLine;
import dev.tokenwise.audit.ReportDoc.Align;
import dev.tokenwise.audit.ReportDoc.Block;
import dev.tokenwise.audit.ReportDoc.Code;
import dev.tokenwise.audit.ReportDoc.Heading;
import dev.tokenwise.audit.ReportDoc.Item;
import dev.tokenwise.audit.ReportDoc.Items;
import dev.tokenwise.audit.ReportDoc.Line;
import dev.tokenwise.audit.ReportDoc.Para;
import dev.tokenwise.audit.ReportDoc.Table;
import java.util.ArrayList;
import java.util.List;

/**
 * What the markdown and HTML reports say, in their order: the period, the summary, where the money
 * went, what grew, the top patterns and their findings, the recommendations, the shadow tests, what was
 * already saved, the notes and how the figures are computed. The wording lives here; the writers only format it.
 */
final class ReportContent {
  /** Rows shown in the pattern and tenant tables before a line sums the rest. */
  static final int TABLE_ROWS = 10;

  private ReportContent() {}

  /** The report's blocks, in reading order. */
  static List<Block> of(AuditReport r) {
    List<Block> out = new ArrayList<>();
    header(r, out);
    summary(r, out);
    money(r, out);
    growth(r, out);
    patterns(r, out);
    recommendations(r, out);
    ShadowContent.add(r, out);
    saved(r, out);
    notes(r, out);
    return out;
  }

  private static void header(AuditReport r, List<Block> out) {
    out.add(new Heading(1, "tokenwise cost audit", "audit"));
    out.add(new Para(new Line().text("Period: ").strong(period(r.period()))
        .text(" · previous period: " + period(r.previous()))));
    out.add(new Para(Line.of("Generated " + time(r.generatedAt()) + " · " + count(r.current().calls())
        + " calls read (" + count(r.before().calls()) + " in the previous period)")));
  }

  private static void summary(AuditReport r, List<Block> out) {
    out.add(new Heading(2, "Summary", "summary"));
    AuditReport.Totals now = r.current();
    AuditReport.Totals then = r.before();
    List<List<Line>> rows = new ArrayList<>();
    rows.add(List.of(Line.of("Calls"), Line.of(count(now.calls())), Line.of(count(then.calls())),
        Line.of(change(then.calls(), now.calls()))));
    rows.add(List.of(new Line().strong("Spend"), new Line().strong(Dollars.of(now.spendPicoUsd())),
        Line.of(Dollars.of(then.spendPicoUsd())), Line.of(change(then.spendPicoUsd(), now.spendPicoUsd()))));
    rows.add(List.of(Line.of("Errors (status 400 or more)"), Line.of(count(now.errors())),
        Line.of(count(then.errors())), Line.of(change(then.errors(), now.errors()))));
    if (now.unknownCostCalls() + then.unknownCostCalls() > 0) {
      rows.add(List.of(Line.of("Calls without a price (counted $0)"), Line.of(count(now.unknownCostCalls())),
          Line.of(count(then.unknownCostCalls())), Line.of(change(then.unknownCostCalls(), now.unknownCostCalls()))));
    }
    out.add(new Table(List.of("", "this period", "previous period", "change"),
        List.of(Align.LEFT, Align.RIGHT, Align.RIGHT, Align.RIGHT), rows));

    List<Item> items = new ArrayList<>();
    items.add(new Item(new Line().text("Projected monthly spend: ")
        .strong(Dollars.of(r.period().monthly(now.spendPicoUsd())))
        .text(" (this period's spend × 30 days / " + length(r.period().length()) + ")")));
    items.add(new Item(openSavings(r)));
    long applied = r.findings().stream().filter(Figures::applied).count();
    if (applied > 0) {
      items.add(new Item(Line.of(count(applied) + (applied == 1 ? " recommendation is" : " recommendations are")
          + " already in the config.")));
    }
    items.add(new Item(savedLine(r)));
    out.add(new Items(false, items));
  }

  private static Line openSavings(AuditReport r) {
    List<Finding> open = open(r).stream().filter(f -> f.monthlySavingPicoUsd() > 0).toList();
    long total = sum(open);
    if (total == 0) {
      return Line.of("No open finding saves money at this period's volume.");
    }
    long safe = sum(safeToApply(r));
    long eval = sum(open.stream().filter(f -> "needs eval".equals(f.status())).toList());
    Line line = new Line().text("Open findings could save ").strong(Dollars.of(total) + " a month")
        .text(" (" + count(open.size()) + (open.size() == 1 ? " finding" : " findings")
            + ", each figured alone; two on one pattern can overlap): ");
    String sep = "";
    if (safe > 0) {
      line.text(Dollars.of(safe) + " safe to apply now with ").code(APPLY_ALL_SAFE);
      sep = ", ";
    }
    if (eval > 0) {
      line.text(sep + Dollars.of(eval) + " in model swaps that need an eval first");
      sep = ", ";
    }
    long rest = total - safe - eval;
    if (rest > 0) {
      line.text(sep + Dollars.of(rest) + " that change answers or cannot be applied yet");
    }
    return line.text(".");
  }

  private static Line savedLine(AuditReport r) {
    AuditReport.Totals now = r.current();
    if (now.baselinePicoUsd() == 0 && r.saved().isEmpty()) {
      return Line.of("No tactic recorded a saving in this period.");
    }
    Line line = new Line().text("The tactics already saved ").strong(Dollars.of(now.savedPicoUsd()))
        .text(" this period (the calls as sent would have cost " + Dollars.of(now.baselinePicoUsd()) + "; they cost "
            + Dollars.of(now.actualPicoUsd()) + ")");
    if (!r.saved().isEmpty()) {
      List<String> parts = r.saved().stream().map(t -> t.tactic() + " " + saving(t)).toList();
      line.text(": " + String.join(", ", parts));
    }
    return line.text(".");
  }

  private static void money(AuditReport r, List<Block> out) {
    out.add(new Heading(2, "Where the money went", "spend"));
    long total = r.current().spendPicoUsd();
    out.add(new Heading(3, "Spend per day", "daily"));
    out.add(new Para(Line.of(days(r.daily()))));
    out.add(new ReportDoc.Chart(r.daily()));
    out.add(new Heading(3, "By pattern", "by-pattern"));
    out.add(spendTable("pattern", "patterns", r.byPattern(), total, TABLE_ROWS));
    out.add(new Heading(3, "By model", "by-model"));
    out.add(spendTable("provider/model", "models", r.byModel(), total, Integer.MAX_VALUE));
    out.add(new Heading(3, "By provider", "by-provider"));
    out.add(spendTable("provider", "providers", r.byProvider(), total, Integer.MAX_VALUE));
    out.add(new Heading(3, "By tenant", "by-tenant"));
    out.add(spendTable("tenant", "tenants", r.byTenant(), total, TABLE_ROWS));
  }

  /** One sentence on the daily series: its lowest, highest and mean day. */
  static String days(List<DaySpend> days) {
    if (days.isEmpty()) {
      return "No spend in this period.";
    }
    DaySpend low = days.get(0);
    DaySpend high = days.get(0);
    long sum = 0;
    for (DaySpend d : days) {
      long t = total(d);
      sum += t;
      low = t < total(low) ? d : low;
      high = t > total(high) ? d : high;
    }
    return "Over " + count(days.size()) + (days.size() == 1 ? " day" : " days") + " with calls: lowest "
        + Dollars.of(total(low)) + " (" + low.day() + "), highest " + Dollars.of(total(high)) + " (" + high.day()
        + "), mean " + Dollars.of(Math.round((double) sum / days.size())) + " a day.";
  }

  private static Block spendTable(String name, String plural, List<SpendLine> lines, long total, int limit) {
    if (lines.isEmpty()) {
      return new Para(Line.of("No calls in this period or the previous one."));
    }
    List<List<Line>> rows = new ArrayList<>();
    int shown = Math.min(limit, lines.size());
    for (SpendLine l : lines.subList(0, shown)) {
      rows.add(spendRow(Line.of(l.key()), l.calls(), l.spendPicoUsd(), total, l.previousSpendPicoUsd()));
    }
    if (shown < lines.size()) {
      List<SpendLine> rest = lines.subList(shown, lines.size());
      rows.add(spendRow(Line.of("(" + count(rest.size()) + " more " + plural + ")"),
          rest.stream().mapToLong(SpendLine::calls).sum(), rest.stream().mapToLong(SpendLine::spendPicoUsd).sum(),
          total, rest.stream().mapToLong(SpendLine::previousSpendPicoUsd).sum()));
    }
    return new Table(List.of(name, "calls", "spend", "share", "previous", "change"),
        List.of(Align.LEFT, Align.RIGHT, Align.RIGHT, Align.RIGHT, Align.RIGHT, Align.RIGHT), rows);
  }

  private static List<Line> spendRow(Line key, long calls, long spend, long total, long previous) {
    return List.of(key, Line.of(count(calls)), Line.of(Dollars.of(spend)),
        Line.of(total == 0 ? "—" : Dollars.percent((double) spend / total)), Line.of(Dollars.of(previous)),
        Line.of(change(previous, spend)));
  }

  private static void growth(AuditReport r, List<Block> out) {
    out.add(new Heading(2, "What grew", "growth"));
    if (r.growth().isEmpty()) {
      out.add(new Para(Line.of("Nothing grew by more than 10 % against the previous period.")));
      return;
    }
    List<Item> items = new ArrayList<>();
    for (AuditReport.Growth g : r.growth()) {
      Line line = new Line().code(g.pattern()).text(": " + Dollars.of(g.previousPicoUsd()) + " → "
          + Dollars.of(g.currentPicoUsd()) + " (" + change(g.previousPicoUsd(), g.currentPicoUsd()) + "), reason: ")
          .strong(g.reason());
      items.add(new Item(line, g.why().stream().map(Line::of).toList()));
    }
    out.add(new Items(false, items));
  }

  private static void patterns(AuditReport r, List<Block> out) {
    out.add(new Heading(2, "Top patterns", "top-patterns"));
    if (r.top().isEmpty()) {
      out.add(new Para(Line.of("No pattern had calls in this period.")));
      return;
    }
    out.add(new Para(Line.of("The " + r.top().size() + (r.top().size() == 1 ? " pattern" : " patterns")
        + " that cost the most, and what the rules found in each, largest saving first.")));
    int n = 0;
    for (AuditReport.PatternSection p : r.top()) {
      n++;
      out.add(new Heading(3, n + ". " + p.pattern(), "pattern-" + n));
      Line about = new Line().strong(Dollars.of(p.spendPicoUsd())).text(" this period · "
          + Dollars.percent(p.share()) + " of spend · " + count(p.calls()) + " calls · ");
      if (p.model() == null) {
        about.text("no model recorded");
      } else {
        about.text("mostly on ").code(p.provider() == null ? p.model() : p.provider() + "/" + p.model());
      }
      out.add(new Para(about));
      if (p.findings().isEmpty()) {
        out.add(new Para(Line.of("No finding: the rules found nothing to change in this pattern.")));
      }
      p.findings().forEach(f -> finding(f, out));
    }
  }

  private static void finding(Finding f, List<Block> out) {
    out.add(new Heading(4, f.title(), null));
    Line head = new Line();
    if (f.monthlySavingPicoUsd() == 0) {
      head.text("No countable saving");
    } else {
      head.text("Saves ").strong(Dollars.of(f.monthlySavingPicoUsd()) + " a month");
    }
    head.text(" · status: ").tag(status(f), statusCss(f));
    if (f.recommendation() != null) {
      head.text(" · ").tag(risk(f.recommendation()), f.recommendation().changesAnswers() ? "risky" : "safe");
    }
    out.add(new Para(head.text(" · rule ").code(f.rule())));
    if (!f.arithmetic().isEmpty()) {
      out.add(new Items(false, f.arithmetic().stream().map(a -> new Item(Line.of(a))).toList()));
    }
    if (f.evidence().get("eval_chart_svg") instanceof String svg) {
      out.add(new ReportDoc.Plot(svg, "eval " + f.evidence().get("eval_run") + ": pass rate against cost per 1,000 calls"));
    }
    Recommendation rec = f.recommendation();
    if (rec == null) {
      out.add(new Para(Line.of("A note: no change is proposed.")));
      return;
    }
    out.add(new Para(new Line().text("Recommendation ").code(rec.id()).text(" adds this policy:")));
    out.add(new Code("yaml", PolicyYaml.of(rec)));
    if (applied(f)) {
      out.add(new Para(Line.of("Already in the config.")));
    } else if (rec.blockedBy() != null) {
      String why = rec.blockedBy();
      out.add(new Para(Line.of("Cannot be applied yet: " + why + (why.endsWith(".") ? "" : "."))));
    } else {
      Line apply = new Line().text("Apply it with ").code("tokenwise apply " + rec.id());
      if ("needs eval".equals(f.status())) {
        apply.text(" once an eval shows the answers hold up (").code("tokenwise eval --pattern " + f.pattern())
            .text(")");
      } else if ("proven".equals(f.status())) {
        apply.text(": an eval sweep passed it");
      }
      out.add(new Para(apply.text(".")));
    }
  }

  private static void recommendations(AuditReport r, List<Block> out) {
    out.add(new Heading(2, "Recommendations", "recommendations"));
    List<Finding> recs = withRecommendation(r);
    if (recs.isEmpty()) {
      out.add(new Para(Line.of("No recommendation.")));
      return;
    }
    List<List<Line>> rows = new ArrayList<>();
    for (Finding f : recs) {
      Recommendation rec = f.recommendation();
      rows.add(List.of(new Line().code(rec.id()), Line.of(rec.pattern()),
          Line.of(Dollars.of(f.monthlySavingPicoUsd())),
          new Line().tag(risk(rec), rec.changesAnswers() ? "risky" : "safe"), new Line().tag(status(f), statusCss(f))));
    }
    out.add(new Table(List.of("id", "pattern", "saving/month", "risk", "status"),
        List.of(Align.LEFT, Align.LEFT, Align.RIGHT, Align.LEFT, Align.LEFT), rows));
    List<Finding> safe = safeToApply(r);
    Line line = new Line().code(APPLY_ALL_SAFE);
    if (safe.isEmpty()) {
      line.text(" has nothing to apply: every recommendation changes answers, cannot be applied yet or is applied.");
    } else {
      line.text(" applies the " + count(safe.size()) + " that do not change answers (" + Dollars.of(sum(safe))
          + " a month): ");
      for (int i = 0; i < safe.size(); i++) {
        line.text(i == 0 ? "" : ", ").code(safe.get(i).recommendation().id());
      }
      line.text(".");
    }
    out.add(new Para(line));
  }

  private static void saved(AuditReport r, List<Block> out) {
    out.add(new Heading(2, "Already saved", "saved"));
    out.add(new Para(savedLine(r)));
    if (r.saved().isEmpty()) {
      return;
    }
    List<List<Line>> rows = r.saved().stream().map(t -> List.of(Line.of(t.tactic()), Line.of(count(t.calls())),
        Line.of(saving(t)), Line.of(t.estimated() ? "estimate" : "exact"))).toList();
    out.add(new Table(List.of("tactic", "calls", "saved", "figure"),
        List.of(Align.LEFT, Align.RIGHT, Align.RIGHT, Align.LEFT), rows));
    if (r.saved().stream().anyMatch(AuditReport.TacticSaving::estimated)) {
      out.add(new Para(Line.of("~ marks a sum that holds estimates (a trimmed context, an answer stopped early).")));
    }
  }

  private static void notes(AuditReport r, List<Block> out) {
    if (!r.notes().isEmpty()) {
      out.add(new Heading(2, "Notes", "notes"));
      out.add(new Items(false, r.notes().stream().map(n -> new Item(Line.of(n))).toList()));
    }
    out.add(new Heading(2, "How these figures are computed", "method"));
    out.add(new Para(new Line().text("Every figure is a sum or a count over the rows of the ").code("requests")
        .text(" table whose time falls in the period (its start included, its end excluded); the previous period"
            + " is the one of the same length just before it. Spend sums ").code("cost_pico_usd")
        .text(", each call's cost priced from the catalog (bundled, overridden by the config's ").code("prices:")
        .text(") when it was logged; a call without a price counts $0. A monthly figure is the period's figure × 30"
            + " days / the period's length. What the tactics saved sums the ").code("savings:")
        .text(" entries of each row's trace. The JSON report (").code("--format json")
        .text(") gives beside every figure the query behind it and the number of rows it sums.")));
  }

  private static String statusCss(Finding f) {
    return switch (status(f)) {
      case "applied", "note", "blocked", "open" -> status(f);
      case "needs eval" -> "eval";
      case "proven", "kept by eval" -> "applied";
      default -> "other";
    };
  }

  private static String saving(AuditReport.TacticSaving t) {
    return (t.estimated() ? "~" : "") + Dollars.of(t.savedPicoUsd());
  }
}
