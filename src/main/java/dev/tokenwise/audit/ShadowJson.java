package dev.tokenwise.audit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.analytics.Cost;
import dev.tokenwise.audit.AuditReport.ShadowTest;
import dev.tokenwise.core.Json;
import dev.tokenwise.store.ShadowSummary;
import dev.tokenwise.store.ShadowTable;

/**
 * The report's {@code shadow_tests} as JSON: every figure with the query over {@code shadow_pairs} that
 * gives it, as the rest of the JSON report does over {@code requests}. docs/audit-json.md describes it.
 */
final class ShadowJson {
  private ShadowJson() {}

  static ArrayNode of(AuditReport report) {
    ArrayNode out = Json.MAPPER.createArrayNode();
    for (ShadowTest t : report.shadows()) {
      out.add(test(t, report.period()));
    }
    return out;
  }

  private static ObjectNode test(ShadowTest t, Period period) {
    ShadowSummary s = t.pairs();
    String shadow = "pattern = " + RowQuery.literal(s.pattern()) + " AND candidate_model = " + RowQuery.literal(s.candidateModel());
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("pattern", s.pattern());
    n.put("candidate_model", s.candidateModel());
    n.set("pairs", count(s.pairs(), query(period, shadow, null)));
    n.set("scored", count(s.scored(), query(period, shadow + " AND score IS NOT NULL", null)));
    n.set("failed", count(s.failed(), query(period, shadow + " AND " + ShadowTable.FAILED, null)));
    n.set("passes", count(s.passes(), query(period, shadow + " AND passed = TRUE", null)));
    ObjectNode mean = n.putObject("mean_score");
    mean.put("value", s.meanScore());
    mean.put("score_sum", s.scoreSum());
    mean.put("scored", s.scored());
    mean.put("formula", "score_sum / scored");
    mean.set("query", query(period, shadow + " AND score IS NOT NULL", "score"));
    ObjectNode rate = n.putObject("pass_rate");
    rate.put("value", s.passRate());
    rate.put("passes", s.passes());
    rate.put("scored", s.scored());
    rate.put("formula", "passes / scored");
    String priced = shadow + " AND " + ShadowTable.PRICED;
    n.set("priced_pairs", count(s.priced(), query(period, priced, null)));
    n.set("production_cost", money(s.productionPicoUsd(), query(period, priced, "production_cost_pico_usd"),
        s.priced()));
    n.set("candidate_cost", money(s.candidatePicoUsd(), query(period, priced, "candidate_cost_pico_usd"), s.priced()));
    n.set("production_per_1000_calls", t.productionPer1000() == null ? Json.MAPPER.nullNode()
        : derived(money(t.productionPer1000(), query(period, priced, "production_cost_pico_usd"), s.priced()),
            "production_cost × 1000 / priced_pairs, rounded to whole picodollars"));
    n.set("candidate_per_1000_calls", t.candidatePer1000() == null ? Json.MAPPER.nullNode()
        : derived(money(t.candidatePer1000(), query(period, priced, "candidate_cost_pico_usd"), s.priced()),
            "candidate_cost × 1000 / priced_pairs, rounded to whole picodollars"));
    n.put("cost_share", t.costShare());
    n.set("spend", money(s.spendPicoUsd(), query(period, shadow, "spend_pico_usd"), s.pairs()));
    // a setting of the config, not a sum of rows
    n.put("daily_cap_usd", t.dailyCapPicoUsd() == null ? null : Cost.usd(t.dailyCapPicoUsd()));
    n.put("daily_cap_pico_usd", t.dailyCapPicoUsd());
    n.put("reading", ShadowContent.reading(t));
    return n;
  }

  /** The pairs of the period that meet {@code where}, and the column the figure adds up (null: a count). */
  static ObjectNode query(Period p, String where, String sums) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("table", "shadow_pairs");
    n.put("from", p.from().toString());
    n.put("to", p.to().toString());
    n.put("where", where);
    n.put("sums", sums);
    n.put("sql", "SELECT " + (sums == null ? "COUNT(*)" : "SUM(" + sums + "), COUNT(*)") + " FROM shadow_pairs"
        + " WHERE time_ms >= " + p.from().toEpochMilli() + " AND time_ms < " + p.to().toEpochMilli() + " AND " + where);
    return n;
  }

  private static ObjectNode count(long n, ObjectNode query) {
    ObjectNode o = Json.MAPPER.createObjectNode();
    o.put("count", n);
    o.set("query", query);
    o.put("rows", n);
    return o;
  }

  private static ObjectNode money(long pico, ObjectNode query, long rows) {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("usd", Cost.usd(pico));
    n.put("pico_usd", pico);
    n.set("query", query);
    n.put("rows", rows);
    return n;
  }

  private static ObjectNode derived(ObjectNode money, String formula) {
    money.put("formula", formula);
    return money;
  }
}
