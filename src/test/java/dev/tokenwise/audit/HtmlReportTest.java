package dev.tokenwise.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

class HtmlReportTest {
  private static final String XHTML = "http://www.w3.org/1999/xhtml";
  private static final String SVG = "http://www.w3.org/2000/svg";
  private static final String HTML = HtmlReport.write(ReportFixtures.report());

  @Test
  void is_well_formed_xhtml() throws Exception {
    Document doc = parse(HTML);
    assertEquals("html", doc.getDocumentElement().getLocalName());
    assertEquals(XHTML, doc.getDocumentElement().getNamespaceURI());
    parse(HtmlReport.write(ReportFixtures.empty()));
  }

  @Test
  void is_self_contained_without_script() {
    assertFalse(HTML.contains("<script"), "the pattern named <script> is escaped, and no script is needed");
    assertFalse(HTML.contains("<link"));
    assertFalse(HTML.contains("src="));
    assertFalse(HTML.contains("http://") && HTML.replace(XHTML, "").replace(SVG, "").contains("http"));
    assertTrue(HTML.contains("<style>"));
    assertTrue(HTML.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
  }

  @Test
  void carries_the_same_headings_as_the_markdown() throws Exception {
    List<String> md = new ArrayList<>();
    for (String line : MarkdownReport.write(ReportFixtures.report()).split("\n")) {
      if (line.matches("#{1,4} .*")) {
        md.add(line.substring(line.indexOf(' ') + 1).replaceAll("\\\\(.)", "$1"));
      }
    }
    List<String> html = new ArrayList<>();
    NodeList all = parse(HTML).getElementsByTagNameNS(XHTML, "*");
    for (int i = 0; i < all.getLength(); i++) {
      if (all.item(i).getLocalName().matches("h[1-4]")) {
        html.add(all.item(i).getTextContent());
      }
    }
    assertEquals(md, html);
    assertTrue(html.contains("3. <script>alert(1)</script>"));
  }

  @Test
  void shows_money_status_risk_and_the_policy() {
    assertTrue(HTML.contains("<td class=\"num\"><strong>$205.00</strong></td>"));
    assertTrue(HTML.contains("Saves <strong>$43.20 a month</strong> · status: <span class=\"tag tag-open\">open</span>"
        + " · <span class=\"tag tag-safe\">does not change answers</span>"));
    assertTrue(HTML.contains("<span class=\"tag tag-eval\">needs eval</span> · <span class=\"tag tag-risky\">changes"
        + " answers</span>"));
    assertTrue(HTML.contains("<span class=\"tag tag-applied\">applied</span>"));
    assertTrue(HTML.contains("<span class=\"tag tag-blocked\">blocked</span>"));
    assertTrue(HTML.contains("<pre><code class=\"language-yaml\">- match: { pattern: faq-bot }\n"
        + "  cache: { exact: true, ttl: 1h }\n</code></pre>"));
    assertTrue(HTML.contains("<td class=\"num\">~$20.00</td>"));
  }

  @Test
  void draws_one_bar_group_per_day_and_a_legend_entry_per_pattern() throws Exception {
    Element svg = (Element) parse(HTML).getElementsByTagNameNS(SVG, "svg").item(0);
    assertEquals("800", svg.getAttribute("width"));
    assertEquals("300", svg.getAttribute("height"));
    List<Element> bars = groups(svg, "bar");
    assertEquals(30, bars.size());
    for (Element bar : bars) {
      assertEquals("title", ((Element) bar.getElementsByTagNameNS(SVG, "*").item(0)).getLocalName());
      NodeList rects = bar.getElementsByTagNameNS(SVG, "rect");
      for (int i = 0; i < rects.getLength(); i++) {
        assertTrue(((Element) rects.item(i)).getElementsByTagNameNS(SVG, "title").getLength() == 1);
      }
    }
    assertEquals(3, bars.get(0).getElementsByTagNameNS(SVG, "rect").getLength(), "no spend, no segment");
    assertEquals(4, bars.get(29).getElementsByTagNameNS(SVG, "rect").getLength());
    List<String> legend = groups(svg, "legend-item").stream()
        .map(g -> g.getElementsByTagNameNS(SVG, "title").item(0).getTextContent()).toList();
    assertEquals(List.of(ReportFixtures.FAQ, ReportFixtures.PIPE, ReportFixtures.SCRIPT, AuditReport.OTHER), legend);
  }

  @Test
  void an_empty_report_says_there_was_no_spend() {
    String html = HtmlReport.write(ReportFixtures.empty());
    assertTrue(html.contains("no spend in this period"));
    assertTrue(html.contains("<p>No pattern had calls in this period.</p>"));
  }

  @Test
  void escapes_the_five_markup_characters_and_drops_what_xml_forbids() {
    assertEquals("&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;", HtmlReport.escape("<a href=\"x\">&'</a>"));
    assertEquals("ab\n", HtmlReport.escape("a\u0000b\n"));
  }

  static Document parse(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static List<Element> groups(Element svg, String cls) {
    List<Element> out = new ArrayList<>();
    NodeList g = svg.getElementsByTagNameNS(SVG, "g");
    for (int i = 0; i < g.getLength(); i++) {
      Node n = g.item(i);
      if (cls.equals(((Element) n).getAttribute("class"))) {
        out.add((Element) n);
      }
    }
    return out;
  }
}
