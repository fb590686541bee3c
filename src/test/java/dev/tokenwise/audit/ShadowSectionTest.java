package dev.tokenwise.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.core.Json;
import dev.tokenwise.store.ShadowSummary;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The audit's "Shadow tests" section in the three formats, from the fixture's two shadow tests. */
class ShadowSectionTest {
  private static final String READING = "gpt-4o-mini passes 96 % of 240 shadowed calls at 6 % of the cost (mean score"
      + " 0.97); 3 copies got no answer.";

  @Test
  void markdown_has_a_table_per_pattern_and_one_reading_per_candidate() {
    String md = MarkdownReport.write(ReportFixtures.report(), Integer.MAX_VALUE);
    int at = md.indexOf("## Shadow tests");
    assertTrue(at > md.indexOf("## Recommendations") && at < md.indexOf("## Already saved"),
        "after the recommendations");
    String section = md.substring(at, md.indexOf("## Already saved"));
    assertTrue(section.contains("### faq-bot"), section);
    assertTrue(section.contains("| `gpt-4o-mini` | 250 | 240 | 3 | 0.97 | 96 % | $10.00 | $0.6000 | $0.1600 | $2.00 |"),
        section);
    assertTrue(section.contains("| `claude-haiku-4-5` | 4 | 0 | 0 | — | — | $10.00 | $2.50 | $0.0100 | none now |"),
        section);
    assertTrue(section.contains("- " + READING), section);
    assertTrue(section.contains("- claude-haiku-4-5: 4 shadowed calls, none scored yet."), section);
  }

  @Test
  void a_report_without_pairs_has_no_section() {
    assertFalse(MarkdownReport.write(ReportFixtures.empty()).contains("Shadow tests"));
    assertTrue(Json.tryParse(JsonReport.write(ReportFixtures.empty()).getBytes(StandardCharsets.UTF_8))
        .get("shadow_tests").isEmpty());
  }

  @Test
  void html_carries_the_same_reading() {
    String html = HtmlReport.write(ReportFixtures.report());
    assertTrue(html.contains("<h2 id=\"shadow-tests\">Shadow tests</h2>"), "section heading");
    assertTrue(html.contains("<li>" + READING + "</li>"), "reading");
  }

  @Test
  void json_carries_the_counts_and_sums_with_their_queries() {
    JsonNode t = Json.tryParse(JsonReport.write(ReportFixtures.report()).getBytes(StandardCharsets.UTF_8))
        .at("/shadow_tests/0");
    assertEquals("faq-bot", t.get("pattern").asText());
    assertEquals("gpt-4o-mini", t.get("candidate_model").asText());
    assertEquals(250, t.at("/pairs/count").asLong());
    assertEquals("pattern = 'faq-bot' AND candidate_model = 'gpt-4o-mini'", t.at("/pairs/query/where").asText());
    assertEquals("SELECT COUNT(*) FROM shadow_pairs WHERE time_ms >= 1746057600000 AND time_ms < 1748649600000 AND"
        + " pattern = 'faq-bot' AND candidate_model = 'gpt-4o-mini'", t.at("/pairs/query/sql").asText());
    assertEquals(240, t.at("/scored/count").asLong());
    assertEquals(3, t.at("/failed/count").asLong());
    assertTrue(t.at("/failed/query/where").asText().endsWith("AND candidate_error IS NOT NULL"));
    assertEquals(230, t.at("/passes/count").asLong());
    assertEquals(232.8, t.at("/mean_score/score_sum").asDouble());
    assertEquals(0.97, t.at("/mean_score/value").asDouble(), 1e-12);
    assertEquals("score", t.at("/mean_score/query/sums").asText());
    assertEquals(230.0 / 240, t.at("/pass_rate/value").asDouble(), 1e-12);
    assertEquals(245, t.at("/priced_pairs/count").asLong());
    assertEquals("2.45", t.at("/production_cost/usd").asText());
    assertEquals(245, t.at("/production_cost/rows").asLong());
    assertEquals("SELECT SUM(candidate_cost_pico_usd), COUNT(*) FROM shadow_pairs WHERE time_ms >= 1746057600000 AND"
        + " time_ms < 1748649600000 AND pattern = 'faq-bot' AND candidate_model = 'gpt-4o-mini' AND " + 
        dev.tokenwise.store.ShadowTable.PRICED, t.at("/candidate_cost/query/sql").asText());
    assertEquals(147_000_000_000L, t.at("/candidate_cost/pico_usd").asLong());
    assertEquals("10.0", t.at("/production_per_1000_calls/usd").asText());
    assertEquals("0.6", t.at("/candidate_per_1000_calls/usd").asText());
    assertTrue(t.at("/candidate_per_1000_calls/formula").asText().startsWith("candidate_cost × 1000 / priced_pairs"));
    assertEquals(0.06, t.get("cost_share").asDouble(), 1e-12);
    assertEquals("0.16", t.at("/spend/usd").asText());
    assertEquals("spend_pico_usd", t.at("/spend/query/sums").asText());
    assertEquals("2.0", t.get("daily_cap_usd").asText());
    assertEquals(READING, t.get("reading").asText());
    assertTrue(Json.tryParse(JsonReport.write(ReportFixtures.report()).getBytes(StandardCharsets.UTF_8))
        .at("/shadow_tests/1/daily_cap_usd").isNull(), "no policy names it now");
  }

  @Test
  void the_reading_says_what_cannot_be_compared() {
    ShadowSummary none = new ShadowSummary("p", "m", 3, 2, 1, 2, 1.8, 0, 0, 0, 5);
    assertEquals("m passes 100 % of 2 shadowed calls (its cost cannot be compared: no pair with both prices) (mean"
        + " score 0.90); 1 copy got no answer.", ShadowContent.reading(new AuditReport.ShadowTest(none, null)));
    assertEquals("0.4 %", ShadowContent.percent(0.004));
    assertEquals("$0.000041", ShadowContent.money(41_234_567L), "a small spend keeps two digits");
    assertEquals("$0.0012", ShadowContent.money(1_234_567_890L));
    assertEquals("$0.00", ShadowContent.money(0));
    assertEquals("0 %", ShadowContent.percent(0));
    assertEquals(List.of(), ReportFixtures.empty().shadows());
  }
}
