package dev.tokenwise.audit;

import dev.tokenwise.audit.ReportDoc.Align;
import dev.tokenwise.audit.ReportDoc.Block;
import dev.tokenwise.audit.ReportDoc.Item;
import dev.tokenwise.audit.ReportDoc.Line;
import dev.tokenwise.audit.ReportDoc.Span;
import java.util.List;

/**
 * The audit report as GitHub-flavoured markdown: tables, code fences, no HTML. Every text from the log
 * (pattern names, titles, notes) is escaped, so a pattern called {@code a|b} or {@code <b>} reads as
 * itself and cannot break a table.
 */
public final class MarkdownReport {
  /** Characters on a line of prose before it is broken at the next space. */
  static final int WIDTH = 100;

  private MarkdownReport() {}

  /** The report as markdown, ending in a newline. */
  public static String write(AuditReport report) {
    return write(report, WIDTH);
  }

  /** The same, prose broken into lines of about {@code width} characters. */
  static String write(AuditReport report, int width) {
    StringBuilder out = new StringBuilder();
    for (Block b : ReportContent.of(report)) {
      block(b, out, width);
    }
    while (out.length() > 1 && out.charAt(out.length() - 2) == '\n') {
      out.setLength(out.length() - 1);
    }
    return out.toString();
  }

  private static void block(Block b, StringBuilder out, int width) {
    switch (b) {
      case ReportDoc.Heading h -> out.append("#".repeat(h.level())).append(' ').append(text(h.text())).append("\n\n");
      case ReportDoc.Para p -> out.append(wrap(lineStart(inline(p.line(), false)), "", width)).append("\n\n");
      case ReportDoc.Items l -> {
        int n = 0;
        for (Item i : l.items()) {
          String marker = l.numbered() ? ++n + ". " : "- ";
          String indent = " ".repeat(marker.length());
          out.append(marker).append(wrap(lineStart(inline(i.line(), false)), indent, width)).append('\n');
          for (Line sub : i.sub()) {
            String text = wrap(lineStart(inline(sub, false)), indent + "  ", width);
            out.append(indent).append("- ").append(text).append('\n');
          }
        }
        out.append('\n');
      }
      case ReportDoc.Table t -> table(t, out);
      case ReportDoc.Code c -> {
        String fence = "`".repeat(Math.max(3, longestRun(c.text(), '`') + 1));
        out.append(fence).append(c.language()).append('\n').append(c.text());
        if (!c.text().endsWith("\n")) {
          out.append('\n');
        }
        out.append(fence).append("\n\n");
      }
      case ReportDoc.Chart c -> { } // the sentence before it says what markdown can
      case ReportDoc.Plot p -> { } // the finding's lines link the sweep's report
    }
  }

  private static void table(ReportDoc.Table t, StringBuilder out) {
    out.append('|');
    t.headers().forEach(h -> out.append(' ').append(text(h)).append(" |"));
    out.append("\n|");
    t.align().forEach(a -> out.append(a == Align.RIGHT ? " --: |" : " :-- |"));
    out.append('\n');
    for (List<Line> row : t.rows()) {
      out.append('|');
      row.forEach(cell -> out.append(' ').append(inline(cell, true)).append(" |"));
      out.append('\n');
    }
    out.append('\n');
  }

  private static String inline(Line line, boolean inTable) {
    StringBuilder out = new StringBuilder();
    Escape e = new Escape();
    for (Span s : line.spans) {
      String t = s.text().replace('\n', ' ').replace('\r', ' ');
      switch (s.kind()) {
        case TEXT -> out.append(e.text(t));
        case STRONG -> out.append("**").append(e.after('*').text(t)).append("**");
        case TAG -> out.append('*').append(e.after('*').text(t)).append('*');
        case CODE -> out.append(code(t, inTable));
      }
      e.after(out.isEmpty() ? ' ' : out.charAt(out.length() - 1));
    }
    return out.toString();
  }

  /** A code span; in a table a {@code |} is escaped even there, as GitHub requires. */
  static String code(String s, boolean inTable) {
    String body = inTable ? s.replace("|", "\\|") : s;
    String ticks = "`".repeat(longestRun(s, '`') + 1);
    boolean pad = body.startsWith("`") || body.endsWith("`");
    return ticks + (pad ? " " : "") + body + (pad ? " " : "") + ticks;
  }

  /** Text escaped on its own, as a heading or a table header. */
  static String text(String s) {
    return new Escape().text(s);
  }

  /**
   * Escapes markdown's active characters in the texts of one paragraph or table cell: emphasis, links,
   * code, HTML and table pipes always; an underscore only where it could start or end emphasis
   * ({@code max_tokens} stays as it is); a {@code $} or {@code ~} only where it could close GitHub's
   * inline math or strike-through, that is after a non-space and, for {@code $}, after an earlier one:
   * "$3.00 → $4.00" stays as it is, "$3.00, ~$4.00" becomes "$3.00, ~\$4.00".
   */
  private static final class Escape {
    private char before = ' ';
    private boolean dollar;

    Escape after(char c) {
      before = c;
      return this;
    }

    String text(String s) {
      StringBuilder out = new StringBuilder(s.length() + 8);
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        boolean spaceBefore = Character.isWhitespace(i == 0 ? before : s.charAt(i - 1));
        switch (c) {
          case '\\', '`', '*', '[', ']', '<', '>', '|', '#' -> out.append('\\').append(c);
          case '~' -> out.append(spaceBefore ? "~" : "\\~");
          case '$' -> {
            out.append(spaceBefore || !dollar ? "$" : "\\$");
            dollar = true;
          }
          case '_' -> {
            boolean inWord = i > 0 && i < s.length() - 1 && Character.isLetterOrDigit(s.charAt(i - 1))
                && Character.isLetterOrDigit(s.charAt(i + 1));
            out.append(inWord ? "_" : "\\_");
          }
          case '&' -> out.append(i + 1 < s.length() && (Character.isLetter(s.charAt(i + 1)) || s.charAt(i + 1) == '#')
              ? "\\&" : "&");
          default -> out.append(c);
        }
      }
      if (!s.isEmpty()) {
        before = s.charAt(s.length() - 1);
      }
      return out.toString();
    }
  }

  /**
   * Breaks a paragraph's markdown at spaces into lines of about {@code width} characters, each after the
   * first indented by {@code indent}; never inside a code span, nor before a word that would start a
   * list, a heading, a quote or a table row at the start of a line.
   */
  static String wrap(String md, String indent, int width) {
    StringBuilder out = new StringBuilder(md.length() + 16);
    int lineStart = 0;
    int lastBreak = -1;
    boolean inCode = false;
    for (int i = 0; i < md.length(); i++) {
      char c = md.charAt(i);
      if (c == '`' && (i == 0 || md.charAt(i - 1) != '\\' || inCode)) {
        inCode = !inCode;
      }
      if (c == ' ' && !inCode && i + 1 < md.length() && canStartLine(md, i + 1)) {
        lastBreak = out.length();
      }
      out.append(c);
      if (out.length() - lineStart > width && lastBreak > lineStart) {
        out.replace(lastBreak, lastBreak + 1, "\n" + indent);
        lineStart = lastBreak + 1;
        lastBreak = -1;
      }
    }
    return out.toString();
  }

  private static boolean canStartLine(String md, int at) {
    char c = md.charAt(at);
    if ("-+*#>=|".indexOf(c) >= 0 || c == ' ') {
      return false;
    }
    int digits = at;
    while (digits < md.length() && Character.isDigit(md.charAt(digits))) {
      digits++;
    }
    return digits == at || digits >= md.length() || (md.charAt(digits) != '.' && md.charAt(digits) != ')');
  }

  /** Escapes what would make the start of a paragraph a list, a heading or a rule: "1. ", "- ", "+ ", "=". */
  private static String lineStart(String s) {
    int digits = 0;
    while (digits < s.length() && Character.isDigit(s.charAt(digits))) {
      digits++;
    }
    if (digits > 0 && digits < s.length() && (s.charAt(digits) == '.' || s.charAt(digits) == ')')) {
      return s.substring(0, digits) + "\\" + s.substring(digits);
    }
    if (!s.isEmpty() && "-+=".indexOf(s.charAt(0)) >= 0) {
      return "\\" + s;
    }
    return s;
  }

  private static int longestRun(String s, char c) {
    int best = 0;
    int run = 0;
    for (int i = 0; i < s.length(); i++) {
      run = s.charAt(i) == c ? run + 1 : 0;
      best = Math.max(best, run);
    }
    return best;
  }
}
