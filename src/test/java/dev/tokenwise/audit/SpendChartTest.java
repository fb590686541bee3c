package dev.tokenwise.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpendChartTest {
  private static final List<AuditReport.DaySpend> DAYS = ReportFixtures.report().daily();

  @Test
  void gives_the_same_bytes_for_the_same_series_in_any_order() {
    List<AuditReport.DaySpend> shuffled = new ArrayList<>(DAYS);
    Collections.reverse(shuffled);
    assertEquals(SpendChart.svg(DAYS), SpendChart.svg(shuffled));
  }

  @Test
  void has_dollar_ticks_dates_and_hover_titles() throws Exception {
    String svg = SpendChart.svg(DAYS);
    HtmlReportTest.parse(svg);
    // the highest day is $6.54: ticks every $2 up to $8
    for (String tick : List.of("$0.00", "$2.00", "$4.00", "$6.00", "$8.00")) {
      assertTrue(svg.contains(">" + tick + "</text>"), tick);
    }
    assertTrue(svg.contains(">05-01</text>"));
    assertTrue(svg.contains("<title>2025-05-30: $6.54</title>"));
    assertTrue(svg.contains("<title>2025-05-30 · faq-bot: $3.29 of $6.54</title>"));
    assertTrue(svg.contains("&lt;script&gt;"));
  }

  @Test
  void leaves_an_empty_slot_for_a_day_without_calls() {
    List<AuditReport.DaySpend> gap = List.of(
        new AuditReport.DaySpend(LocalDate.of(2025, 5, 1), Map.of("a", 1_000_000_000_000L)),
        new AuditReport.DaySpend(LocalDate.of(2025, 5, 4), Map.of("a", 2_000_000_000_000L)));
    String svg = SpendChart.svg(gap);
    assertEquals(2, svg.split("<g class=\"bar\">", -1).length - 1);
    assertTrue(svg.contains(">05-04</text>"));
  }

  @Test
  void says_so_when_nothing_was_spent() {
    assertTrue(SpendChart.svg(List.of()).contains(">no spend in this period</text>"));
    assertTrue(SpendChart.svg(List.of(new AuditReport.DaySpend(LocalDate.of(2025, 5, 1), Map.of("a", 0L))))
        .contains("no spend in this period"));
  }

  @Test
  void ticks_step_by_one_two_or_five_times_a_power_of_ten() {
    assertEquals(2_000_000_000_000L, SpendChart.step(6_540_000_000_000L));
    assertEquals(5_000_000_000_000L, SpendChart.step(12_000_000_000_000L));
    assertEquals(10, SpendChart.step(40));
    assertEquals(1, SpendChart.step(1));
  }
}
