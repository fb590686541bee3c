package dev.tokenwise.audit;

import static dev.tokenwise.audit.Figures.count;

import dev.tokenwise.audit.AuditReport.ShadowTest;
import dev.tokenwise.audit.ReportDoc.Align;
import dev.tokenwise.audit.ReportDoc.Block;
import dev.tokenwise.audit.ReportDoc.Heading;
import dev.tokenwise.audit.ReportDoc.Item;
import dev.tokenwise.audit.ReportDoc.Items;
import dev.tokenwise.audit.ReportDoc.Line;
import dev.tokenwise.audit.ReportDoc.Para;
import dev.tokenwise.audit.ReportDoc.Table;
import dev.tokenwise.store.ShadowSummary;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The "Shadow tests" section of the markdown and HTML reports, and its one-line readings (which the JSON
 * report carries too): per pattern with pairs in the period, each candidate model's running quality and
 * cost against production, from the pairs' own figures.
 */
final class ShadowContent {
  private ShadowContent() {}

  /** The section, when any shadow test has pairs in the period. */
  static void add(AuditReport r, List<Block> out) {
    if (r.shadows().isEmpty()) {
      return;
    }
    out.add(new Heading(2, "Shadow tests", "shadow-tests"));
    out.add(new Para(new Line().text("Live calls copied in the background to a candidate model (policy key ")
        .code("shadow").text("), the production answer the reference. Costs per 1,000 calls are over the pairs"
            + " where both calls have a price and the copy answered; shadow spend is what the copies and their"
            + " scoring cost, counted apart from the calls above and capped per day.")));
    Map<String, List<ShadowTest>> byPattern = new LinkedHashMap<>();
    r.shadows().forEach(t -> byPattern.computeIfAbsent(t.pairs().pattern(), k -> new ArrayList<>()).add(t));
    int n = 0;
    for (Map.Entry<String, List<ShadowTest>> e : byPattern.entrySet()) {
      out.add(new Heading(3, e.getKey(), "shadow-" + ++n));
      List<List<Line>> rows = new ArrayList<>();
      List<Item> readings = new ArrayList<>();
      for (ShadowTest t : e.getValue()) {
        ShadowSummary s = t.pairs();
        rows.add(List.of(new Line().code(s.candidateModel()), Line.of(count(s.pairs())), Line.of(count(s.scored())),
            Line.of(count(s.failed())), Line.of(s.meanScore() == null ? "—" : score(s.meanScore())),
            Line.of(s.passRate() == null ? "—" : percent(s.passRate())),
            Line.of(t.productionPer1000() == null ? "—" : money(t.productionPer1000())),
            Line.of(t.candidatePer1000() == null ? "—" : money(t.candidatePer1000())),
            Line.of(money(s.spendPicoUsd())),
            Line.of(t.dailyCapPicoUsd() == null ? "none now" : Dollars.of(t.dailyCapPicoUsd()))));
        readings.add(new Item(Line.of(reading(t))));
      }
      out.add(new Table(List.of("candidate", "pairs", "scored", "failed", "mean score", "pass rate",
          "production / 1,000 calls", "candidate / 1,000 calls", "shadow spend", "daily cap"),
          List.of(Align.LEFT, Align.RIGHT, Align.RIGHT, Align.RIGHT, Align.RIGHT, Align.RIGHT, Align.RIGHT, Align.RIGHT,
              Align.RIGHT, Align.RIGHT), rows));
      out.add(new Items(false, readings));
    }
  }

  /** One sentence: "gpt-4o-mini passes 96 % of 240 shadowed calls at 6 % of the cost". */
  static String reading(ShadowTest t) {
    ShadowSummary s = t.pairs();
    StringBuilder sb = new StringBuilder(s.candidateModel());
    if (s.scored() == 0) {
      sb.append(": ").append(count(s.pairs())).append(s.pairs() == 1 ? " shadowed call" : " shadowed calls")
          .append(", none scored yet");
    } else {
      sb.append(" passes ").append(percent(s.passRate())).append(" of ").append(count(s.scored()))
          .append(s.scored() == 1 ? " shadowed call" : " shadowed calls");
      Double share = t.costShare();
      sb.append(share == null ? " (its cost cannot be compared: no pair with both prices)"
          : " at " + percent(share) + " of the cost");
      sb.append(" (mean score ").append(score(s.meanScore())).append(')');
    }
    if (s.failed() > 0) {
      sb.append("; ").append(count(s.failed())).append(s.failed() == 1 ? " copy" : " copies").append(" got no answer");
    }
    return sb.append('.').toString();
  }

  /** A share as a whole percentage, with one decimal under 1 %: {@code 96 %}, {@code 6 %}, {@code 0.4 %}. */
  static String percent(double share) {
    BigDecimal p = BigDecimal.valueOf(share * 100);
    int scale = p.compareTo(BigDecimal.ONE) < 0 && p.signum() != 0 ? 1 : 0;
    return p.setScale(scale, RoundingMode.HALF_UP).toPlainString() + " %";
  }

  /**
   * Money as the audit shows it, except that an amount under $0.0001 keeps two significant digits
   * ({@code $0.000041}) rather than rounding to nothing: a shadow test's spend is often that small.
   */
  static String money(long picoUsd) {
    BigDecimal usd = dev.tokenwise.analytics.Cost.toUsd(picoUsd);
    if (usd.signum() == 0 || usd.abs().compareTo(new BigDecimal("0.0001")) >= 0) {
      return Dollars.of(picoUsd);
    }
    String digits = usd.abs().round(new java.math.MathContext(2, RoundingMode.HALF_UP)).stripTrailingZeros()
        .toPlainString();
    return (usd.signum() < 0 ? "-$" : "$") + digits;
  }

  /** A score with two decimals. */
  static String score(double score) {
    return BigDecimal.valueOf(score).setScale(2, RoundingMode.HALF_UP).toPlainString();
  }
}
