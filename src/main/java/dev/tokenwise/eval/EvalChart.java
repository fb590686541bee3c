package dev.tokenwise.eval;

import java.util.List;
import java.util.Locale;

/**
 * A sweep's cost-quality scatter as an inline SVG, 640 × 360: one point per model at its cost per 1,000
 * calls (a log scale: candidates are often 5 to 30 times apart) and its pass rate, the quality bar as a
 * dashed line, the current model ringed and the verdict's model filled green. No script, no fonts to
 * fetch; the same summary always gives the same bytes.
 */
public final class EvalChart {
  static final int WIDTH = 640;
  static final int HEIGHT = 360;
  private static final int LEFT = 64;
  private static final int RIGHT = 440;
  private static final int TOP = 24;
  private static final int BOTTOM = 300;
  private static final String FONT = "system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif";

  private EvalChart() {}

  /** The scatter of a summary's models that have a cost. */
  public static String svg(EvalSummary s) {
    List<EvalSummary.ModelFigures> points = s.models().stream().filter(m -> m.costPer1kPicoUsd() != null
        && m.costPer1kPicoUsd() > 0).toList();
    StringBuilder b = new StringBuilder();
    b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT).append("\" font-family=\"").append(FONT)
        .append("\" font-size=\"11\" role=\"img\" aria-label=\"pass rate against cost per 1,000 calls for pattern ")
        .append(esc(s.pattern())).append("\">\n");
    b.append("<title>").append(esc(s.pattern())).append(": pass rate against cost per 1,000 calls</title>\n");
    b.append("<rect x=\"0\" y=\"0\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
        .append("\" fill=\"#ffffff\"/>\n");
    if (points.isEmpty()) {
      b.append("<text x=\"").append(WIDTH / 2).append("\" y=\"").append(HEIGHT / 2)
          .append("\" text-anchor=\"middle\">no model answered with a known price</text>\n</svg>\n");
      return b.toString();
    }
    double lo = Math.log10(points.stream().mapToLong(EvalSummary.ModelFigures::costPer1kPicoUsd).min().orElse(1));
    double hi = Math.log10(points.stream().mapToLong(EvalSummary.ModelFigures::costPer1kPicoUsd).max().orElse(1));
    lo = Math.floor(lo);
    hi = Math.max(lo + 1, Math.ceil(hi));
    // axes
    b.append(line(LEFT, BOTTOM, RIGHT, BOTTOM, "#333333", false)).append(line(LEFT, TOP, LEFT, BOTTOM, "#333333", false));
    for (int pct = 0; pct <= 100; pct += 20) {
      int y = y(pct / 100.0);
      b.append(line(LEFT - 4, y, RIGHT, y, "#e6e6e6", false));
      b.append(text(LEFT - 8, y + 4, "end", pct + " %"));
    }
    for (double d = lo; d <= hi + 1e-9; d++) {
      int x = x(d, lo, hi);
      b.append(line(x, BOTTOM, x, BOTTOM + 4, "#333333", false));
      b.append(text(x, BOTTOM + 18, "middle", usd(Math.pow(10, d) / 1e12)));
    }
    b.append(text((LEFT + RIGHT) / 2, HEIGHT - 12, "middle", "cost per 1,000 calls (USD, log scale)"));
    b.append("<text x=\"16\" y=\"").append((TOP + BOTTOM) / 2).append("\" text-anchor=\"middle\" transform=\"rotate(-90 16 ")
        .append((TOP + BOTTOM) / 2).append(")\">pass rate</text>\n");
    // the bar
    int bar = y(s.threshold());
    b.append(line(LEFT, bar, RIGHT, bar, "#c0392b", true));
    b.append(text(LEFT + 6, bar - 5, "start", "quality bar " + pct(s.threshold())));
    // the points, each with a label in the legend column
    int row = 0;
    for (EvalSummary.ModelFigures m : points) {
      int px = x(Math.log10(m.costPer1kPicoUsd()), lo, hi);
      int py = y(m.passRate());
      boolean winner = s.verdict().model() != null && s.verdict().model().equals(m.model());
      String fill = winner ? "#2e8b57" : m.passes(s.threshold()) ? "#4e79a7" : "#9aa5b1";
      b.append("<g><title>").append(esc(m.model())).append(": pass rate ").append(pct(m.passRate()))
          .append(", quality ").append(String.format(Locale.ROOT, "%.3f", m.quality())).append(", ")
          .append(usd(m.costPer1kPicoUsd() / 1e12)).append(" per 1,000 calls</title>");
      b.append("<circle cx=\"").append(px).append("\" cy=\"").append(py).append("\" r=\"6\" fill=\"").append(fill)
          .append("\"").append(m.current() ? " stroke=\"#111111\" stroke-width=\"2.5\"" : "").append("/>");
      b.append(text(px + 9, py - 7, "start", String.valueOf(row + 1))).append("</g>\n");
      int ly = TOP + 8 + row * 18;
      b.append("<circle cx=\"").append(RIGHT + 24).append("\" cy=\"").append(ly - 4).append("\" r=\"5\" fill=\"")
          .append(fill).append("\"").append(m.current() ? " stroke=\"#111111\" stroke-width=\"2\"" : "").append("/>");
      b.append(text(RIGHT + 34, ly, "start", (row + 1) + " " + shorten(m.model())
          + (m.current() ? " (in use)" : winner ? " (verdict)" : "")));
      row++;
    }
    b.append("</svg>\n");
    return b.toString();
  }

  private static int x(double log, double lo, double hi) {
    return (int) Math.round(LEFT + 12 + (RIGHT - LEFT - 24) * (log - lo) / (hi - lo));
  }

  private static int y(double share) {
    return (int) Math.round(BOTTOM - (BOTTOM - TOP) * Math.max(0, Math.min(1, share)));
  }

  private static String line(int x1, int y1, int x2, int y2, String colour, boolean dashed) {
    return "<line x1=\"" + x1 + "\" y1=\"" + y1 + "\" x2=\"" + x2 + "\" y2=\"" + y2 + "\" stroke=\"" + colour + "\""
        + (dashed ? " stroke-dasharray=\"6 4\" stroke-width=\"1.5\"" : "") + "/>\n";
  }

  private static String text(int x, int y, String anchor, String s) {
    return "<text x=\"" + x + "\" y=\"" + y + "\" text-anchor=\"" + anchor + "\">" + esc(s) + "</text>\n";
  }

  private static String usd(double usd) {
    if (usd >= 1) {
      return String.format(Locale.ROOT, "$%,.2f", usd);
    }
    return "$" + new java.math.BigDecimal(usd).round(new java.math.MathContext(2)).stripTrailingZeros().toPlainString();
  }

  private static String pct(double share) {
    return String.format(Locale.ROOT, "%.1f %%", share * 100);
  }

  private static String shorten(String model) {
    return model.length() > 26 ? model.substring(0, 25) + "…" : model;
  }

  static String esc(String s) {
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
