package dev.tokenwise.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenwise.store.EvalTable;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;

class EvalReportTest {
  private static final EvalTable.Run RUN = new EvalTable.Run("ev-9", "classify", Instant.EPOCH, Instant.EPOCH, "done",
      "gpt-4o", "{}", 0, 0, null);
  private static final EvalSpec SPEC = new EvalSpec("classify", List.of("gpt-4o", "gpt-4o-mini", "gpt-4.1-nano"),
      "exact", 0.95, 20, 1000, 5_000_000_000_000L, "log: the newest 1000 answered calls", 300_000);

  static EvalSummary summary() {
    List<EvalTable.Result> rows = new ArrayList<>(EvalSummaryTest.answers("gpt-4o", 20, 20, 1_000_000L));
    rows.addAll(EvalSummaryTest.answers("gpt-4o-mini", 20, 20, 60_000L));
    rows.addAll(EvalSummaryTest.answers("gpt-4.1-nano", 20, 15, 40_000L));
    return EvalSummary.of(RUN, EvalSummaryTest.items(20), rows, SPEC.models(), "exact", 0.95, 300_000);
  }

  @Test
  void the_json_report_has_what_scripts_read() {
    JsonNode j = EvalReport.json(summary(), SPEC);
    assertEquals("classify", j.path("pattern").asText());
    assertEquals("gpt-4o", j.path("current_model").asText());
    assertEquals("gpt-4o-mini", j.path("verdict").path("model").asText());
    // (1,000,000 − 60,000) pico × 300,000 calls = $0.282
    assertEquals("0.282", j.path("verdict").path("monthly_saving_usd").decimalValue().stripTrailingZeros()
        .toPlainString());
    JsonNode nano = j.path("candidates").path(2);
    assertEquals("gpt-4.1-nano", nano.path("model").asText());
    assertEquals(0.75, nano.path("pass_rate").asDouble(), 1e-9);
    assertEquals("0.00004", nano.path("cost_per_1k_usd").decimalValue().stripTrailingZeros().toPlainString());
    assertTrue(nano.has("quality"));
    assertEquals("/tokenwise/api/evals/ev-9", j.path("rows").asText());
  }

  @Test
  void the_markdown_report_gives_the_verdict_with_its_arithmetic_and_every_model() {
    String md = EvalReport.markdown(summary(), SPEC, "ev-9.svg");
    assertTrue(md.contains("**Switch to `gpt-4o-mini`**"), md);
    assertTrue(md.contains("saves $0.282 a month"), md);
    assertTrue(md.contains("| 3 | `gpt-4.1-nano` | 0.813 | 75.0 % (15/20) |"), md);
    assertTrue(md.contains("below the bar"), md);
    assertTrue(md.contains("![pass rate against cost per 1,000 calls](ev-9.svg)"), md);
  }

  @Test
  void the_scatter_is_well_formed_svg_with_the_bar_and_every_model() throws Exception {
    String svg = EvalChart.svg(summary());
    DocumentBuilderFactory.newInstance().newDocumentBuilder()
        .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
    assertTrue(svg.contains("quality bar 95.0 %"));
    // costs per 1,000 calls of $0.00004 to $0.001: ticks a power of ten apart, in dollars
    assertTrue(svg.contains(">$0.00001<") && svg.contains(">$0.0001<") && svg.contains(">$0.001<"), svg);
    assertTrue(svg.contains("stroke-dasharray"));
    assertEquals(3, svg.split("<circle cx=\"[0-9]+\" cy=\"[0-9]+\" r=\"6\"", -1).length - 1, "one point a model");
    assertTrue(svg.contains("gpt-4o-mini (verdict)"));
    assertTrue(svg.contains("gpt-4o (in use)"));
    assertEquals(svg, EvalChart.svg(summary()), "the same figures give the same bytes");
  }
}
