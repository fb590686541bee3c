package dev.tokenwise.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.tokenwise.analytics.Cost;
import dev.tokenwise.audit.AuditReport.DaySpend;
import dev.tokenwise.audit.AuditReport.PatternSection;
import dev.tokenwise.audit.AuditReport.SpendLine;
import dev.tokenwise.audit.AuditReport.Totals;
import dev.tokenwise.core.Json;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The audit report as JSON, for scripts and for tracing a figure back to the logged rows. Money is an
 * object with the exact decimal ({@code "usd": "12.345678"}) and the picodollars ({@code "pico_usd"}),
 * and beside it the query over {@code requests} that gives it and the number of rows it sums.
 * docs/audit-json.md describes the shape.
 */
public final class JsonReport {
  /** Bumped when a key changes meaning or goes away. */
  static final int VERSION = 1;
  /** The rows whose saving is known: both their cost and their cost as sent. */
  private static final String BOTH_COSTS = "cost_pico_usd IS NOT NULL AND baseline_pico_usd IS NOT NULL";
  private static final String SAVED = "baseline_pico_usd - cost_pico_usd";

  private final AuditReport report;
  /** The calls of each pattern in the period and the one before, from {@code byPattern}. */
  private final Map<String, SpendLine> patterns = new HashMap<>();

  private JsonReport(AuditReport report) {
    this.report = report;
    report.byPattern().forEach(l -> patterns.put(l.key(), l));
  }

  /** The report as indented JSON, ending in a newline. */
  public static String write(AuditReport report) {
    try {
      return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(tree(report)) + "\n";
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The report as a JSON tree. */
  public static ObjectNode tree(AuditReport report) {
    return new JsonReport(report).build();
  }

  private ObjectNode build() {
    AuditReport r = report;
    ObjectNode out = Json.MAPPER.createObjectNode();
    out.put("format", "tokenwise-audit");
    out.put("version", VERSION);
    out.put("generated_at", r.generatedAt().toString());
    out.set("period", period(r.period()));
    out.set("previous_period", period(r.previous()));
    out.set("totals", totals(r.current(), r.period()));
    out.set("previous_totals", totals(r.before(), r.previous()));
    out.set("summary", summary());
    out.set("by_pattern", lines(r.byPattern(), RowQuery::pattern));
    out.set("by_model", lines(r.byModel(), RowQuery::model));
    out.set("by_provider", lines(r.byProvider(), RowQuery::provider));
    out.set("by_tenant", lines(r.byTenant(), RowQuery::tenant));
    out.set("growth", growth());
    ArrayNode top = out.putArray("top_patterns");
    r.top().forEach(p -> top.add(section(p)));
    out.set("recommendations", recommendations());
    out.set("apply_all_safe", allSafe());
    out.set("saved", saved());
    out.set("daily", daily());
    out.set("shadow_tests", ShadowJson.of(r));
    ArrayNode notes = out.putArray("notes");
    r.notes().forEach(notes::add);
    return out;
  }

  private static ObjectNode period(Period p) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("from", p.from().toString());
    n.put("to", p.to().toString());
    n.put("from_ms", p.from().toEpochMilli());
    n.put("to_ms", p.to().toEpochMilli());
    n.put("days", BigDecimal.valueOf(p.length().toMillis()).divide(BigDecimal.valueOf(86_400_000L), 6,
        RoundingMode.HALF_UP).stripTrailingZeros().toPlainString());
    n.put("label", Figures.period(p));
    return n;
  }

  private static ObjectNode totals(Totals t, Period p) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.set("calls", count(t.calls(), new RowQuery(p, null, null)));
    n.set("spend", money(t.spendPicoUsd(), new RowQuery(p, null, RowQuery.COST), t.calls()));
    n.set("projected_monthly_spend", derived(money(p.monthly(t.spendPicoUsd()), new RowQuery(p, null, RowQuery.COST),
        t.calls()), "spend × 30 days / period length"));
    n.set("unknown_cost_calls", count(t.unknownCostCalls(), new RowQuery(p, "cost_pico_usd IS NULL", null)));
    n.set("errors", count(t.errors(), new RowQuery(p, "status >= 400", null)));
    n.set("baseline", money(t.baselinePicoUsd(), new RowQuery(p, BOTH_COSTS, "baseline_pico_usd"),
        t.withBaseline()));
    n.set("actual", money(t.actualPicoUsd(), new RowQuery(p, BOTH_COSTS, RowQuery.COST), t.withBaseline()));
    n.set("saved", derived(money(t.savedPicoUsd(), new RowQuery(p, BOTH_COSTS, SAVED),
        t.withBaseline()), "baseline - actual"));
    return n;
  }

  private ObjectNode summary() {
    AuditReport r = report;
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.set("spend_change", change(r.before().spendPicoUsd(), r.current().spendPicoUsd()));
    List<Finding> open = Figures.open(r).stream().filter(f -> f.monthlySavingPicoUsd() > 0).toList();
    n.put("open_findings", open.size());
    n.set("open_monthly_saving", derived(findingsMoney(open), "sum of the open findings' monthly savings"
        + " (each figured alone; two on one pattern can overlap)"));
    n.set("safe_monthly_saving", derived(findingsMoney(Figures.safeToApply(r)),
        "sum of the monthly savings apply --all-safe would write"));
    n.set("needs_eval_monthly_saving", derived(findingsMoney(open.stream()
        .filter(f -> "needs eval".equals(f.status())).toList()), "sum of the open model swaps' monthly savings"));
    n.put("applied_findings", r.findings().stream().filter(Figures::applied).count());
    return n;
  }

  private ArrayNode lines(List<SpendLine> lines, Function<String, String> where) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    long total = report.current().spendPicoUsd();
    for (SpendLine l : lines) {
      ObjectNode n = out.addObject();
      n.put("key", l.key());
      n.put("calls", l.calls());
      n.put("previous_calls", l.previousCalls());
      String w = where.apply(l.key());
      n.set("spend", money(l.spendPicoUsd(), new RowQuery(report.period(), w, RowQuery.COST), l.calls()));
      n.set("previous_spend", money(l.previousSpendPicoUsd(), new RowQuery(report.previous(), w, RowQuery.COST),
          l.previousCalls()));
      if (total == 0) {
        n.putNull("share");
      } else {
        n.put("share", (double) l.spendPicoUsd() / total);
      }
      n.set("change", change(l.previousSpendPicoUsd(), l.spendPicoUsd()));
    }
    return out;
  }

  private ArrayNode growth() {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (AuditReport.Growth g : report.growth()) {
      SpendLine line = patterns.get(g.pattern());
      String where = RowQuery.pattern(g.pattern());
      ObjectNode n = out.addObject();
      n.put("pattern", g.pattern());
      n.put("reason", g.reason());
      n.set("previous", money(g.previousPicoUsd(), new RowQuery(report.previous(), where, RowQuery.COST),
          line == null ? null : line.previousCalls()));
      n.set("current", money(g.currentPicoUsd(), new RowQuery(report.period(), where, RowQuery.COST),
          line == null ? null : line.calls()));
      n.set("change", change(g.previousPicoUsd(), g.currentPicoUsd()));
      ArrayNode why = n.putArray("why");
      g.why().forEach(why::add);
    }
    return out;
  }

  private ObjectNode section(PatternSection p) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("pattern", p.pattern());
    n.put("calls", p.calls());
    n.set("spend", money(p.spendPicoUsd(), new RowQuery(report.period(), RowQuery.pattern(p.pattern()), RowQuery.COST),
        p.calls()));
    n.put("share", p.share());
    n.put("model", p.model());
    n.put("provider", p.provider());
    ArrayNode findings = n.putArray("findings");
    p.findings().forEach(f -> findings.add(finding(f)));
    return n;
  }

  private ObjectNode finding(Finding f) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("rule", f.rule());
    n.put("pattern", f.pattern());
    n.put("title", f.title());
    n.set("monthly_saving", derived(findingsMoney(List.of(f)),
        "the arithmetic's saving over the pattern's rows, projected to 30 days"));
    n.put("status", f.status());
    n.put("label", Figures.status(f));
    ArrayNode arithmetic = n.putArray("arithmetic");
    f.arithmetic().forEach(arithmetic::add);
    ObjectNode evidence = n.putObject("evidence");
    f.evidence().forEach((k, v) -> {
      if (!k.endsWith("_svg")) { // a figure for the HTML page; its figures are in the sweep's own report
        evidence.set(k, value(v));
      }
    });
    Recommendation rec = f.recommendation();
    if (rec == null) {
      n.putNull("recommendation");
      return n;
    }
    ObjectNode r = n.putObject("recommendation");
    r.put("id", rec.id());
    r.put("pattern", rec.pattern());
    r.put("key", rec.key());
    r.set("value", value(rec.value()));
    r.put("changes_answers", rec.changesAnswers());
    r.put("blocked_by", rec.blockedBy());
    r.put("safe", rec.safe());
    r.put("policy_yaml", PolicyYaml.of(rec));
    r.put("apply", "tokenwise apply " + rec.id());
    return n;
  }

  private ArrayNode recommendations() {
    ArrayNode out = Json.MAPPER.createArrayNode();
    List<Finding> safe = Figures.safeToApply(report);
    for (Finding f : Figures.withRecommendation(report)) {
      Recommendation rec = f.recommendation();
      ObjectNode n = out.addObject();
      n.put("id", rec.id());
      n.put("pattern", rec.pattern());
      n.put("rule", f.rule());
      n.put("title", f.title());
      n.set("monthly_saving", derived(findingsMoney(List.of(f)),
          "the arithmetic's saving over the pattern's rows, projected to 30 days"));
      n.put("changes_answers", rec.changesAnswers());
      n.put("blocked_by", rec.blockedBy());
      n.put("status", f.status());
      n.put("label", Figures.status(f));
      n.put("in_all_safe", safe.contains(f));
    }
    return out;
  }

  private ObjectNode allSafe() {
    List<Finding> safe = Figures.safeToApply(report);
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("command", Figures.APPLY_ALL_SAFE);
    ArrayNode ids = n.putArray("ids");
    safe.forEach(f -> ids.add(f.recommendation().id()));
    n.set("monthly_saving", derived(findingsMoney(safe), "sum of these recommendations' monthly savings"));
    return n;
  }

  private ObjectNode saved() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    Totals t = report.current();
    n.set("total", derived(money(t.savedPicoUsd(), new RowQuery(report.period(), BOTH_COSTS,
        SAVED), t.withBaseline()), "baseline - actual"));
    ArrayNode tactics = n.putArray("tactics");
    for (AuditReport.TacticSaving s : report.saved()) {
      ObjectNode e = tactics.addObject();
      e.put("tactic", s.tactic());
      e.put("calls", s.calls());
      e.put("estimated", s.estimated());
      e.set("saved", money(s.savedPicoUsd(), new RowQuery(report.period(),
          RowQuery.tactic(s.tactic()),
          "the amounts of the trace's 'savings: " + s.tactic() + " …' entries"), s.calls()));
    }
    return n;
  }

  private ArrayNode daily() {
    ArrayNode out = Json.MAPPER.createArrayNode();
    List<String> top = new ArrayList<>();
    report.daily().forEach(d -> d.picoUsdByPattern().keySet().stream()
        .filter(k -> !k.equals(AuditReport.OTHER) && !top.contains(k)).forEach(top::add));
    for (DaySpend d : report.daily()) {
      Period day = day(d);
      ObjectNode n = out.addObject();
      n.put("day", d.day().toString());
      n.set("total", money(Figures.total(d), new RowQuery(day, null, RowQuery.COST), null));
      ArrayNode by = n.putArray("patterns");
      d.picoUsdByPattern().forEach((pattern, pico) -> {
        ObjectNode e = by.addObject();
        e.put("pattern", pattern);
        String where = pattern.equals(AuditReport.OTHER) ? RowQuery.other(top) : RowQuery.pattern(pattern);
        e.set("spend", money(pico, new RowQuery(day, where, RowQuery.COST), null));
      });
    }
    return out;
  }

  /** The day, cut to the audited period. */
  private Period day(DaySpend d) {
    Instant start = d.day().atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant end = d.day().plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant from = start.isBefore(report.period().from()) ? report.period().from() : start;
    Instant to = end.isAfter(report.period().to()) ? report.period().to() : end;
    return to.isAfter(from) ? new Period(from, to) : new Period(start, end);
  }

  /** Money from findings: the query is over the rows of their patterns, the rows those patterns' calls. */
  private ObjectNode findingsMoney(List<Finding> findings) {
    List<String> names = findings.stream().map(Finding::pattern).distinct().sorted().toList();
    long rows = 0;
    for (String p : names) {
      SpendLine l = patterns.get(p);
      rows += l == null ? 0 : l.calls();
    }
    String where = RowQuery.patterns(names);
    return money(findings.stream().mapToLong(Finding::monthlySavingPicoUsd).sum(),
        new RowQuery(report.period(), where, null), rows);
  }

  private static ObjectNode money(long pico, RowQuery query, Long rows) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("usd", Cost.usd(pico));
    n.put("pico_usd", pico);
    n.set("query", query.json());
    if (rows == null) {
      n.putNull("rows");
    } else {
      n.put("rows", rows);
    }
    return n;
  }

  private static ObjectNode derived(ObjectNode money, String formula) {
    money.put("formula", formula);
    return money;
  }

  private static ObjectNode count(long n, RowQuery query) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("count", n);
    o.set("query", query.json());
    o.put("rows", n);
    return o;
  }

  private static JsonNode change(long from, long to) {
    if (from == 0) {
      return Json.MAPPER.nullNode();
    }
    return Json.MAPPER.getNodeFactory().numberNode(BigDecimal.valueOf(to - from)
        .divide(BigDecimal.valueOf(from), 6, RoundingMode.HALF_UP).stripTrailingZeros());
  }

  private static JsonNode value(Object v) {
    try {
      return Json.MAPPER.valueToTree(v);
    } catch (IllegalArgumentException e) {
      return TextNode.valueOf(String.valueOf(v));
    }
  }
}
