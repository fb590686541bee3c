package dev.tokenwise.audit;

import dev.tokenwise.audit.AuditReport.DaySpend;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Spend per day as an inline SVG stacked-bar chart, 800 × 300: one bar per day (days without calls leave
 * their slot empty), one colour per top pattern and grey for the rest, dollar ticks, dates and a legend.
 * Every bar and segment has a {@code <title>} a browser shows on hover. The same series always gives the
 * same bytes.
 */
public final class SpendChart {
  static final int WIDTH = 800;
  static final int HEIGHT = 300;
  private static final int LEFT = 72;
  private static final int RIGHT = 596;
  private static final int TOP = 16;
  private static final int BOTTOM = 262;
  private static final int LEGEND_X = 616;
  private static final int LEGEND_CHARS = 24;
  private static final String[] COLOURS = {
      "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f"};
  private static final String OTHER_COLOUR = "#bab0ac";
  private static final String FONT = "system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif";

  private SpendChart() {}

  /** The chart of a daily series (any order), or a short SVG that says there was no spend. */
  public static String svg(List<DaySpend> daily) {
    List<DaySpend> days = daily.stream().sorted(Comparator.comparing(DaySpend::day)).toList();
    Map<String, Long> totals = new LinkedHashMap<>();
    long max = 0;
    for (DaySpend d : days) {
      long day = 0;
      for (Map.Entry<String, Long> e : d.picoUsdByPattern().entrySet()) {
        long v = Math.max(0, e.getValue());
        totals.merge(e.getKey(), v, Long::sum);
        day += v;
      }
      max = Math.max(max, day);
    }
    if (max == 0) {
      return empty();
    }
    List<String> series = series(totals);
    LocalDate first = days.get(0).day();
    LocalDate last = days.get(days.size() - 1).day();
    int slots = (int) ChronoUnit.DAYS.between(first, last) + 1;
    long step = step(max);
    long top = (max + step - 1) / step * step;

    StringBuilder out = new StringBuilder(16_384);
    out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
        .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
        .append("\" role=\"img\" font-family=\"").append(FONT).append("\" font-size=\"11\">\n")
        .append("<title>").append(HtmlReport.escape("Spend per day, " + first + " to " + last + ", by pattern"))
        .append("</title>\n");
    axes(out, top, step, first, slots);
    double slot = (double) (RIGHT - LEFT) / slots;
    double bar = Math.max(1, slot * 0.78);
    for (DaySpend d : days) {
      long dayTotal = Figures.total(d);
      double x = LEFT + ChronoUnit.DAYS.between(first, d.day()) * slot + (slot - bar) / 2;
      out.append("<g class=\"bar\"><title>").append(HtmlReport.escape(d.day() + ": " + Dollars.of(dayTotal)))
          .append("</title>\n");
      long below = 0;
      for (int i = 0; i < series.size(); i++) {
        long v = Math.max(0, d.picoUsdByPattern().getOrDefault(series.get(i), 0L));
        if (v == 0) {
          continue;
        }
        double y0 = y(below, top);
        double y1 = y(below + v, top);
        below += v;
        out.append("<rect x=\"").append(num(x)).append("\" y=\"").append(num(y1)).append("\" width=\"")
            .append(num(bar)).append("\" height=\"").append(num(y0 - y1)).append("\" fill=\"")
            .append(colour(series, i)).append("\"><title>")
            .append(HtmlReport.escape(d.day() + " · " + series.get(i) + ": " + Dollars.of(v) + " of "
                + Dollars.of(dayTotal)))
            .append("</title></rect>\n");
      }
      out.append("</g>\n");
    }
    legend(out, series);
    return out.append("</svg>\n").toString();
  }

  /** The series that spent something, largest first, the rest last. */
  private static List<String> series(Map<String, Long> totals) {
    List<String> out = new ArrayList<>();
    totals.entrySet().stream().filter(e -> e.getValue() > 0 && !e.getKey().equals(AuditReport.OTHER))
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> out.add(e.getKey()));
    if (totals.getOrDefault(AuditReport.OTHER, 0L) > 0) {
      out.add(AuditReport.OTHER);
    }
    return out;
  }

  private static String colour(List<String> series, int i) {
    return series.get(i).equals(AuditReport.OTHER) ? OTHER_COLOUR : COLOURS[i % COLOURS.length];
  }

  private static void axes(StringBuilder out, long top, long step, LocalDate first, int slots) {
    out.append("<g class=\"y-axis\" fill=\"#57606a\" text-anchor=\"end\">\n");
    for (long v = 0; v <= top; v += step) {
      double y = y(v, top);
      out.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(RIGHT).append("\" y1=\"").append(num(y))
          .append("\" y2=\"").append(num(y)).append("\" stroke=\"").append(v == 0 ? "#57606a" : "#d8dee4")
          .append("\"/>\n<text x=\"").append(LEFT - 6).append("\" y=\"").append(num(y + 4)).append("\">")
          .append(HtmlReport.escape(Dollars.of(v))).append("</text>\n");
    }
    out.append("</g>\n<g class=\"x-axis\" fill=\"#57606a\" text-anchor=\"middle\">\n");
    double slot = (double) (RIGHT - LEFT) / slots;
    int every = Math.max(1, (slots + 7) / 8);
    for (int i = 0; i < slots; i += every) {
      double x = LEFT + (i + 0.5) * slot;
      LocalDate day = first.plusDays(i);
      out.append("<line x1=\"").append(num(x)).append("\" x2=\"").append(num(x)).append("\" y1=\"").append(BOTTOM)
          .append("\" y2=\"").append(BOTTOM + 4).append("\" stroke=\"#57606a\"/>\n<text x=\"").append(num(x))
          .append("\" y=\"").append(BOTTOM + 17).append("\">")
          .append(String.format(Locale.ROOT, "%02d-%02d", day.getMonthValue(), day.getDayOfMonth()))
          .append("</text>\n");
    }
    out.append("<text x=\"").append((LEFT + RIGHT) / 2).append("\" y=\"").append(HEIGHT - 4)
        .append("\">day (UTC)</text>\n</g>\n");
  }

  private static void legend(StringBuilder out, List<String> series) {
    out.append("<g class=\"legend\" fill=\"#1f2328\">\n");
    for (int i = 0; i < series.size(); i++) {
      String name = series.get(i);
      int y = TOP + i * 20;
      String shown = name.length() > LEGEND_CHARS ? name.substring(0, LEGEND_CHARS - 1) + "…" : name;
      out.append("<g class=\"legend-item\"><title>").append(HtmlReport.escape(name)).append("</title><rect x=\"")
          .append(LEGEND_X).append("\" y=\"").append(y).append("\" width=\"12\" height=\"12\" fill=\"")
          .append(colour(series, i)).append("\"/><text x=\"").append(LEGEND_X + 18).append("\" y=\"").append(y + 10)
          .append("\">").append(HtmlReport.escape(shown)).append("</text></g>\n");
    }
    out.append("</g>\n");
  }

  private static String empty() {
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + WIDTH + "\" height=\"40\" viewBox=\"0 0 " + WIDTH
        + " 40\" role=\"img\" font-family=\"" + FONT + "\" font-size=\"13\">\n<title>Spend per day</title>\n"
        + "<text x=\"8\" y=\"24\" fill=\"#57606a\">no spend in this period</text>\n</svg>\n";
  }

  /** A tick step of 1, 2 or 5 times a power of ten that gives four or five ticks up to {@code max}. */
  static long step(long max) {
    long raw = Math.max(1, (max + 3) / 4);
    long power = 1;
    while (power <= raw / 10) {
      power *= 10;
    }
    for (long m : new long[] {1, 2, 5, 10}) {
      if (power * m >= raw) {
        return power * m;
      }
    }
    return power * 10;
  }

  private static double y(long v, long top) {
    return BOTTOM - (double) v * (BOTTOM - TOP) / top;
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.1f", v);
  }
}
