package dev.tokenwise.eval;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenwise.analytics.Cost;
import dev.tokenwise.core.Json;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * A sweep's report in markdown (for a terminal or a pull request) and JSON (for scripts). Both are made
 * from an {@link EvalSummary}, so from the stored rows; each figure can be read again at
 * {@code /tokenwise/api/evals/{id}}.
 */
public final class EvalReport {
  private EvalReport() {}

  /** The API path of a run's stored rows. */
  public static String apiPath(String runId) {
    return "/tokenwise/api/evals/" + runId;
  }

  /** The markdown report; {@code chartFile} is the SVG's file name to link, or null. */
  public static String markdown(EvalSummary s, EvalSpec spec, String chartFile) {
    StringBuilder b = new StringBuilder();
    b.append("# Eval sweep ").append(s.runId()).append(": pattern `").append(s.pattern()).append("`\n\n");
    b.append("- In use: `").append(s.currentModel()).append("`; ").append(s.items()).append(" items (")
        .append(spec.source()).append("); scorer `").append(s.scorer()).append("`; quality bar: a model passes ")
        .append(pct(s.threshold())).append(" of the items or more\n");
    b.append("- Status: ").append(s.status()).append("; the sweep spent ").append(usd(s.spentPicoUsd()))
        .append(" (calls and grading)\n");
    b.append("- Volume: ").append(String.format(Locale.ROOT, "%,d", s.monthlyCalls()))
        .append(" calls of this pattern in the last 30 days\n\n");
    b.append("## Verdict\n\n");
    EvalSummary.Verdict v = s.verdict();
    if (v.model() == null) {
      b.append("No verdict: ").append(v.reason()).append(".\n\n");
    } else if (v.keepCurrent()) {
      b.append("**Keep `").append(v.model()).append("`**: ").append(v.reason()).append(".\n\n");
    } else {
      b.append("**Switch to `").append(v.model()).append("`**: ").append(v.reason()).append("; it saves ")
          .append(usd(v.monthlySavingPicoUsd())).append(" a month at the pattern's volume ((")
          .append(usd(per1k(s, s.currentModel()))).append(" − ").append(usd(per1k(s, v.model())))
          .append(") per 1,000 calls × ").append(String.format(Locale.ROOT, "%,d", s.monthlyCalls()))
          .append(" calls).\n\n");
    }
    b.append("| # | model | quality | pass rate | cost / 1k calls | latency p50 | latency p95 | failed | verdict |\n");
    b.append("|---|---|---:|---:|---:|---:|---:|---:|---|\n");
    int n = 1;
    for (EvalSummary.ModelFigures m : s.models()) {
      String mark = m.current() ? "in use" : "";
      if (m.model().equals(v.model())) {
        mark = v.keepCurrent() ? "in use, keep" : "**cheapest that passes**";
      } else if (m.missing() > 0) {
        mark = (mark.isEmpty() ? "" : mark + "; ") + m.missing() + " not run";
      } else if (!m.passes(s.threshold())) {
        mark = (mark.isEmpty() ? "" : mark + "; ") + "below the bar";
      } else if (mark.isEmpty()) {
        mark = "passes";
      }
      b.append("| ").append(n++).append(" | `").append(m.model()).append("` | ")
          .append(String.format(Locale.ROOT, "%.3f", m.quality())).append(" | ").append(pct(m.passRate()))
          .append(" (").append(m.passed()).append('/').append(s.items()).append(") | ")
          .append(m.costPer1kPicoUsd() == null ? "unknown" : usd(m.costPer1kPicoUsd())).append(" | ")
          .append(m.latencyP50Millis()).append(" ms | ").append(m.latencyP95Millis()).append(" ms | ")
          .append(m.failed()).append(" | ").append(mark).append(" |\n");
    }
    b.append('\n');
    if (chartFile != null) {
      b.append("![pass rate against cost per 1,000 calls](").append(chartFile).append(")\n\n");
    }
    b.append("Quality is the mean score of the answered items (0 to 1); the pass rate counts a failed call as an item "
        + "not passed. Cost per 1,000 calls is the mean cost of the model's answered calls × 1,000. Every figure is "
        + "recomputed from the stored run: `").append(apiPath(s.runId())).append("`, or `tokenwise eval --show ")
        .append(s.runId()).append("`.\n");
    return b.toString();
  }

  /** The JSON report. */
  public static ObjectNode json(EvalSummary s, EvalSpec spec) {
    ObjectNode o = Json.object();
    o.put("id", s.runId());
    o.put("pattern", s.pattern());
    o.put("current_model", s.currentModel());
    o.put("status", s.status());
    o.put("scorer", s.scorer());
    o.put("threshold", s.threshold());
    o.put("items", s.items());
    o.put("source", spec.source());
    o.put("monthly_calls", s.monthlyCalls());
    EvalSummary.Verdict v = s.verdict();
    ObjectNode verdict = o.putObject("verdict");
    if (v.model() == null) {
      verdict.putNull("model");
    } else {
      verdict.put("model", v.model());
    }
    verdict.put("keep_current", v.keepCurrent());
    verdict.put("monthly_saving_usd", Cost.toUsd(v.monthlySavingPicoUsd()));
    verdict.put("monthly_saving_pico_usd", v.monthlySavingPicoUsd());
    verdict.put("reason", v.reason());
    ArrayNode candidates = o.putArray("candidates");
    for (EvalSummary.ModelFigures m : s.models()) {
      ObjectNode c = candidates.addObject();
      c.put("model", m.model());
      c.put("current", m.current());
      c.put("quality", round(m.quality()));
      c.put("pass_rate", round(m.passRate()));
      c.put("passed", m.passed());
      c.put("answered", m.answered());
      c.put("failed", m.failed());
      c.put("missing", m.missing());
      if (m.costPer1kPicoUsd() == null) {
        c.putNull("cost_per_1k_usd");
        c.putNull("cost_per_1k_pico_usd");
      } else {
        c.put("cost_per_1k_usd", Cost.toUsd(m.costPer1kPicoUsd()));
        c.put("cost_per_1k_pico_usd", m.costPer1kPicoUsd());
      }
      c.put("latency_p50_ms", m.latencyP50Millis());
      c.put("latency_p95_ms", m.latencyP95Millis());
      c.put("passes", m.passes(s.threshold()));
      c.put("spent_pico_usd", m.spentPicoUsd());
    }
    o.put("spent_usd", Cost.toUsd(s.spentPicoUsd()));
    o.put("spent_pico_usd", s.spentPicoUsd());
    o.put("rows", apiPath(s.runId()));
    return o;
  }

  private static Long per1k(EvalSummary s, String model) {
    EvalSummary.ModelFigures m = s.model(model);
    return m == null ? null : m.costPer1kPicoUsd();
  }

  private static double round(double d) {
    return BigDecimal.valueOf(d).setScale(4, RoundingMode.HALF_EVEN).doubleValue();
  }

  /** Dollars: cents from $1 up, four significant places below. */
  public static String usd(Long pico) {
    if (pico == null) {
      return "unknown";
    }
    BigDecimal usd = Cost.toUsd(pico);
    if (usd.abs().compareTo(BigDecimal.ONE) >= 0) {
      return "$" + String.format(Locale.ROOT, "%,.2f", usd);
    }
    if (usd.signum() == 0) {
      return "$0";
    }
    return "$" + usd.round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f %%", share * 100);
  }
}
