package dev.tokenwise.audit;

import java.util.ArrayList;
import java.util.List;

/**
 * The audit report as a short list of blocks (headings, paragraphs, lists, tables, code, the chart) that
 * {@link MarkdownReport} and {@link HtmlReport} both render, so that the two say the same thing.
 * Texts are raw: each writer escapes for its own format.
 */
final class ReportDoc {
  private ReportDoc() {}

  /** How a piece of text is shown. {@code TAG} is a status or risk label, coloured in HTML. */
  enum Kind { TEXT, STRONG, CODE, TAG }

  /** A piece of text; {@code css} names a TAG's colour in HTML. */
  record Span(Kind kind, String text, String css) {}

  /** A line of spans, built in order: {@code new Line().text("saves ").strong("$3.00")}. */
  static final class Line {
    final List<Span> spans = new ArrayList<>();

    Line text(String s) {
      spans.add(new Span(Kind.TEXT, s, null));
      return this;
    }

    Line strong(String s) {
      spans.add(new Span(Kind.STRONG, s, null));
      return this;
    }

    Line code(String s) {
      spans.add(new Span(Kind.CODE, s, null));
      return this;
    }

    Line tag(String s, String css) {
      spans.add(new Span(Kind.TAG, s, css));
      return this;
    }

    static Line of(String s) {
      return new Line().text(s);
    }

    /** The line's text without its formatting. */
    String plain() {
      StringBuilder out = new StringBuilder();
      spans.forEach(s -> out.append(s.text()));
      return out.toString();
    }
  }

  enum Align { LEFT, RIGHT }

  /** One block of the report. */
  sealed interface Block permits Heading, Para, Items, Table, Code, Chart, Plot {}

  /** A heading; {@code anchor} is its HTML id. */
  record Heading(int level, String text, String anchor) implements Block {}

  record Para(Line line) implements Block {}

  /** A list item and the items under it. */
  record Item(Line line, List<Line> sub) {
    Item(Line line) {
      this(line, List.of());
    }
  }

  record Items(boolean numbered, List<Item> items) implements Block {}

  record Table(List<String> headers, List<Align> align, List<List<Line>> rows) implements Block {
    Table {
      if (headers.size() != align.size() || rows.stream().anyMatch(r -> r.size() != headers.size())) {
        throw new IllegalArgumentException("a table's rows must have one cell per header: " + headers);
      }
    }
  }

  record Code(String language, String text) implements Block {}

  /** The spend-per-day chart: HTML draws it, markdown leaves it to the sentence beside it. */
  record Chart(List<AuditReport.DaySpend> days) implements Block {}

  /** A ready SVG figure (an eval sweep's scatter): inline in HTML; markdown links the sweep instead. */
  record Plot(String svg, String caption) implements Block {}
}
