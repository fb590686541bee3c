package dev.tokenwise.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReportTest {
  private static final JsonNode JSON = parse(JsonReport.write(ReportFixtures.report()));

  @Test
  void has_every_top_level_key() {
    for (String key : List.of("period", "previous_period", "generated_at", "totals", "previous_totals", "by_pattern",
        "by_model", "by_provider", "by_tenant", "growth", "top_patterns", "recommendations", "saved", "daily",
        "notes", "shadow_tests")) {
      assertTrue(JSON.has(key), key);
    }
    assertEquals("2025-05-31T06:30:00Z", JSON.get("generated_at").asText());
    assertEquals("2025-04-01T00:00:00Z", JSON.at("/previous_period/from").asText());
    assertEquals("30", JSON.at("/period/days").asText());
  }

  @Test
  void every_money_figure_is_exact_and_carries_its_query_and_rows() {
    List<String> money = new ArrayList<>();
    walk(JSON, "", money);
    assertTrue(money.size() > 150, "money figures: " + money.size());
    // the figures the report does not count rows for (a day's spend): say so with null, never a guess
    for (String path : money) {
      JsonNode m = JSON.at(path);
      assertEquals(path.startsWith("/daily/"), m.get("rows").isNull(), path);
    }
    assertEquals(9_900, JSON.at("/totals/baseline/rows").asLong(), "the rows with both a cost and a baseline");
  }

  @Test
  void a_pattern_line_states_the_rows_behind_it() {
    JsonNode line = JSON.at("/by_pattern/1");
    assertEquals("classify|tickets", line.get("key").asText());
    assertEquals("60.25", line.at("/spend/usd").asText());
    assertEquals(60_250_000_000_000L, line.at("/spend/pico_usd").asLong());
    assertEquals(3_000, line.at("/spend/rows").asLong());
    assertEquals("pattern = 'classify|tickets'", line.at("/spend/query/where").asText());
    assertEquals("SELECT SUM(cost_pico_usd), COUNT(*) FROM requests WHERE time_ms >= 1746057600000 AND time_ms <"
        + " 1748649600000 AND pattern = 'classify|tickets'", line.at("/spend/query/sql").asText());
    assertEquals("2025-04-01T00:00:00Z", line.at("/previous_spend/query/from").asText());
    assertEquals(2_500, line.at("/previous_spend/rows").asLong());
    assertEquals(0.004167, line.get("change").asDouble());
    assertTrue(JSON.at("/by_pattern/2/change").isNull(), "new: no change ratio");
    assertEquals("pattern IS NULL", JSON.at("/by_pattern/3/spend/query/where").asText());
    assertEquals("provider IS NULL AND COALESCE(model_used, model_requested) = 'mystery'",
        JSON.at("/by_model/2/spend/query/where").asText());
    assertEquals("tenant IS NULL", JSON.at("/by_tenant/1/spend/query/where").asText());
    assertEquals("pattern = 'o''brien'", RowQuery.pattern("o'brien"));
  }

  @Test
  void findings_carry_the_rule_the_arithmetic_the_evidence_and_the_recommendation() {
    JsonNode f = JSON.at("/top_patterns/0/findings/1");
    assertEquals("cache-exact", f.get("rule").asText());
    assertEquals("43.2", f.at("/monthly_saving/usd").asText());
    assertTrue(f.get("status").isNull());
    assertEquals("open", f.get("label").asText());
    assertEquals(2, f.get("arithmetic").size());
    assertEquals(2_172, f.at("/evidence/repeats").asInt());
    JsonNode rec = f.get("recommendation");
    assertEquals("cache-exact/faq-bot", rec.get("id").asText());
    assertEquals(Json.MAPPER.valueToTree(Map.of("exact", true, "ttl", "1h")), rec.get("value"));
    assertFalse(rec.get("changes_answers").asBoolean());
    assertTrue(rec.get("blocked_by").isNull());
    assertEquals("- match: { pattern: faq-bot }\n  cache: { exact: true, ttl: 1h }\n", rec.get("policy_yaml").asText());
    assertEquals("the config has no anthropic provider",
        JSON.at("/top_patterns/1/findings/0/recommendation/blocked_by").asText());
    assertTrue(JSON.at("/top_patterns/1/findings/1/recommendation").isNull());
    assertEquals("needs eval", JSON.at("/top_patterns/0/findings/0/status").asText());
  }

  @Test
  void recommendations_are_sorted_by_saving_with_what_all_safe_applies() {
    List<String> ids = new ArrayList<>();
    JSON.get("recommendations").forEach(r -> ids.add(r.get("id").asText()));
    assertEquals(List.of("route/faq-bot", "cache-exact/faq-bot", "prompt-cache/classify|tickets", "cap/faq-bot"), ids);
    assertEquals("[\"cache-exact/faq-bot\"]", JSON.at("/apply_all_safe/ids").toString());
    assertEquals("155.54", JSON.at("/summary/open_monthly_saving/usd").asText());
    assertEquals(9_000, JSON.at("/summary/open_monthly_saving/rows").asLong());
  }

  @Test
  void savings_daily_spend_and_growth_name_their_rows() {
    JsonNode context = JSON.at("/saved/tactics/1");
    assertEquals("context", context.get("tactic").asText());
    assertTrue(context.get("estimated").asBoolean());
    assertEquals("trace LIKE '%savings: context %'", context.at("/saved/query/where").asText());
    assertEquals("50.0", JSON.at("/saved/total/usd").asText());
    JsonNode other = JSON.at("/daily/29/patterns/3");
    assertEquals(AuditReport.OTHER, other.get("pattern").asText());
    assertEquals("pattern IS NULL OR pattern NOT IN ('faq-bot', 'classify|tickets', '<script>alert(1)</script>')",
        other.at("/spend/query/where").asText());
    assertEquals("2025-05-30T00:00:00Z", other.at("/spend/query/from").asText());
    assertEquals("2025-05-31T00:00:00Z", other.at("/spend/query/to").asText());
    assertEquals("volume", JSON.at("/growth/0/reason").asText());
    assertEquals(5_000, JSON.at("/growth/0/previous/rows").asLong());
  }

  @Test
  void an_empty_report_renders() {
    JsonNode empty = parse(JsonReport.write(ReportFixtures.empty()));
    assertEquals(0, empty.at("/totals/calls/count").asLong());
    assertEquals("0.0", empty.at("/totals/spend/usd").asText());
    assertEquals(0, empty.get("daily").size());
    assertTrue(empty.at("/by_pattern").isEmpty());
    assertEquals("FALSE", empty.at("/apply_all_safe/monthly_saving/query/where").asText());
  }

  @Test
  void other_patterns_exclude_the_top_ones_and_keep_the_unnamed_apart() {
    assertEquals("pattern IS NULL OR pattern NOT IN ('a', 'b')", RowQuery.other(List.of("a", "b")));
    assertEquals("pattern NOT IN ('a')", RowQuery.other(List.of("a", Audit.NO_PATTERN)));
    assertEquals("pattern IS NOT NULL", RowQuery.other(List.of(Audit.NO_PATTERN)));
  }

  /** Collects the paths of money objects, checking each one on the way. */
  private static void walk(JsonNode node, String path, List<String> money) {
    if (node.isObject() && node.has("pico_usd")) {
      money.add(path);
      BigDecimal usd = new BigDecimal(node.get("usd").asText());
      assertEquals(0, usd.compareTo(BigDecimal.valueOf(node.get("pico_usd").asLong(), 12)), path);
      assertTrue(node.get("pico_usd").isIntegralNumber(), path);
      JsonNode q = node.get("query");
      assertTrue(q != null && q.isObject(), path + " has no query");
      assertEquals(path.startsWith("/shadow_tests/") ? "shadow_pairs" : "requests", q.get("table").asText(), path);
      assertTrue(q.has("from") && q.has("to") && q.has("where") && q.get("sql").asText().startsWith("SELECT "), path);
      assertTrue(node.has("rows"), path + " has no rows");
      return;
    }
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        walk(e.getValue(), path + "/" + e.getKey(), money);
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), path + "/" + i, money);
      }
    }
  }

  private static JsonNode parse(String json) {
    try {
      return Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
