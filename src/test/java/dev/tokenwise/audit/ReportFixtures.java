package dev.tokenwise.audit;

import dev.tokenwise.audit.AuditReport.DaySpend;
import dev.tokenwise.audit.AuditReport.Growth;
import dev.tokenwise.audit.AuditReport.PatternSection;
import dev.tokenwise.audit.AuditReport.SpendLine;
import dev.tokenwise.audit.AuditReport.TacticSaving;
import dev.tokenwise.audit.AuditReport.Totals;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Audit reports built by hand for the writers' tests. */
final class ReportFixtures {
  static final Period MAY = new Period(Instant.parse("2025-05-01T00:00:00Z"), Instant.parse("2025-05-31T00:00:00Z"));
  static final Instant GENERATED = Instant.parse("2025-05-31T06:30:00Z");
  static final String FAQ = "faq-bot";
  static final String PIPE = "classify|tickets";
  static final String SCRIPT = "<script>alert(1)</script>";

  private ReportFixtures() {}

  static long usd(double dollars) {
    return Math.round(dollars * 100) * 10_000_000_000L;
  }

  /** Three patterns worth a look, nine small ones, findings of every kind, growth, savings, 30 days. */
  static AuditReport report() {
    List<SpendLine> byPattern = new ArrayList<>(List.of(
        new SpendLine(FAQ, 6_000, usd(120.50), 5_000, usd(80)),
        new SpendLine(PIPE, 3_000, usd(60.25), 2_500, usd(60)),
        new SpendLine(SCRIPT, 900, usd(19.75), 0, 0),
        new SpendLine(Audit.NO_PATTERN, 20, usd(0.90), 30, usd(1))));
    for (int i = 1; i <= 8; i++) {
      byPattern.add(new SpendLine("misc-" + i, 10, usd(0.45), 60, usd(2.875)));
    }
    Finding swap = new Finding("route", FAQ, "gpt-4o-mini answers this pattern at 94 % less", usd(100),
        List.of("6,000 calls × $0.0201 on openai/gpt-4o = $120.50", "the same tokens on gpt-4o-mini: $7.23",
            "saving $113.27 over 30 days → $100.00 a month after the eval's margin"),
        Map.of("calls", 6_000), new Recommendation("route/faq-bot", FAQ, "route", Map.of("model", "gpt-4o-mini"),
            true, null), "needs eval");
    Finding cache = new Finding("cache-exact", FAQ, "36.2 % of calls repeat an earlier call exactly", usd(43.20),
        List.of("2,172 of 6,000 calls repeat an earlier one within 1h", "2,172 × $0.0199 = $43.20 a month"),
        ordered("calls", 6_000, "repeats", 2_172, "ttl", "1h"),
        new Recommendation("cache-exact/faq-bot", FAQ, "cache", ordered("exact", true, "ttl", "1h"), false, null),
        null);
    Finding cap = new Finding("cap", FAQ, "max_tokens 4096 against an observed p99 of 310", usd(5),
        List.of("p99 of output tokens: 310", "cap at 2 × p99 = 620"), Map.of("p99", 310),
        new Recommendation("cap/faq-bot", FAQ, "max_tokens", Map.of("cap", 620), false, null), "applied");
    Finding prompt = new Finding("prompt-cache", PIPE, "a 3,000-token system prompt is sent on every call",
        usd(12.34), List.of("3,000 cached tokens × 3,000 calls × ($3.00 − $0.30) / 1M = $12.34"),
        Map.of("prefix_tokens", 3_000), new Recommendation("prompt-cache/classify|tickets", PIPE, "prompt_cache",
            "auto", false, "the config has no anthropic provider"), null);
    Finding note = new Finding("prefix", PIPE, "the system prompt changes between calls only in a timestamp", 0,
        List.of("41 distinct prefixes, 1 once masked"), Map.of("prefixes", 41, "masked", 1), null, null);
    List<PatternSection> top = List.of(
        new PatternSection(FAQ, 6_000, usd(120.50), 120.50 / 205, "gpt-4o", "openai", List.of(swap, cache, cap),
            new PatternFacts(FAQ, "gpt-4o", "openai")),
        new PatternSection(PIPE, 3_000, usd(60.25), 60.25 / 205, "claude-sonnet-4-5", "anthropic",
            List.of(prompt, note), new PatternFacts(PIPE, "claude-sonnet-4-5", "anthropic")),
        new PatternSection(SCRIPT, 900, usd(19.75), 19.75 / 205, "gpt-4o", "openai", List.of(),
            new PatternFacts(SCRIPT, "gpt-4o", "openai")));
    List<Growth> growth = List.of(
        new Growth(FAQ, usd(80), usd(120.50), "volume", List.of("calls 5,000 → 6,000 (+20.0 %): +$16.00 from volume",
            "cost per call $0.0160 → $0.0201: +$24.50 from dearer calls")),
        new Growth(SCRIPT, 0, usd(19.75), "new", List.of("new this period: 900 calls, $19.75")));
    List<DaySpend> daily = new ArrayList<>();
    for (int d = 0; d < 30; d++) {
      Map<String, Long> day = new LinkedHashMap<>();
      day.put(FAQ, usd(3 + d * 0.01));
      day.put(PIPE, usd(2));
      day.put(SCRIPT, d < 10 ? 0 : usd(1));
      day.put(AuditReport.OTHER, usd(0.25));
      daily.add(new DaySpend(LocalDate.of(2025, 5, 1).plusDays(d), day));
    }
    return new AuditReport(GENERATED, MAY, MAY.previous(),
        new Totals(10_000, usd(205), 12, usd(250), usd(200), 9_900, 37),
        new Totals(8_000, usd(164), 0, 0, 0, 0, 20),
        byPattern,
        List.of(new SpendLine("openai/gpt-4o", 6_900, usd(140.25), 5_000, usd(100)),
            new SpendLine("anthropic/claude-sonnet-4-5", 3_000, usd(60.25), 2_500, usd(60)),
            new SpendLine("?/mystery", 100, usd(4.50), 500, usd(4))),
        List.of(new SpendLine("openai", 6_900, usd(140.25), 5_000, usd(100)),
            new SpendLine("anthropic", 3_000, usd(60.25), 2_500, usd(60)),
            new SpendLine("(no provider reached)", 100, usd(4.50), 500, usd(4))),
        List.of(new SpendLine("acme", 9_000, usd(200), 7_000, usd(150)),
            new SpendLine("(unknown)", 1_000, usd(5), 1_000, usd(14))),
        growth, top,
        List.of(new TacticSaving("cache", 1_200, usd(30), false), new TacticSaving("context", 300, usd(20), true)),
        daily,
        List.of("12 calls have no price in the catalog; they count $0 here (add their model under prices: in the"
            + " config)"))
        .withShadows(shadows());
  }

  /**
   * Two shadow tests of one pattern: gpt-4o-mini scored on 240 of 250 pairs (3 failed), and a candidate
   * no policy names any more with no pair scored yet.
   */
  static List<AuditReport.ShadowTest> shadows() {
    return List.of(
        new AuditReport.ShadowTest(new dev.tokenwise.store.ShadowSummary(FAQ, "gpt-4o-mini", 250, 240, 3, 230,
            232.8, 245, usd(2.45), 147_000_000_000L, usd(0.16)), usd(2)),
        new AuditReport.ShadowTest(new dev.tokenwise.store.ShadowSummary(FAQ, "claude-haiku-4-5", 4, 0, 0, 0, 0, 4,
            usd(0.04), usd(0.01), usd(0.01)), null));
  }

  /** A period without a single call. */
  static AuditReport empty() {
    Totals none = new Totals(0, 0, 0, 0, 0, 0, 0);
    return new AuditReport(GENERATED, MAY, MAY.previous(), none, none, List.of(), List.of(), List.of(), List.of(),
        List.of(), List.of(), List.of(), List.of(), List.of("the log holds no calls in this period"));
  }

  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }
}
