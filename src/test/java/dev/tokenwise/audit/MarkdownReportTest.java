package dev.tokenwise.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class MarkdownReportTest {
  /** Unwrapped, so that a sentence can be found whole. */
  private static final String MD = MarkdownReport.write(ReportFixtures.report(), Integer.MAX_VALUE);

  @Test
  void has_the_sections_in_reading_order() {
    int at = -1;
    for (String h : List.of("# tokenwise cost audit", "## Summary", "## Where the money went", "### By pattern",
        "### By model", "### By provider", "### By tenant", "## What grew", "## Top patterns", "## Recommendations",
        "## Already saved", "## Notes", "## How these figures are computed")) {
      int next = MD.indexOf("\n" + h + "\n");
      if (h.startsWith("# ")) {
        next = MD.startsWith(h + "\n") ? 0 : -1;
      }
      assertTrue(next > at, h + " missing or out of order");
      at = next;
    }
  }

  @Test
  void states_the_period_the_run_and_the_rows_read() {
    assertTrue(MD.contains("Period: **2025-05-01 – 2025-05-30 (30 days, UTC)** · previous period: 2025-04-01 –"
        + " 2025-04-30 (30 days, UTC)"), MD);
    assertTrue(MD.contains("Generated 2025-05-31 06:30 UTC · 10,000 calls read (8,000 in the previous period)"));
  }

  @Test
  void summary_gives_spend_against_before_the_projection_and_the_open_savings() {
    assertTrue(MD.contains("| **Spend** | **$205.00** | $164.00 | +25.0 % |"), MD);
    assertTrue(MD.contains("| Errors (status 400 or more) | 37 | 20 | +85.0 % |"));
    assertTrue(MD.contains("Projected monthly spend: **$205.00** (this period's spend × 30 days / 30 days)"));
    // 100.00 (needs eval) + 43.20 + 12.34 (blocked); the applied cap does not count
    assertTrue(MD.contains("Open findings could save **$155.54 a month** (3 findings"), MD);
    assertTrue(MD.contains("$43.20 safe to apply now with `tokenwise apply --all-safe`, $100.00 in model swaps that"
        + " need an eval first, $12.34 that change answers or cannot be applied yet."));
    assertTrue(MD.contains("1 recommendation is already in the config."));
    assertTrue(MD.contains("The tactics already saved **$50.00** this period (the calls as sent would have cost"
        + " $250.00; they cost $200.00): cache $30.00, context ~\\$20.00."), MD);
  }

  @Test
  void tables_have_one_cell_per_header_and_an_alignment_row() {
    List<List<String>> tables = tables(MD);
    assertEquals(8, tables.size(), "tables: " + tables.size());
    Pattern align = Pattern.compile("\\|( (:--|--:) \\|)+");
    for (List<String> t : tables) {
      int cells = cells(t.get(0));
      assertTrue(align.matcher(t.get(1)).matches(), t.get(1));
      for (String row : t) {
        assertEquals(cells, cells(row), "in " + row);
      }
    }
  }

  @Test
  void pattern_table_shows_ten_rows_and_sums_the_rest() {
    assertTrue(MD.contains("| faq-bot | 6,000 | $120.50 | 58.8 % | $80.00 | +50.6 % |"), MD);
    assertTrue(MD.contains("| classify\\|tickets | 3,000 | $60.25 | 29.4 % | $60.00 | +0.4 % |"));
    assertTrue(MD.contains("| \\<script\\>alert(1)\\</script\\> | 900 | $19.75 | 9.6 % | $0.00 | new |"));
    assertTrue(MD.contains("| (2 more patterns) | 20 | $0.9000 | 0.4 % | $5.76 | -84.4 % |"), MD);
  }

  @Test
  void escapes_pipes_and_markup_and_writes_no_html() {
    for (List<String> t : tables(MD)) {
      t.forEach(row -> assertFalse(row.contains("classify|tickets"), row));
    }
    assertTrue(MD.contains("### 2. classify\\|tickets\n"));
    assertTrue(MD.contains("`prompt-cache/classify\\|tickets`"), "a code span in a table escapes its pipe");
    String prose = MD.replaceAll("(?s)```.*?```", "").replaceAll("`[^`]*`", "").replace("\\<", "");
    assertFalse(Pattern.compile("<[a-zA-Z/!]").matcher(prose).find(), "no HTML outside code");
    assertTrue(MD.contains("- `<script>alert(1)</script>`: $0.00 → $19.75 (new), reason: **new**"));
  }

  @Test
  void growth_gives_the_reason_in_bold_and_the_why_lines() {
    assertTrue(MD.contains("- `faq-bot`: $80.00 → $120.50 (+50.6 %), reason: **volume**\n"
        + "  - calls 5,000 → 6,000 (+20.0 %): +$16.00 from volume\n"), MD);
    assertTrue(MD.contains("reason: **new**"));
  }

  @Test
  void findings_show_saving_status_risk_arithmetic_and_the_policy() {
    assertTrue(MD.contains("### 1. faq-bot\n\n**$120.50** this period · 58.8 % of spend · 6,000 calls · mostly on"
        + " `openai/gpt-4o`"), MD);
    assertTrue(MD.contains("#### 36.2 % of calls repeat an earlier call exactly\n\nSaves **$43.20 a month** ·"
        + " status: *open* · *does not change answers* · rule `cache-exact`\n\n"
        + "- 2,172 of 6,000 calls repeat an earlier one within 1h\n"), MD);
    assertTrue(MD.contains("Recommendation `cache-exact/faq-bot` adds this policy:\n\n```yaml\n"
        + "- match: { pattern: faq-bot }\n  cache: { exact: true, ttl: 1h }\n```\n\n"
        + "Apply it with `tokenwise apply cache-exact/faq-bot`."));
    assertTrue(MD.contains("status: *needs eval* · *changes answers*"));
    assertTrue(MD.contains("Apply it with `tokenwise apply route/faq-bot` once an eval shows the answers hold up"
        + " (`tokenwise eval --pattern faq-bot`)."), MD);
    assertTrue(MD.contains("status: *applied*"));
    assertTrue(MD.contains("Already in the config."));
    assertTrue(MD.contains("status: *blocked*"));
    assertTrue(MD.contains("Cannot be applied yet: the config has no anthropic provider."));
    assertTrue(MD.contains("No countable saving · status: *note* · rule `prefix`"));
    assertTrue(MD.contains("A note: no change is proposed."));
    assertTrue(MD.contains("### 3. \\<script\\>alert(1)\\</script\\>"));
    assertTrue(MD.contains("No finding: the rules found nothing to change in this pattern."));
  }

  @Test
  void recommendations_are_one_table_by_saving_then_the_safe_one_liner() {
    String section = MD.substring(MD.indexOf("## Recommendations"), MD.indexOf("## Shadow tests"));
    List<String> ids = new ArrayList<>();
    for (String line : section.split("\n")) {
      if (line.startsWith("| `")) {
        ids.add(line.substring(3, line.indexOf('`', 3)));
      }
    }
    assertEquals(List.of("route/faq-bot", "cache-exact/faq-bot", "prompt-cache/classify\\|tickets", "cap/faq-bot"),
        ids);
    assertTrue(section.contains("`tokenwise apply --all-safe` applies the 1 that do not change answers ($43.20 a"
        + " month): `cache-exact/faq-bot`."), section);
  }

  @Test
  void already_saved_marks_estimates() {
    assertTrue(MD.contains("| cache | 1,200 | $30.00 | exact |"));
    assertTrue(MD.contains("| context | 300 | ~$20.00 | estimate |"), MD);
  }

  @Test
  void money_that_could_close_inline_math_is_escaped() {
    assertEquals("cost $1.00, ~\\$2.00 or -\\$1.00, not $3.00",
        MarkdownReport.text("cost $1.00, ~$2.00 or -$1.00, not $3.00"));
    assertEquals("-$1.00 → $2.00 is ~5 \\* 3 x\\~y", MarkdownReport.text("-$1.00 → $2.00 is ~5 * 3 x~y"));
    assertEquals("max_tokens \\_x\\_", MarkdownReport.text("max_tokens _x_"));
  }

  @Test
  void prose_is_broken_into_readable_lines_and_only_at_spaces() {
    String wrapped = MarkdownReport.write(ReportFixtures.report());
    boolean code = false;
    for (String line : wrapped.split("\n")) {
      code ^= line.startsWith("```");
      if (!code && !line.startsWith("|") && !line.startsWith("#")) {
        assertTrue(line.length() <= MarkdownReport.WIDTH + 20, line);
      }
    }
    assertTrue(wrapped.length() > MD.length());
    assertTrue(onlyBreaksSpaces(MD, wrapped), "a break replaces one space by a newline and the item's indent");
    assertTrue(wrapped.contains("most, and what the rules found in each, largest saving first.\n"));
    assertEquals("aaa -\nbbb 1.\nccc\n`x y z`\nddd", MarkdownReport.wrap("aaa - bbb 1. ccc `x y z` ddd", "", 3),
        "never before a list marker nor inside code");
    assertEquals("- one\n  two", "- " + MarkdownReport.wrap("one two", "  ", 3));
  }

  @Test
  void an_empty_report_renders() {
    String md = MarkdownReport.write(ReportFixtures.empty());
    assertTrue(md.contains("No calls in this period or the previous one."));
    assertTrue(md.contains("Nothing grew by more than 10 % against the previous period."));
    assertTrue(md.contains("No pattern had calls in this period."));
    assertTrue(md.contains("No recommendation."));
    assertTrue(md.contains("No spend in this period."));
    assertTrue(md.contains("- the log holds no calls in this period"));
    assertTrue(md.endsWith(".\n") && !md.endsWith("\n\n"));
  }

  /** Whether {@code wrapped} is {@code flat} with some spaces turned into a newline and an indent. */
  private static boolean onlyBreaksSpaces(String flat, String wrapped) {
    int w = 0;
    for (int f = 0; f < flat.length(); f++, w++) {
      if (w >= wrapped.length()) {
        return false;
      }
      if (flat.charAt(f) == ' ' && wrapped.charAt(w) == '\n') {
        while (w + 1 < wrapped.length() && wrapped.charAt(w + 1) == ' ') {
          w++;
        }
      } else if (flat.charAt(f) != wrapped.charAt(w)) {
        return false;
      }
    }
    return w == wrapped.length();
  }

  /** The tables of a markdown text, each as its lines. */
  static List<List<String>> tables(String md) {
    List<List<String>> out = new ArrayList<>();
    List<String> current = null;
    for (String line : md.split("\n", -1)) {
      if (line.startsWith("|")) {
        if (current == null) {
          current = new ArrayList<>();
          out.add(current);
        }
        current.add(line);
      } else {
        current = null;
      }
    }
    return out;
  }

  /** Cells of a table row: pipes that are not escaped, less one. */
  static int cells(String row) {
    int pipes = 0;
    for (int i = 0; i < row.length(); i++) {
      if (row.charAt(i) == '\\') {
        i++;
      } else if (row.charAt(i) == '|') {
        pipes++;
      }
    }
    return pipes - 1;
  }
}
