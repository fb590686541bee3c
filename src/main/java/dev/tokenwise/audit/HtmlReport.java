package dev.tokenwise.audit;

import dev.tokenwise.audit.ReportDoc.Align;
import dev.tokenwise.audit.ReportDoc.Block;
import dev.tokenwise.audit.ReportDoc.Item;
import dev.tokenwise.audit.ReportDoc.Line;
import dev.tokenwise.audit.ReportDoc.Span;
import java.util.List;

/**
 * The audit report as one self-contained HTML page: an inline style sheet, the spend chart as inline
 * SVG, no script and nothing fetched. The markup is also well-formed XML (every element closed, only
 * XML's own entities), so it can be checked or transformed as XHTML.
 */
public final class HtmlReport {
  private static final String STYLE = """
      body{margin:0;background:#fff;color:#1f2328;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,\
      "Helvetica Neue",Arial,sans-serif}
      main{max-width:62rem;margin:0 auto;padding:2rem 1.25rem 4rem}
      h1{font-size:1.9rem;margin:0 0 .4rem}
      h2{font-size:1.4rem;margin:2.6rem 0 .8rem;padding-bottom:.3rem;border-bottom:1px solid #d8dee4}
      h3{font-size:1.15rem;margin:1.8rem 0 .5rem}
      h4{font-size:1rem;margin:1.5rem 0 .3rem}
      p,ul,ol{margin:.4rem 0 .8rem}
      li{margin:.15rem 0}
      table{border-collapse:collapse;margin:.6rem 0 1rem;font-variant-numeric:tabular-nums}
      th,td{border:1px solid #d8dee4;padding:.3rem .7rem;text-align:left;vertical-align:top}
      th{background:#f6f8fa;font-weight:600}
      tbody tr:nth-child(even) td{background:#fafbfc}
      .num{text-align:right;white-space:nowrap}
      code{font:.88em ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;background:#eff2f5;\
      padding:.1em .35em;border-radius:4px}
      pre{background:#f6f8fa;border:1px solid #d8dee4;border-radius:6px;padding:.75rem 1rem;overflow:auto}
      pre code{background:none;padding:0}
      .tag{display:inline-block;padding:0 .5em;border:1px solid;border-radius:1em;font-size:.85em;font-weight:600;\
      white-space:nowrap}
      .tag-open{color:#0550ae;background:#ddf4ff;border-color:#54aeff}
      .tag-eval{color:#7d4e00;background:#fff8c5;border-color:#d4a72c}
      .tag-applied{color:#116329;background:#dafbe1;border-color:#4ac26b}
      .tag-blocked{color:#a40e26;background:#ffebe9;border-color:#ff8182}
      .tag-note,.tag-other{color:#424a53;background:#f6f8fa;border-color:#afb8c1}
      .tag-safe{color:#116329;background:#dafbe1;border-color:#4ac26b}
      .tag-risky{color:#953800;background:#fff1e5;border-color:#fb8f44}
      figure.chart{margin:.6rem 0 1.2rem;overflow-x:auto}
      figure.chart svg{max-width:100%;height:auto}
      """;

  private HtmlReport() {}

  /** The report as an HTML page. */
  public static String write(AuditReport report) {
    StringBuilder out = new StringBuilder(32_768);
    out.append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n")
        .append("<meta charset=\"utf-8\"/>\n")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
        .append("<title>").append(escape("tokenwise cost audit, " + Figures.period(report.period())))
        .append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<main>\n");
    for (Block b : ReportContent.of(report)) {
      block(b, out);
    }
    return out.append("</main>\n</body>\n</html>\n").toString();
  }

  private static void block(Block b, StringBuilder out) {
    switch (b) {
      case ReportDoc.Heading h -> {
        out.append("<h").append(h.level());
        if (h.anchor() != null) {
          out.append(" id=\"").append(escape(h.anchor())).append('"');
        }
        out.append('>').append(escape(h.text())).append("</h").append(h.level()).append(">\n");
      }
      case ReportDoc.Para p -> out.append("<p>").append(inline(p.line())).append("</p>\n");
      case ReportDoc.Items l -> {
        String tag = l.numbered() ? "ol" : "ul";
        out.append('<').append(tag).append(">\n");
        for (Item i : l.items()) {
          out.append("<li>").append(inline(i.line()));
          if (!i.sub().isEmpty()) {
            out.append("\n<ul>\n");
            i.sub().forEach(s -> out.append("<li>").append(inline(s)).append("</li>\n"));
            out.append("</ul>\n");
          }
          out.append("</li>\n");
        }
        out.append("</").append(tag).append(">\n");
      }
      case ReportDoc.Table t -> table(t, out);
      case ReportDoc.Code c -> out.append("<pre><code class=\"language-").append(escape(c.language())).append("\">")
          .append(escape(c.text())).append("</code></pre>\n");
      case ReportDoc.Plot p -> out.append("<figure class=\"chart\">\n").append(p.svg()).append("<figcaption>")
          .append(escape(p.caption())).append("</figcaption></figure>\n");
      case ReportDoc.Chart c -> out.append("<figure class=\"chart\">\n").append(SpendChart.svg(c.days()))
          .append("</figure>\n");
    }
  }

  private static void table(ReportDoc.Table t, StringBuilder out) {
    out.append("<table>\n<thead>\n<tr>");
    for (int i = 0; i < t.headers().size(); i++) {
      out.append("<th").append(cls(t.align().get(i))).append('>').append(escape(t.headers().get(i))).append("</th>");
    }
    out.append("</tr>\n</thead>\n<tbody>\n");
    for (List<Line> row : t.rows()) {
      out.append("<tr>");
      for (int i = 0; i < row.size(); i++) {
        out.append("<td").append(cls(t.align().get(i))).append('>').append(inline(row.get(i))).append("</td>");
      }
      out.append("</tr>\n");
    }
    out.append("</tbody>\n</table>\n");
  }

  private static String cls(Align a) {
    return a == Align.RIGHT ? " class=\"num\"" : "";
  }

  private static String inline(Line line) {
    StringBuilder out = new StringBuilder();
    for (Span s : line.spans) {
      String t = escape(s.text());
      switch (s.kind()) {
        case TEXT -> out.append(t);
        case STRONG -> out.append("<strong>").append(t).append("</strong>");
        case CODE -> out.append("<code>").append(t).append("</code>");
        case TAG -> out.append("<span class=\"tag tag-").append(escape(s.css())).append("\">").append(t)
            .append("</span>");
      }
    }
    return out.toString();
  }

  /**
   * Text as HTML and XML both read it: the five markup characters as entities, and the characters XML
   * forbids (controls other than tab and newline) dropped.
   */
  static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> {
          if (c >= 0x20 && c != 0xfffe && c != 0xffff || c == '\t' || c == '\n' || c == '\r') {
            out.append(c);
          }
        }
      }
    }
    return out.toString();
  }
}
